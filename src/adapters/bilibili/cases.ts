import type { AdapterCase } from '../types';

const SYSTEM_NOTICE =
  '系统提示：哔哩哔哩直播内容及互动评论须严格遵守直播规范，严禁传播违法违规、低俗色情、造谣诈骗等信息。理性消费，谨防私下交易。';

export const CASES: AdapterCase[] = [
  {
    name: 'live room: notice, danmaku with medals and an emoticon, host, entry, 房管, gift, 舰长, 醒目留言, sticker; header; goods with the presented one first',
    fixture: 'live-room.html',
    url: 'https://live.bilibili.com/8864521?spm_id_from=333.1007.tianma.1-1-1.click&session_id=7d3c',
    expect: {
      state: 'live',
      chat: [
        { author: '', text: SYSTEM_NOTICE, kind: 'system' },
        {
          author: '阿橙不吃辣',
          text: '坚果礼盒还有货吗',
          kind: 'chat',
          id: '4f2c8e1a9b7d3e5f60718293a4b5c6d7',
        },
        {
          author: '七月流火',
          text: '主播好看[打call]',
          kind: 'chat',
          id: '9a1b2c3d4e5f60718293a4b5c6d7e8f9',
        },
        {
          author: '小鹿优选',
          text: '8点准时上链接，券后到手价59.9，拍下备注直播间送小样',
          kind: 'host',
          id: '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
        },
        { author: '路过的猫', text: '进入直播间', kind: 'enter' },
        {
          author: '房管小王',
          text: '私信发链接的都是骗子，只认直播间小黄车下单',
          kind: 'chat',
          id: '2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70',
        },
        { author: '阿橙不吃辣', text: '投喂 辣条 x10', kind: 'gift' },
        {
          author: '夜航船',
          text: '在小鹿优选的直播间开通了舰长，今天是TA陪伴主播的第1天',
          kind: 'gift',
        },
        {
          author: '梅子黄时雨',
          text: '300电池 坚果是今年的新货吗？生产日期能看一下吗',
          kind: 'gift',
          id: 'D2F08A37',
        },
        { author: '七月流火', text: '[赞]', kind: 'chat', id: '5E8C1F02' },
        { author: '', text: '主播开启了「关注直播间」抽奖，关注后发送弹幕参与', kind: 'system' },
      ],
      room: {
        roomId: '8864521',
        anchorName: '小鹿优选',
        anchorId: '3493118',
        title: '【年货节】坚果礼盒到手价直降 今晚8点上链接',
        viewers: '2.3万人看过',
        pinned: '今晚坚果礼盒券后59.9，限量500件，下单后48小时内发货。',
      },
      products: [
        {
          id: '1000587321',
          title: '松鼠小铺 坚果礼盒 1.5kg 每日坚果混合装',
          price: '¥69.9',
          originalPrice: '¥129',
          finalPrice: '¥59.9',
          coupon: '满69减10',
          shipping: '包邮',
          stock: '仅剩 328 件',
          featured: true,
        },
        {
          id: '1000593008',
          title: '冻干草莓脆 100g×3袋',
          price: '¥39.9',
          coupon: '领券立减5元',
          shipping: '运费 ¥6',
          stock: '已抢 1.2万',
        },
        {
          id: '1000600417',
          title: '每日鲜牛乳 250ml×12盒',
          price: '¥45',
          originalPrice: '¥58',
          countdown: '距开抢 05:12',
        },
      ],
    },
  },
  {
    name: 'room not on air (未开播) in its /blanc/ form: idle player panel; the chat panel stays',
    fixture: 'offline-room.html',
    url: 'https://live.bilibili.com/blanc/24680135?liteVersion=true',
    expect: {
      state: 'ended',
      chat: [
        { author: '', text: SYSTEM_NOTICE, kind: 'system' },
        {
          author: '茶叶蛋',
          text: '上次买的茶饼还没发货，主播什么时候开播？',
          kind: 'chat',
          id: '1A2B3C4D',
        },
      ],
      room: {
        roomId: '24680135',
        anchorName: '山野茶事',
        anchorId: '20418833',
        title: '周末清仓',
        viewers: '1.1万人看过',
      },
      products: [],
    },
  },
  {
    name: 'login dialog over a room whose chat has not rendered: no chat list',
    fixture: 'login-wall.html',
    url: 'https://live.bilibili.com/8864521',
    expect: {
      state: 'login',
      noChatList: true,
      room: { roomId: '8864521', anchorName: '小鹿优选', anchorId: '3493118' },
      products: [],
    },
  },
];
