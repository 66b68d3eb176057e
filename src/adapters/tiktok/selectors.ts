/**
 * Where TikTok's web LIVE room keeps what we read. Sources: `shared/research/platforms.md` §6
 * (social_stream `sources/tiktok.js`, 2026-07), a 2026-08-30 "observed DOM contract" probe and a
 * 2026-09-15 reader quoted in the same section's sources. TikTok renames classes often (emotion
 * `tiktok-<hash>-DivComment`, then Tailwind utilities) and its data-e2e attributes rarely, so
 * data-e2e comes first and class fragments are fallbacks. Variants are listed newest first.
 */

export const CHAT = {
  /** Rows by their own label: messages, joins, follows and shares. */
  marked: '[data-e2e="chat-message"], [data-e2e="enter-message"], [data-e2e="social-message"]',
  /** 2025-03 onward: each row sits in a recycled `[data-index]` slot (`.w-full`); -1 is a spacer. */
  slot: '[data-index]',
  /** Containers that hold the chat (social_stream, 2026): the list is somewhere inside. */
  containers: [
    '[data-e2e="live-chat-container"]',
    '[data-e2e="public-screen-live-chat-slot"]',
    '[data-e2e="chat-room"]',
    '[class*="DivChatRoomContent"]',
    '.live-shared-ui-chat-list-scrolling-list',
  ],
  /** The list itself before its first row, per layout (the emotion one is ≤2024). */
  emptyList: [
    '[data-item="list-message-list"]',
    '[class*="DivChatMessageList"]',
    '.live-shared-ui-chat-list-scrolling-list',
  ],
  /** Outside the list: the sticky join/like line under it, and a pinned message above it. */
  notList: [
    '[class*="DivBottomStickyMessageContainer"]',
    '[class="w-full h-auto overflow-hidden flex-shrink-0 max-h-[200px] min-h-32"]',
    '[data-e2e="pinned-message"]',
    '[class*="PinnedMessage"]',
  ].join(','),
  owner: '[data-e2e="message-owner-name"]',
  /**
   * The words: the last `.break-words` that does not hold the name (2026-09); `-DivComment`
   * (emotion, ≤2024); the shared-ui comment class.
   */
  body: ['[class*="-DivComment"]', '.live-shared-ui-chat-list-chat-message-comment'],
  breakWords: '.break-words',
  /** Badges next to the name; their pictures' URLs hold `/grade_`, `/moderator_`, `/sub_`. */
  badge: '[class*="Badge"], [class*="badge"], [data-e2e*="badge"]',
  /** The top-gifter strip some builds put among the rows; not a message (social_stream). */
  topGivers: '[class*="DivTopGiverContainer"]',
  /** Gift pictures: `tiktokcdn.com/img/…/webcast-va/<id>~tplv-obj.png` plus `×N`. */
  giftImg: 'img[src*="tiktokcdn"][src*="~tplv-obj"], img[src*="/webcast-va/"]',
} as const;

/**
 * The host's own rows. GUESS: no public source shows the label's markup; it is matched by its text
 * or image alt (`Host`), or by a profile link naming the room's own @handle.
 */
export const HOST_LABEL = /^(?:Host|LIVE host|Creator|主播)$/i;

export const ROOM = {
  viewers: ['[data-e2e="live-people-count"]'],
  /** GUESS: header hooks; the host name is also read from the header's link to `/@handle`. */
  anchorName: ['[data-e2e="live-host-nickname"]', '[class*="-SpanNickName"]', '[class*="-H1HostName"]'],
  title: ['[data-e2e="live-title"]', '[class*="-DivLiveTitle"]', '[class*="-H2LiveTitle"]'],
  /** GUESS: a message the host or a moderator pinned above the chat. */
  pinned: ['[data-e2e="pinned-message"]', '[class*="PinnedMessage"]'],
  /** SSR data: `LiveRoom.liveRoomUserInfo.{user, liveRoom}` (platforms.md §6). */
  sigi: 'script#SIGI_STATE',
  /** `snssdk1233://live?room_id=…` (TalkLounge/tiktok-live-guest reads the room id here). */
  appLink: 'meta[property="al:ios:url"]',
  canonical: 'meta[property="og:url"]',
} as const;

/**
 * LIVE shopping cards. GUESS throughout: platforms.md §6 found no public code reading them, so
 * these follow TikTok's data-e2e and emotion naming, and the fields are read from the card texts.
 */
export const PRODUCT = {
  featured: ['[data-e2e="live-pinned-product"]', '[class*="PinnedProduct"]'],
  card: [
    '[data-e2e="live-product-item"]',
    '[data-e2e*="product-card"]',
    '[class*="-DivProductItem"]',
    '[class*="ProductCard"]',
  ],
  title: '[data-e2e="live-product-title"], [data-e2e*="product-title"], [class*="ProductTitle"]',
  struck: 's, del, .line-through, [class*="OriginalPrice"], [class*="origin-price"], [style*="line-through"]',
} as const;

export const CARD_TEXT = {
  featured: /^(?:Pinned|Featured|Now showing|讲解中|正在讲解)$/i,
  current: /(?:Flash sale price|Sale price|LIVE price|秒杀价|直播价)/i,
  final: /(?:After coupons?|With coupons?|Final price|Est\. price|到手价?|券后价?)/i,
  original: /(?:Original price|\bWas\b|原价)/i,
  notTitle:
    /^(?:Pinned|Featured|Now showing|Buy|Buy now|Sold out|Add to cart|讲解中|去抢购|\d{1,3}|-?\d+%(?: off)?)$/i,
  shipping: /Free shipping|Shipping\s*[:：]?\s*\$\s?\d[\d.]*|包邮|运费\s*\$?\s?\d[\d.]*/i,
  coupon:
    /\$\s?\d+(?:\.\d+)?\s+off(?:\s+coupon)?|\d+%\s+off\s+coupon|Coupon\s*[:：]\s*\$\s?\d+(?:\.\d+)?|满\s*\$?\d+\s*减\s*\$?\d+/i,
  stock:
    /Only\s+\d[\d,]*\s+left|\d[\d,]*\s+left|\d[\d.,]*\s*[KkMm]?\+?\s+sold|Sold out|仅剩\s*\d+\s*件|已售\s*\d[\d.]*\s*[万Kk]?/i,
  countdown: /(?:(?:Ends|Starts|Ending)\s+in|距结束|距开抢)?\s*\d{1,2}:\d{2}(?::\d{2})?/i,
} as const;

export const STATE = {
  ended: /LIVE has ended|This LIVE has ended|LIVE ended|直播已结束/i,
  login: /Log in to TikTok|Log in to (?:comment|chat|continue)|登录 TikTok/i,
  loginModal: ['#login-modal', '[data-e2e="login-modal"]'],
} as const;
