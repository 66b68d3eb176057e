import type { AdapterCase } from '../types';

const ROOM_URL =
  'https://live.kuaishou.com/u/3xk9mdpq7vbnc2e?cc=share_copylink&followRefer=151&shareMethod=TOKEN&kpn=KUAISHOU&subBiz=LIVE_STREAM&shareId=18274650392817&shareToken=X4aBcD9eFgH2iJk';

export const CASES: AdapterCase[] = [
  {
    name: 'live room (2025 layout): system, entry, badges, host, gift, like and emoji rows; header; cart with the presented card first',
    fixture: 'live-room.html',
    url: ROOM_URL,
    expect: {
      state: 'live',
      chat: [
        {
          author: '',
          text: '快手倡导绿色直播，严禁未成年人直播或打赏。直播间内严禁出现违法违规、低俗色情、吸烟酗酒等内容，若有违反，账号会被封禁。',
          kind: 'system',
        },
        { author: '橙子爱好者', text: '进入直播间', kind: 'enter' },
        { author: '甜甜圈不甜', text: '主播这个橙子甜不甜[亲亲]', kind: 'chat' },
        { author: '鲜果小七', text: '家人们 10斤礼盒已经上车了 2号链接 到手49.9', kind: 'host' },
        { author: '老王爱吃橙', text: '送出了 小心心×10', kind: 'gift' },
        { author: '风吹麦浪', text: '点亮了', kind: 'like' },
        { author: '小橘子🍊', text: '价格：到手多少钱？[疑问]', kind: 'chat' },
        { author: '阿杰(老粉)', text: '来了来了[玫瑰][玫瑰]', kind: 'chat' },
        { author: '鲜果小七', text: '果径65-70的 不甜包退[比心]', kind: 'host' },
      ],
      room: {
        roomId: '3xk9mdpq7vbnc2e',
        anchorName: '鲜果小七',
        anchorId: 'xianguo777',
        title: '赣南脐橙源头直发 今晚家人们福利价',
        viewers: '2.3万',
        pinned: '公告：每晚8点开播，拍下48小时内发货，坏果包赔',
      },
      products: [
        {
          id: 'title:赣南脐橙 10斤礼盒装 精选大果',
          title: '赣南脐橙 10斤礼盒装 精选大果',
          price: '¥59.9',
          originalPrice: '¥79.9',
          finalPrice: '¥49.9',
          coupon: '满59减10',
          shipping: '包邮',
          stock: '仅剩 86 件',
          countdown: '02:13:45 后结束',
          featured: true,
        },
        {
          id: 'title:【现摘现发】赣南脐橙 5斤装 果径65-70mm',
          title: '【现摘现发】赣南脐橙 5斤装 果径65-70mm',
          price: '¥29.9',
          originalPrice: '¥39.9',
          shipping: '包邮',
          stock: '已售1.2万件',
        },
        {
          id: 'title:果园直供 沃柑 3斤装',
          title: '果园直供 沃柑 3斤装',
          price: '¥19.9',
          shipping: '运费¥5',
          stock: '已售 3567 件',
        },
      ],
    },
  },
  {
    name: 'live room (cells straight in .chat-list): picture badges, gift as .comment + .gift-img, long text, pinned comment, CSS-module cart',
    fixture: 'live-room-cells.html',
    url: 'https://live.kuaishou.com/u/tangguo_888',
    expect: {
      state: 'live',
      chat: [
        {
          author: '',
          text: '欢迎来到直播间！快手严禁主播诱导私下交易，请通过快手小店下单。',
          kind: 'system',
        },
        { author: '夏天的风', text: '有无糖的吗[可怜][可怜]', kind: 'chat' },
        { author: '糖果铺子阿美', text: '有的宝 3号链接就是无糖款', kind: 'host' },
        { author: '阿杰', text: '粉丝团灯牌', kind: 'gift' },
        { author: '用户8372615', text: '为主播点赞了', kind: 'like' },
        {
          author: 'Momo_小饼干',
          text: '上次买的收到了 很好吃 已经回购三次了 这次再来两盒 给同事也带点 主播记得多送点试吃装哈',
          kind: 'chat',
        },
      ],
      room: {
        roomId: 'tangguo_888',
        anchorName: '糖果铺子阿美',
        viewers: '1.5万',
        pinned: '置顶：今晚所有糖果买二送一，先拍先发',
      },
      products: [
        {
          id: 'title:无糖薄荷糖 木糖醇 10盒装',
          title: '无糖薄荷糖 木糖醇 10盒装',
          price: '¥39.9',
          originalPrice: '¥69.9',
          finalPrice: '¥29.9',
          coupon: '券¥10',
          shipping: '包邮',
          countdown: '距结束 05:12',
          featured: true,
        },
        {
          id: 'title:阿美家 手工牛轧糖 500g 罐装',
          title: '阿美家 手工牛轧糖 500g 罐装',
          price: '¥35.8',
          originalPrice: '¥58',
          shipping: '包邮',
          stock: '已售 5230',
        },
      ],
    },
  },
  {
    name: 'stream ended: no chat list, the anchor still named',
    fixture: 'ended.html',
    url: 'https://live.kuaishou.com/u/3xk9mdpq7vbnc2e',
    expect: {
      state: 'ended',
      noChatList: true,
      room: { roomId: '3xk9mdpq7vbnc2e', anchorName: '鲜果小七', anchorId: 'xianguo777' },
      products: [],
    },
  },
  {
    name: 'login dialog over the room: no chat list',
    fixture: 'login.html',
    url: 'https://live.kuaishou.com/u/3xk9mdpq7vbnc2e?fid=1827465039',
    expect: {
      state: 'login',
      noChatList: true,
      room: { roomId: '3xk9mdpq7vbnc2e' },
      products: [],
    },
  },
];
