/**
 * Where live.kuaishou.com keeps the chat, the room facts and the product cards. The viewer page is a
 * Vue app: its class names are semantic (`comment-cell`, `username`) and the build hashes live in
 * `data-v-xxxxxxxx` attributes, which we never select on. Each list holds variants, most recent
 * first; the notes say where a selector comes from (research/platforms.md §2) and when it was seen.
 * "GUESS" marks selectors no public source confirms (as of 2026-11).
 */

/** The chat list: the element whose direct children are the rows. */
export const CHAT_LIST = [
  // `.chat-history .wrapper`: userscript idx:43492870821 (undated, 2025). The same wrapper carries
  // `.flex-1.flex-col` in an electron collector (idx:31229560333).
  '.chat-history > .wrapper',
  '.chat-history .wrapper',
  // Fallback of the same userscript; GUESS that it still names a list of cells.
  '.chat-list',
] as const;

/**
 * One message. Added rows (`.item`) contain a `.comment-cell` (Ikaros-521/AI-Vtuber, Kuaishou fix of
 * 2025-01-13); some builds append the cells themselves.
 */
export const CELL = '.comment-cell';

export const ROW = {
  /** The nickname, ending in "：". */
  name: ['.username', '.user-name', '[class*="nickname"]'],
  /** The chat text: text nodes and `img.emoji[alt]` (2025-01); older code read `span span:last-child`. */
  comment: ['.comment', '.comment-content'],
  /** A gift: `.gift-comment` (2025-01) or `.comment` next to a `.gift-img` (idx:43492870821). */
  gift: '.gift-comment, .gift-img, [class*="gift-"]',
  /** A like ("点亮了"): `.like` (2025-01). */
  like: '.like, [class*="like-"]',
  /** "X 进入直播间": GUESS, no source shows the entry row; matched by class and by its fixed text. */
  enter: '.enter, [class*="enter-"]',
  /** System notices: `.comment-cell.system` (Ikaros-521 and idx:31229560333 skip them). */
  system: '.system, [class*="system-"]',
  /** Fan-club and wealth badges before the name (GUESS: class names), kept out of name and text. */
  badge: '[class*="badge"], [class*="level"], [class*="medal"], [class*="fans"], [class*="tag"]',
  /** The anchor's own rows carry a "主播" badge (GUESS) or a host class. */
  hostClass: '.anchor, .is-anchor, [class*="anchor-"], [class*="author-tag"]',
  /** A message id on the row or the cell, where a build renders one (GUESS: none seen so far). */
  idAttrs: ['data-id', 'data-msg-id', 'data-comment-id'],
} as const;

/** The room header. */
export const ROOM = {
  // `.name-group > .name` and `img.avatar`: 微果AI userscript v1.4 (greasyfork 534244, idx:17832621978, ≈2025).
  anchorName: ['.name-group > .name', '.author-info .name', '[class*="author-name"]', '.user-name'],
  /** "快手号：xxx" in the author card (GUESS: label text as on the profile page). */
  anchorIdArea: ['.name-group', '.author-info', '[class*="author-card"]'],
  // No source names these; the SSR state has `liveStream.caption` and `watcherCount` (idx:61675303301).
  title: ['.live-title', '[class*="live-caption"]', '.caption'],
  viewers: ['.watching-count .count', '.watching-count', '[class*="watching"]', '[class*="online-count"]'],
  pinned: [
    '.pinned-comment .content',
    '.pinned-comment',
    '[class*="notice-board"]',
    '[class*="announcement"]',
  ],
} as const;

/** "快手号：3xk9…" as the page labels an account id. */
export const ANCHOR_ID_TEXT = /快手号\s*[:：]\s*([\w.-]+)/;

/**
 * The shopping-cart panel (小黄车). Nothing public covers the viewer page; the anchor console uses
 * `[class^=list-container] [class^=list-item]` (qiutongxue/oba-live-tool, 2026-03-20), which the
 * newer builds (GUESS) share. The older names are GUESSes from the Vue naming the chat uses.
 */
export const PRODUCT = {
  card: ['.goods-list > .goods-item', '[class^="list-container"] [class^="list-item"]', '.goods-item'],
  title: ['.goods-title', '[class^="title"]', '[class*="goods-name"]'],
  price: ['.goods-price .price', '.goods-price', '[class^="price"]', '[class*="sale-price"]'],
  originalPrice: ['del', 's', '.origin-price', '[class^="origin"]'],
  finalPrice: ['.final-price', '[class^="final"]', '[class*="coupon-price"]'],
  coupon: ['.coupon', '[class^="coupon"]'],
  shipping: ['.freight', '.shipping', '[class^="freight"]'],
  stock: ['.stock', '.sold', '[class^="stock"]', '[class^="sold"]'],
  countdown: ['.countdown', '[class^="countdown"]'],
  /** The card being presented: "讲解中" tag or an `explaining` class (GUESS). */
  featured: '.explaining, [class*="explaining"], [class^="explain"]',
  idAttrs: ['data-item-id', 'data-goods-id', 'data-id'],
} as const;

/** The page after the stream: overlay text (GUESS: wording as on the app). */
export const ENDED_TEXT = /直播已结束|本场直播已结束|主播已下播|主播暂时不在|主播正在休息|暂未开播/;
/** A login wall: the QR or phone login dialog replaces the room (GUESS: wording). */
export const LOGIN_TEXT = /扫码登录|登录后(?:查看|观看|继续观看)|请先登录|手机号登录/;
export const FEATURED_TEXT = /讲解中|正在讲解/;
export const HOST_BADGE_TEXT = /^(?:主播|房主)$/;
/** The fixed text of an entry row. */
export const ENTER_TEXT = /^(?:进入|加入|来到)了?直播间$/;
