import type { AdapterCase } from '../types';

export const CASES: AdapterCase[] = [
  {
    name: 'a shop’s own live page: comments without role="log", goods cards, a menu of message links',
    fixture: 'shop-stream.html',
    url: 'https://shop.example.com/live/556677?from=share',
    expect: {
      state: 'live',
      chat: [
        { author: '小王', text: '多少钱', kind: 'chat' },
        { author: '阿芳好物', text: '一分钱秒杀，运费另付', kind: 'host' },
        { author: '老李', text: '好吃[赞]', kind: 'chat' },
      ],
      room: {
        anchorName: '阿芳好物',
        roomId: '房间 556677',
        title: '好物直播间 - 某独立站',
        viewers: '2.3万观看',
      },
      products: [
        {
          id: 'title:蜂蜜柚子茶',
          title: '蜂蜜柚子茶',
          price: '¥39.9',
          finalPrice: '¥29.9',
          shipping: '包邮',
          featured: true,
        },
        {
          id: 'sku-1001',
          title: '即食燕窝 6 瓶装',
          price: '¥0.01',
          originalPrice: '¥299',
          shipping: '运费 ¥99',
        },
      ],
    },
  },
  {
    name: 'the stream has ended: no chat',
    fixture: 'ended.html',
    url: 'https://shop.example.com/live/556677',
    expect: { state: 'ended', noChatList: true },
  },
];
