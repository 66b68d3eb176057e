/**
 * Where a Bilibili live room (live.bilibili.com/<roomid>, /blanc/<roomid>) shows what we read. Its
 * class names are semantic and have lasted for years; the rows carry the message as data attributes
 * (`data-uname`, `data-uid`, `data-danmaku`, `data-ct`). Sources: research/platforms.md §5
 * (bilibili-vup-stream-enhancer developer defaults; several userscripts), chroneco's test nodes for
 * #chat-items rows, bilibili-live-noVIP's row classes (2023). The goods cards are a guess: no public
 * source shows the inside of the 小橙车 popover or the goods list.
 */

/** The chat list: its direct children are the rows, appended at the bottom. */
export const CHAT_LIST = ['#chat-items', '#chat-history-list .chat-items', '.chat-history-panel .chat-items'];

/** Row classes (`.chat-item.<class>`). */
export const ROW = {
  danmaku: 'danmaku-item',
  /** 醒目留言: also a `danmaku-item`, so it is checked first. */
  superChat: 'superChat-card-detail',
  gift: 'gift-item',
  /** 开通了舰长 / 提督 / 总督. */
  guardBuy: 'guard-buy',
  /** 进入直播间 rows. Other notices (`important-prompt-item`, which also carries 分享) go by their text. */
  enter: ['welcome-msg', 'welcome-guard'],
  like: ['like-item'],
  /** `data-type` of a 点赞 row (bilibili-live-noVIP hides `.chat-item[data-type="6"]`). */
  likeType: '6',
} as const;

/** Parts of a row. */
export const IN_ROW = {
  /** The message of a danmaku row (older rows: `.danmaku-content`). */
  danmakuText: ['.danmaku-item-right', '.danmaku-content'],
  /** The nickname where the row has no `data-uname`; it ends with " : " in danmaku rows. */
  name: ['.user-name', '.username', '.card-item-name', '.name'],
  superChatAmount: ['.card-item-top-right'],
  superChatText: ['.input-contain .text', '.card-item-middle-bottom .text'],
  giftParts: ['.action', '.gift-name', '.gift-num', '.gift-count'],
  /** The anchor's own danmaku carry a 主播 icon; moderators carry `.admin-icon` (房管), still chat. */
  hostIcon: '.anchor-icon',
  /** Medals, levels and icons around the name: never part of the name or the message. */
  badges: [
    '.fans-medal-item-ctnr',
    '.wealth-medal-ctnr',
    '.title-label',
    '.vip-icon',
    '.rank-icon',
    '.guard-icon',
    '.admin-icon',
    '.anchor-icon',
    '.user-level-icon',
    '.user-lpl-logo',
  ].join(','),
} as const;

/** Room facts in the header (#head-info-vm) and the section under the player. */
export const ROOM = {
  anchor: ['a.room-owner-username', '#head-info-vm a[href*="space.bilibili.com"]'],
  title: [
    '.live-skin-main-text.small-title',
    '#head-info-vm .small-title',
    '.live-title .text',
    '.live-title',
  ],
  /** "2.3万人看过" since 2022; the 人气 value before it. */
  viewers: ['.watched-text', '#head-info-vm [class*="online" i]', '#head-info-vm [class*="popularity" i]'],
  /** 主播公告. A guess: the announcement under the player. */
  pinned: ['.room-news .content', '[class*="announcement" i] .content', '[class*="room-notice" i]'],
} as const;

/** Goods cards (小黄车 / 小橙车). All a guess, kept to semantic class fragments. */
export const PRODUCT = {
  /** The card the player pops up while the anchor presents it: featured. */
  featured: ['#shop-popover-vm [class*="goods-card" i]', '#shop-popover-vm .shop-popover'],
  cards: [
    '[class*="goods-card" i]',
    '[class*="goods-item" i]',
    '[class*="shopping-cart" i] li',
    '[data-goods-id]',
    '[data-item-id]',
  ],
  id: ['data-goods-id', 'data-item-id', 'data-id'],
  title: ['[class*="goods-title" i]', '[class*="goods-name" i]', '[class*="title" i]', '[class*="name" i]'],
  price: [
    '[class*="sale-price" i]',
    '[class*="now-price" i]',
    '[class*="goods-price" i]',
    '[class*="price" i]:not(s):not(del):not([class*="origin" i]):not([class*="final" i])',
  ],
  originalPrice: ['s', 'del', '[class*="origin" i]', '[class*="market-price" i]'],
  coupon: ['[class*="coupon" i]'],
  shipping: ['[class*="shipping" i]', '[class*="freight" i]', '[class*="postage" i]'],
  stock: ['[class*="stock" i]', '[class*="sold" i]', '[class*="remain" i]'],
  countdown: ['[class*="countdown" i]', '[class*="count-down" i]'],
  /** A card marked as presented now. */
  presenting: '[class*="explaining" i], [class*="presenting" i], [class*="active" i]',
} as const;

/** Where the page says the room is not on air, or asks to log in. */
export const STATE = {
  /** The player's idle panel (未开播, 下播) and the title of a replay carousel (轮播). */
  offline: ['.web-player-ending-panel', '.web-player-round-title'],
  /**
   * Text that names the room's state, in the header. Not the player as a whole: on-screen danmaku
   * (`.web-player-danmaku`) fly through it and say anything ("下播了吗").
   */
  status: ['#head-info-vm [class*="live-status" i]', '.web-player-ending-panel', '.web-player-error-panel'],
  loginWall: ['.bili-mini-mask', '.login-guide', '.login-tip'],
} as const;
