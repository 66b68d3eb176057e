import type { AdapterCase } from '../types';

const LIVE_ID = 'Zx3qLmN8pQw';

export const CASES: AdapterCase[] = [
  {
    name: 'popout live chat: notice, viewer, owner, moderator, member with emoji, Super Chat, new member',
    fixture: 'live-chat-frame.html',
    url: `https://www.youtube.com/live_chat?is_popout=1&v=${LIVE_ID}`,
    expect: {
      // The "Sign in to chat" prompt only concerns writing: the chat is readable, so this is live.
      state: 'live',
      chat: [
        {
          author: '',
          text: 'Welcome to live chat! Remember to guard your privacy and abide by our community guidelines.',
          kind: 'system',
          id: 'LCC.CgsKCQoHY2hhdHJvb20%3D',
        },
        {
          author: '@mike_r',
          text: 'does the blender come with the second jar?',
          kind: 'chat',
          id: 'ChwKGkNPaTkxSURuOW9zREZTVU0xZ0FkVDJjS1Rn',
        },
        {
          author: '@LinaDealRoom',
          text: 'Yes! Two jars, and the $49 price holds until the timer runs out',
          kind: 'host',
          id: 'ChwKGkNKX1Y3WURuOW9zREZjVUQ4QUFkdEtnQm1R',
        },
        {
          author: '@ModKate',
          text: 'Only buy through the shelf under the video. We never DM payment links.',
          kind: 'chat',
          id: 'ChwKGkNQMmZfWURuOW9zREZRSUQ4QUFkMWhjZU5n',
        },
        {
          author: '@Tomoko_M',
          text: 'just ordered 😍 :hand-pink-waving:',
          kind: 'chat',
          id: 'ChwKGkNQdkZndUhuOW9zREZZb0Q4QUFkSlNzRGln',
        },
        {
          author: '@BuyerBob',
          text: 'US$5.00 Is the blender still $49 after the timer? Asking before I pay',
          kind: 'gift',
          id: 'ChwKGkNQbkU0WVRuOW9zREZRVVQ4QUFkX1FRcjB3',
        },
        {
          author: '@PriyaShops',
          text: "Welcome to Lina's Deal Room!",
          kind: 'gift',
          id: 'ChwKGkNJV1Q0WURuOW9zREZiSUQ4QUFkTGdBWHVn',
        },
        {
          author: '@小雨的购物车',
          text: '能寄到台湾吗？运费多少',
          kind: 'chat',
          id: 'ChwKGkNNcU1oZUhuOW9zREZVSUQ4QUFkSE1zSzBB',
        },
      ],
      room: {
        roomId: LIVE_ID,
        pinned: 'Code LIVE10 takes 10% off every item on the shelf until 9 PM 🛒',
      },
      products: [],
    },
  },
  {
    name: 'live page: channel, handle, title and "watching now"; featured product first, shelf and panel once each',
    fixture: 'live-page.html',
    url: `https://www.youtube.com/live/${LIVE_ID}`,
    expect: {
      state: 'live',
      // The chat is in iframe#chatframe, another document: this page has no chat list.
      noChatList: true,
      room: {
        roomId: LIVE_ID,
        anchorName: "Lina's Deal Room",
        anchorId: '@LinaDealRoom',
        title: '🔴 LIVE: Kitchen deals night — blender bundle, knife sets, air fryer',
        viewers: '2,318 watching now',
      },
      products: [
        {
          id: 'title:pulsemix 1200w blender bundle (2 jars)',
          title: 'PulseMix 1200W Blender Bundle (2 jars)',
          price: '$49.00',
          featured: true,
        },
        {
          id: 'title:damascus-style 6-piece knife set',
          title: 'Damascus-style 6-piece Knife Set',
          price: 'CA$89.99',
        },
        { id: 'title:crispair 5.5 l air fryer', title: 'CrispAir 5.5 L Air Fryer', price: '€79,90' },
        {
          id: 'title:walnut end-grain cutting board',
          title: 'Walnut End-grain Cutting Board',
          price: '$34.50',
        },
      ],
    },
  },
  {
    name: 'watch page of the same stream: the same reading as the live page',
    fixture: 'live-page.html',
    url: `https://www.youtube.com/watch?v=${LIVE_ID}&t=120s`,
    expect: {
      state: 'live',
      noChatList: true,
      room: {
        roomId: LIVE_ID,
        anchorName: "Lina's Deal Room",
        anchorId: '@LinaDealRoom',
        title: '🔴 LIVE: Kitchen deals night — blender bundle, knife sets, air fryer',
        viewers: '2,318 watching now',
      },
    },
  },
  {
    name: 'stream that ended: "Streamed live", views, chat replay frame, no live chat',
    fixture: 'ended-stream.html',
    url: 'https://www.youtube.com/live/Qm7Rt2Kd9Xa?si=Fh2kE9',
    expect: {
      state: 'ended',
      noChatList: true,
      room: {
        roomId: 'Qm7Rt2Kd9Xa',
        anchorName: 'Home Goods Hub',
        anchorId: 'UCh4HomeGoodsHub00000Zz9',
        title: 'Weekend flash sale: cookware & storage (replay)',
        viewers: '18,452 views',
      },
      products: [],
    },
  },
];
