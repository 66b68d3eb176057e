import type { AdapterCase } from '../types';

export const CASES: AdapterCase[] = [
  {
    name: 'Tailwind layout: recycled slots with a spacer and an empty slot, every row kind, pinned product first',
    fixture: 'live-room.html',
    url: 'https://www.tiktok.com/@glowbeauty.shop/live?enter_from_merge=others_homepage&enter_method=others_photo&lang=en',
    expect: {
      state: 'live',
      chat: [
        { author: 'Maya R.', text: 'is this serum ok for sensitive skin? [wow]', kind: 'chat' },
        {
          author: 'Glow Beauty Shop',
          text: 'Yes! Fragrance free, dermatologist tested. $5 off coupon is in the bag 👇',
          kind: 'host',
        },
        { author: 'shopmod_lin', text: 'Please keep the chat friendly, no spam links', kind: 'chat' },
        { author: 'Leo_88', text: 'sent Rose × 5', kind: 'gift' },
        { author: 'jess.k', text: 'joined', kind: 'enter' },
        { author: 'Tom Baker', text: 'followed the host', kind: 'system' },
        { author: 'Ann', text: 'liked the LIVE', kind: 'like' },
        { author: '', text: 'Leo_88 became the No. 3 fan in the Fan Club', kind: 'system' },
        { author: '小林 Lin', text: '这个有中文说明书吗？ ship to Canada?', kind: 'chat' },
      ],
      room: {
        roomId: '7519612384410585870',
        anchorName: 'Glow Beauty Shop',
        anchorId: '@glowbeauty.shop',
        title: 'Flash sale 🔥 Vitamin C serum 50% off | 闪购',
        viewers: '1.3K',
        pinned: 'Use code GLOW5 at checkout for $5 off 💛',
      },
      products: [
        {
          id: 'title:vitamin c brightening serum 30ml',
          title: 'Vitamin C Brightening Serum 30ml',
          price: '$12.99',
          originalPrice: '$25.99',
          finalPrice: '$7.99',
          coupon: '$5 off coupon',
          shipping: 'Free shipping',
          stock: 'Only 23 left',
          countdown: 'Ends in 04:59',
          featured: true,
        },
        {
          id: 'title:hydrating sheet mask, 10 pcs',
          title: 'Hydrating Sheet Mask, 10 pcs',
          price: '$9.99',
          originalPrice: '$14.99',
          shipping: 'Shipping: $3.99',
          stock: '856 sold',
        },
        {
          id: 'title:冰丝防晒衣 upf50+ sun protection jacket',
          title: '冰丝防晒衣 UPF50+ Sun Protection Jacket',
          price: '$15.90',
          finalPrice: '$13.90',
          stock: 'Sold out',
          countdown: 'Starts in 00:12:30',
        },
      ],
    },
  },
  {
    name: 'emotion layout reached by SPA navigation: rows without slots, gift among messages, stale SIGI_STATE ignored',
    fixture: 'live-room-2024.html',
    url: 'https://www.tiktok.com/@kitchenpro.us/live?lang=en',
    expect: {
      state: 'live',
      chat: [
        { author: 'Bob M', text: 'does it work on induction? 🍳', kind: 'chat' },
        {
          author: 'KitchenPro US',
          text: 'Yes, all induction ready. 10" skillet is $29.99 today, lifetime warranty',
          kind: 'host',
        },
        { author: 'grillmaster_dan', text: 'sent x5', kind: 'gift' },
        { author: 'Kim', text: 'Link is in the shop bag, top left', kind: 'chat' },
        { author: '王小姐', text: '锅好漂亮 [heart eyes] 有红色吗', kind: 'chat' },
      ],
      room: {
        anchorName: 'KitchenPro US',
        anchorId: '@kitchenpro.us',
        title: 'Cast iron sale — today only',
        viewers: '862',
      },
      products: [],
    },
  },
  {
    name: 'stream ended: "LIVE has ended" and other LIVE videos, no chat',
    fixture: 'stream-ended.html',
    url: 'https://www.tiktok.com/@glowbeauty.shop/live',
    expect: {
      state: 'ended',
      noChatList: true,
      room: {
        roomId: '7519612384410585870',
        anchorName: 'Glow Beauty Shop',
        anchorId: '@glowbeauty.shop',
        title: 'Flash sale 🔥 Vitamin C serum 50% off | 闪购',
      },
      products: [],
    },
  },
  {
    name: 'login dialog (#login-modal) over a room that renders no chat',
    fixture: 'login-wall.html',
    url: 'https://www.tiktok.com/@glowbeauty.shop/live',
    expect: {
      state: 'login',
      noChatList: true,
      room: { anchorId: '@glowbeauty.shop', title: 'TikTok LIVE | TikTok' },
    },
  },
];
