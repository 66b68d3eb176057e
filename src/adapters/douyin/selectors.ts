/**
 * Where Douyin's web live room keeps what we read. Sources and dates are in
 * `shared/research/platforms.md` §1; the 8-character hashed classes (`v8LY0gZF`, `NkS2Invn`) rotate
 * between builds, so nothing here depends on them. Variants are listed newest first.
 */

/** The chat (评论区). `webcast-chatroom___*` names have survived since at least 2023. */
export const CHAT = {
  /** Where the list lives; rows outside it (the sticky 来了/点赞了 line) are not part of the chat. */
  scope: ['.webcast-chatroom___list', '.webcast-chatroom___items', '.webcast-chatroom', '#chatroom'],
  /** One message. Some builds add `webcast-chatroom___item_new` or `___enter-done` to it. */
  item: '.webcast-chatroom___item',
  /**
   * Rows are windowed: 2026-09 `___list > div (height) > div[style*=translateY] > div[data-index] >
   * ___item`; ≤2025 `___items > div > ___item[data-id]`. The list is the parent of the slot.
   */
  slot: '[data-index]',
  /** The list before its first row arrives, per layout. */
  emptyList: [
    '.webcast-chatroom___list [style*="translateY"]',
    '.webcast-chatroom___items > div:only-child',
    '.webcast-chatroom___items',
  ],
  /** Inside a row: `___item-wrapper > div > [badges…][nickname "xxx："][content]`. */
  wrapper: '.webcast-chatroom___item-wrapper',
  text: '.webcast-chatroom___content-with-emoji-text',
  emoji: '.webcast-chatroom___content-with-emoji-emoji',
  /** System notices in the list: the welcome text, "为主播加了 n 分". Note the double underscore. */
  roomMessage: '.webcast-chatroom__room-message',
  /** The sticky line above the input; it is not a list row. */
  bottomMessage: '.webcast-chatroom___bottom-message',
} as const;

/** brandbai: the nickname is the first span of the wrapper that ends in `：` and is at most 90 chars. */
export const NICKNAME_MAX = 90;

/**
 * The anchor's own rows carry a 主播 label among the badges. GUESS: no public source shows the label's
 * markup, so it is matched by its text or image alt, never by class.
 */
export const HOST_BADGE = /^(主播|主播本人)$/;

/** Gift pictures: `webcast/gift` or an `~tplv-obj` image (platforms.md §1, other row types). */
export const GIFT_IMG = 'img[src*="webcast/gift"], img[src*="~tplv-obj"]';

/** The anchor bar and room facts (data-e2e; note Douyin's own "rooom"). */
export const ROOM = {
  anchorName: ['[data-e2e="live-room-nickname"]'],
  viewers: ['[data-e2e="live-room-audience"]'],
  /** Where a 抖音号 may be shown: the anchor bar or the anchor card it opens. GUESS for the card. */
  anchorIdScope: [
    '[data-e2e="rooom-info-bar-anchor"]',
    '#room_info_bar',
    '[data-e2e="anchor-card"]',
    '#HeaderLayout',
  ],
  /**
   * The pinned notice above the chat. GUESS: no public source names it; these follow the
   * `webcast-chatroom___` naming that the rest of the chat uses.
   */
  pinned: [
    '.webcast-chatroom___pin-message',
    '[class*="webcast-chatroom___top-message"]',
    '[class*="webcast-chatroom___notice"]',
  ],
  /** SSR data (≤2024 builds): URL-encoded JSON, `app.initialState.roomStore.roomInfo`. */
  renderData: 'script#RENDER_DATA',
} as const;

/** 小黄车: the on-air card and the opened product list. */
export const PRODUCT = {
  /** 2025-06 layout: the area that holds the 讲解卡 (the product being presented). */
  featuredArea: ['#EcmoCardLayout'],
  /** The opened list, and the data-e2e anchors inside it (LiveClipper POCs, 2026). */
  list: ['[data-e2e="live-promotion-list"]'],
  title: '[data-e2e="promotion-title"]',
  buyButton: '[data-e2e="shop-buyBtn"]',
  /** Struck-through prices. */
  struck: 's, del, [class*="origin" i], [class*="strike" i], [style*="line-through"]',
  /** A product link, when a card has one: `haohuo.jinritemai.com/views/product/detail?id=…`. */
  link: 'a[href*="jinritemai.com"], a[href*="haohuo.snssdk.com"], a[href*="ghaohuo.com"]',
} as const;

/** Card texts (brandbai `douyin-commerce-dom.js`, `live-products.js`). */
export const CARD_TEXT = {
  featured: /讲解中|正在讲解/,
  /** The headline price where the card names it. */
  current: /(?:现价|售价|秒杀价|活动价|大促价|直播价|抢购价|直播间专享价)/,
  final: /(?:到手价?|券后价?|平台补贴后|预估到手)/,
  original: /(?:原价|划线价|优惠前|日常价)/,
  /** Words on a card that are not its title. */
  notTitle:
    /^(?:讲解中|正在讲解|全部商品|立即抢购|去抢购|领券抢购|立即抢|去抢|抢购|已售罄|暂时售罄|已抢光|已下架|点击抽奖|参与抽奖|x?\d{1,4}|[¥￥].*)$/,
  shipping: /包邮|免运费|不包邮|运费\s*[:：]?\s*[¥￥]\s*\d[\d.]*/,
  coupon:
    /满\s*\d+(?:\.\d+)?\s*减\s*\d+(?:\.\d+)?|(?:店铺|平台|直播间|主播)?(?:优惠)?券\s*[¥￥]\s*\d+(?:\.\d+)?|立减\s*[¥￥]?\s*\d+(?:\.\d+)?元?|\d+(?:\.\d+)?元(?:优惠)?券/,
  stock:
    /(?:仅剩|剩余|库存|限量|已售|已抢)\s*\d[\d.,]*\s*[万千]?\+?\s*[件份单]?|已售罄|暂时售罄|已抢光|已下架/,
  countdown:
    /(?:距(?:结束|开抢|开始|恢复原价)(?:还剩|仅剩)?\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*后(?:开抢|结束|恢复原价))?/,
} as const;

/** Page states, read from text outside the chat (a viewer may type any of these). */
export const STATE = {
  ended: /直播已结束|主播已下播|直播结束了/,
  /** Not the 需先登录，才能开始聊天 hint that replaces the input on a watchable room. */
  login: /扫码登录|登录后(?:即可)?(?:观看|查看|继续观看|免费畅享)|请先登录|请登录后观看/,
  /**
   * The login dialog: `[id^="login-full-panel-"]` now, `#login-panel-new` before (MediaCrawler-based
   * runners and Douyin crawlers, 2025–26; not in platforms.md).
   */
  loginPanel: [
    '[id^="login-full-panel"]',
    '#login-panel-new',
    '#login-pannel',
    '#douyin_login_landing_flat_container',
  ],
} as const;
