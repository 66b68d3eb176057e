import type { AdapterCase, ChatRow, ProductCard, RoomInfo } from '../types';

/** The chat of `live-room.html`: the placeholder slots at the end are left out. */
const LIVE_ROOM_CHAT: ChatRow[] = [
  {
    author: '',
    text: '欢迎来到直播间！抖音严禁未成年人直播或打赏。直播间内严禁出现违法违规、低俗色情、吸烟酗酒、人身伤害等内容，如主播在直播过程中以不当方式诱导打赏、私下交易，请谨慎判断，以防人身财产损失，谨防网络诈骗。',
    kind: 'system',
  },
  { author: 'z*****', text: '主播身高多少？穿什么码', kind: 'chat', id: '7519243107716519730' },
  {
    author: '小美优选',
    text: '今天全场包邮，3号链接到手价59.9[玫瑰]',
    kind: 'host',
    id: '7519243112090148363',
  },
  { author: '阿珍爱吃鱼', text: '[赞][赞]', kind: 'chat', id: '7519243120344301322' },
  { author: '彩虹糖糖', text: '送出了小心心×1', kind: 'gift', id: '7519243125571218185' },
  { author: '困到想睡觉', text: '为主播点赞了', kind: 'like' },
  { author: '小鹿乱撞', text: '来了', kind: 'enter' },
  {
    author: '王大妈',
    text: '请问：3号链接是纯棉的吗？洗了会不会缩水，上次买的那件洗一次就小了一码',
    kind: 'chat',
    id: '7519243139410928394',
  },
  { author: '', text: '大橘子 为主播加了 3 分', kind: 'system', id: '7519243141208716553' },
  { author: 'Lily_0823', text: '关注了主播', kind: 'system' },
  { author: '七月', text: '已拍 来了来了', kind: 'chat', id: '7519243150996346634' },
];

const LIVE_ROOM_FACTS: Omit<RoomInfo, 'roomId'> = {
  anchorName: '小美优选',
  anchorId: 'xiaomei_youxuan',
  title: '小美优选的抖音直播间 - 抖音直播',
  viewers: '1.2万',
  pinned: '今晚8点福袋，下单备注“直播间”送运费险',
};

/** The 讲解卡 and the opened list; the on-air product is in both and is read once. */
const LIVE_ROOM_PRODUCTS: ProductCard[] = [
  {
    id: 'title:【3号】新疆长绒棉短袖t恤女 纯棉宽松百搭',
    title: '【3号】新疆长绒棉短袖T恤女 纯棉宽松百搭',
    price: '¥69.9',
    originalPrice: '¥89',
    finalPrice: '¥59.9',
    coupon: '满59减10',
    shipping: '包邮',
    stock: '仅剩 86 件',
    countdown: '距结束 02:13:45',
    featured: true,
  },
  {
    id: 'title:【1号】云南高山冰糖心苹果 5斤装 新鲜水果',
    title: '【1号】云南高山冰糖心苹果 5斤装 新鲜水果',
    price: '¥29.9',
    originalPrice: '¥49.9',
    shipping: '包邮',
    stock: '已售 1.2万',
  },
  {
    id: 'title:【2号】无骨鸡爪 柠檬酸辣 500g*2盒',
    title: '【2号】无骨鸡爪 柠檬酸辣 500g*2盒',
    price: '¥39.9',
    originalPrice: '¥79',
    coupon: '店铺券¥5',
    shipping: '运费 ¥8',
    stock: '限量 500 件',
    countdown: '距开抢 00:05:12',
  },
  {
    id: 'title:【4号】羊毛混纺针织开衫 秋冬新款',
    title: '【4号】羊毛混纺针织开衫 秋冬新款',
    price: '¥199',
    stock: '已售罄',
  },
];

/** The chat of `live-room-2024.html`: the empty and half-recycled rows are left out. */
const LAYOUT_2024_CHAT: ChatRow[] = [
  { author: '追风的少年', text: '170斤穿什么码', kind: 'chat' },
  {
    author: '羽绒服工厂店阿强',
    text: '170斤拍XL，偏大一码，[OK]今天1号链接¥199，明天恢复¥399',
    kind: 'host',
    id: '7519021887463219977',
  },
  { author: 'l***', text: '1号链接¥199还有吗', kind: 'chat', id: '7519021890125418762' },
  { author: '大橘子', text: '送出了嘉年华×1', kind: 'gift', id: '7519021893360051209' },
  // Typed by a viewer: "送出了" inside the message text is chat, not a gift.
  { author: 'Mia', text: '送出了一个赞给阿强', kind: 'chat', id: '7519021896611870730' },
  { author: '', text: '阿强的粉丝团 为主播加了 10 分', kind: 'system', id: '7519021900047364107' },
];

export const CASES: AdapterCase[] = [
  {
    name: '2025-06 layout, logged out: every row kind, room facts, the 讲解卡 and the opened product list',
    fixture: 'live-room.html',
    url: 'https://live.douyin.com/80017709309?enter_from_merge=web_share_link&enter_method=web_share_link&action_type=click',
    expect: {
      state: 'live',
      chat: LIVE_ROOM_CHAT,
      room: { roomId: '80017709309', ...LIVE_ROOM_FACTS },
      products: LIVE_ROOM_PRODUCTS,
    },
  },
  {
    name: 'the same page opened from the follow tab (www.douyin.com/follow/live/{roomId})',
    fixture: 'live-room.html',
    url: 'https://www.douyin.com/follow/live/7519223344556677889?anchor_id=98213647590&from_tab_name=follow',
    expect: {
      state: 'live',
      chat: LIVE_ROOM_CHAT,
      room: { roomId: '7519223344556677889', ...LIVE_ROOM_FACTS },
      products: LIVE_ROOM_PRODUCTS,
    },
  },
  {
    name: 'layout before 2025-06: RENDER_DATA title, recycled and placeholder rows, a typed 送出了, no cards',
    fixture: 'live-room-2024.html',
    url: 'https://live.douyin.com/646454278948?enter_from_merge=web_live&enter_method=web_card&room_id=7519021436552948516',
    expect: {
      state: 'live',
      chat: LAYOUT_2024_CHAT,
      room: {
        roomId: '646454278948',
        anchorName: '羽绒服工厂店阿强',
        title: '源头工厂直发 秋冬加厚羽绒服 清仓福利',
        viewers: '2.3万',
      },
      products: [],
    },
  },
  {
    name: 'after a single-page navigation the RENDER_DATA of the first room is not read for this one',
    fixture: 'live-room-2024.html',
    url: 'https://live.douyin.com/57180316521',
    expect: {
      state: 'live',
      chat: LAYOUT_2024_CHAT,
      room: {
        roomId: '57180316521',
        anchorName: '羽绒服工厂店阿强',
        title: '羽绒服工厂店阿强的抖音直播间 - 抖音直播',
      },
    },
  },
  {
    name: 'stream ended: 直播已结束 and other rooms to watch, no chat',
    fixture: 'stream-ended.html',
    url: 'https://live.douyin.com/646454278948',
    expect: {
      state: 'ended',
      noChatList: true,
      room: { roomId: '646454278948', title: '羽绒服工厂店阿强的抖音直播间 - 抖音直播' },
      products: [],
    },
  },
  {
    name: 'login dialog over a room that renders no chat',
    fixture: 'login-wall.html',
    url: 'https://live.douyin.com/646454278948?enter_from_merge=web_search',
    expect: { state: 'login', noChatList: true, products: [] },
  },
];
