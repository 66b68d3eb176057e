/**
 * Where tbzb.taobao.com keeps the chat, the room facts and the product cards. The page is built with
 * CSS modules: every class is `name--hash` (`itemWrap--EcN_tFIg`) and the hash changes between
 * builds, so we select on the `name--` prefix of a class token. Sources are in
 * research/platforms.md §3; public knowledge of this page is thin (as of 2026-11): the chat names
 * come from one userscript (Ikaros-521/AI-Vtuber, Taobao config 2024-11-01), everything marked
 * GUESS is built from the CSS-module pattern and from what `generic` would look for.
 */

/** Elements with a class token `name--…` (not `otherName--…`, which `[class*=]` would also take). */
export function cssModule(...names: string[]): string {
  return names.map((n) => `[class^="${n}--"], [class*=" ${n}--"]`).join(', ');
}

/** The chat container; rows are its children, or the children of a list inside it. */
export const CHAT_CONTAINER = [
  '#liveComment', // Ikaros-521 (2024-11-01); a Playwright crawler checks it too (idx:61009286554)
  '.chat-container', // the same crawler's alternative (idx:61009286554), undated
] as const;

/** One message (`itemWrap--EcN_tFIg` in 2024-11). */
export const ROW_SELECTOR = cssModule('itemWrap');

export const ROW = {
  /** `authorTitle--_Dl75ZJ6` (2024-11): the nickname, ending in ":". */
  author: cssModule('authorTitle', 'author'),
  /** `content--pSjaTkyl` (2024-11): the message, with emoji pictures. */
  content: cssModule('content'),
  /** Level and fan badges next to the nickname (GUESS: class names), kept out of name and text. */
  badge: `${cssModule('tag', 'anchorTag', 'level', 'fansTag', 'medal')}, [class*="badge"]`,
  /** The anchor's own message: a "主播" tag (GUESS). */
  hostClass: cssModule('anchorItem', 'anchorTag'),
  /** A gift row (GUESS: class name; gifts exist in some rooms as "送出 小红花"). */
  gift: cssModule('giftItem', 'gift', 'giftIcon'),
  /** Entry, like and follow rows (GUESS: class names). */
  enter: cssModule('enterItem', 'enter'),
  like: cssModule('likeItem', 'like'),
  system: cssModule('systemItem', 'system', 'notice'),
  idAttrs: ['data-id', 'data-comment-id', 'data-msg-id'],
} as const;

/**
 * The comment API marks enter, follow and like notices with a leading `\u2042 \u2230 \u23c7`
 * (idx:68860433131); GUESS that the page shows that text as it comes.
 */
export const NOTICE_MARK = /^[\u2042\u2230\u23c7]\s*/;
export const ENTER_TEXT = /(?:来了|进入了?直播间|加入了?直播间)$/;
export const LIKE_TEXT = /(?:点赞了?|点了赞|为主播点赞)$/;
export const GIFT_TEXT = /(?:^|\s)(?:送出了?|赠送了?)\s*\S/;
export const HOST_BADGE_TEXT = /^(?:主播|店主)$/;

/** The room header (all GUESS: no viewer-page source, as of 2026-11). */
export const ROOM = {
  // `accountName`: tbzb search-page cards (idx:67207556178, 2026); `anchorName` as generic finds it.
  anchorName: [cssModule('anchorName', 'accountName', 'nick'), '[class*="anchor-name"]'],
  title: [cssModule('liveTitle', 'roomTitle', 'topic'), '[class*="live-title"]'],
  viewers: [cssModule('viewCount', 'watchCount', 'onlineCount'), '[class*="viewer"]'],
  pinned: [cssModule('notice', 'announcement', 'pinnedComment'), '[class*="announcement"]'],
} as const;

/** 宝贝口袋 (the goods bag) and the card of the item being presented (all GUESS, as of 2026-11). */
export const PRODUCT = {
  card: [cssModule('goodsItem', 'itemCard', 'productCard'), '[class*="goods-item"]'],
  title: [cssModule('itemTitle', 'goodsTitle', 'title')],
  price: [cssModule('itemPrice', 'price', 'priceWrap')],
  originalPrice: ['del', 's', cssModule('linePrice', 'originPrice', 'reservePrice')],
  finalPrice: [cssModule('finalPrice', 'couponPrice', 'handPrice')],
  coupon: [cssModule('coupon', 'couponTag', 'benefit')],
  shipping: [cssModule('postage', 'freight', 'shipping')],
  stock: [cssModule('stock', 'sold', 'sales')],
  countdown: [cssModule('countdown', 'countDown', 'timer')],
  featured: cssModule('explaining', 'explainTag', 'speaking', 'current'),
  /** Cards link to `item.taobao.com/item.htm?id=…` (or detail.tmall.com): the item id. */
  link: 'a[href*="item.htm"], a[href*="detail.tmall.com"], a[href*="itemId="]',
  idAttrs: ['data-item-id', 'data-itemid', 'data-id'],
} as const;

/** The page after the stream (GUESS: wording of the replay screen). */
export const ENDED_TEXT = /直播已结束|本场直播已结束|主播已下播|直播已经结束|该直播已结束/;
/** The login mask over the room (GUESS: wording; the form itself is an iframe from login.taobao.com). */
export const LOGIN_TEXT = /请先登录|登录后(?:查看|观看|继续观看)|扫码登录|密码登录|亲，请登录/;
export const LOGIN_FRAME = 'iframe[src*="login.taobao.com"], iframe[src*="login.tmall.com"]';
export const FEATURED_TEXT = /讲解中|正在讲解/;
