/**
 * Where YouTube Live shows what we read. YouTube names its components as custom elements and ids
 * (`yt-live-chat-text-message-renderer`, `#author-name`), which outlive its class names; every entry
 * lists its variants, the most specific first. Sources: research/platforms.md §7 (social_stream
 * `sources/youtube.js`, 2026-08; stream-nexus `js/feed/youtube.js` DOM samples, 2023-07) and public
 * scrapers of the watch page (merch shelf 2025-05, Products panel, info line).
 */

/** The chat list, in the `live_chat` document (the popout, or iframe#chatframe of a watch page). */
export const CHAT_LIST = [
  // social_stream: `yt-live-chat-app #items.yt-live-chat-item-list-renderer`; its children are the rows.
  'yt-live-chat-item-list-renderer #item-offset > #items',
  'yt-live-chat-item-list-renderer #items.yt-live-chat-item-list-renderer',
  'yt-live-chat-item-list-renderer #items',
] as const;

/** Row elements, by tag name (lower case, as `Element.localName` gives them). */
export const ROW = {
  text: 'yt-live-chat-text-message-renderer',
  /** Super Chat. */
  paid: 'yt-live-chat-paid-message-renderer',
  /** Super Sticker. */
  sticker: 'yt-live-chat-paid-sticker-renderer',
  /** New member, milestone or upgrade. */
  membership: 'yt-live-chat-membership-item-renderer',
  giftPurchase: 'ytd-sponsorships-live-chat-gift-purchase-announcement-renderer',
  giftRedemption: 'ytd-sponsorships-live-chat-gift-redemption-announcement-renderer',
  /** Jewels gifts (2025). */
  jewels: 'yt-gift-message-view-model',
  donation: 'yt-live-chat-donation-announcement-renderer',
  /** "Welcome to live chat! Remember to guard your privacy…". */
  engagement: 'yt-live-chat-viewer-engagement-message-renderer',
  /** "Slow mode is on", "Subscribers-only mode". */
  modeChange: 'yt-live-chat-mode-change-message-renderer',
  /** Keeps the height of a row that is not rendered yet. */
  placeholder: 'yt-live-chat-placeholder-item-renderer',
} as const;

/** Parts of a row. */
export const IN_ROW = {
  author: ['#author-name'],
  message: ['#message'],
  deleted: ['#deleted-state'],
  amount: ['#purchase-amount', '#purchase-amount-chip'],
  stickerAlt: ['#sticker img[alt]', '#sticker-container img[alt]'],
  membershipHeader: ['#header-primary-text', '#header-subtext'],
  /** Gift purchase header ("Sent 5 … gift memberships") and plain system texts. */
  primaryText: ['#primary-text', '#text', '#subtext'],
  /** Badges sit inside `#author-name` (`#chip-badges`) and may carry an `<img alt>`. */
  badges: 'yt-live-chat-author-badge-renderer, #chip-badges, #chat-badges',
  /** `author-type` on the row, else the `owner` class that `#author-name` gets. */
  owner: '[author-type~="owner"], #author-name.owner',
} as const;

/** Room facts on the watch page (`/live/<id>`, `/watch?v=<id>`) and in the chat document. */
export const ROOM = {
  videoId: ['ytd-watch-flexy[video-id]'],
  // ytd-channel-name also holds a tooltip with the same name: read the formatted string only.
  anchorName: [
    'ytd-watch-metadata ytd-video-owner-renderer ytd-channel-name yt-formatted-string#text',
    'ytd-video-owner-renderer #channel-name #text',
    // 2022 layout.
    'ytd-video-secondary-info-renderer ytd-channel-name yt-formatted-string#text',
  ],
  anchorLink: [
    'ytd-video-owner-renderer ytd-channel-name a[href]',
    'ytd-video-owner-renderer a[href^="/@"]',
    'ytd-video-owner-renderer a[href^="/channel/"]',
  ],
  title: [
    'ytd-watch-metadata #title h1 yt-formatted-string',
    'ytd-watch-metadata h1',
    // 2022 layout.
    'ytd-video-primary-info-renderer h1.title',
  ],
  // The count rolls digit columns (`yt-animated-rolling-number`): its text is not the number, the label is.
  viewersLabel: ['ytd-watch-info-text #view-count[aria-label]'],
  viewers: ['ytd-watch-info-text #info > span:first-child', 'ytd-video-view-count-renderer .view-count'],
  /** The pinned message of the chat: a text message inside the banner. */
  pinned: [
    'yt-live-chat-banner-renderer yt-live-chat-text-message-renderer #message',
    'yt-live-chat-banner-renderer #message',
  ],
} as const;

/** Product cards: the player's featured product, the merch shelf and the Products panel. */
export const PRODUCT = {
  /** Shown over the player while the host features it. Inner class names are a guess. */
  featured: ['.ytp-featured-product'],
  cards: [
    'ytd-merch-shelf-renderer ytd-merch-shelf-item-renderer',
    'ytd-product-list-renderer ytd-product-list-item-renderer',
    'ytd-product-list-item-renderer',
  ],
  title: [
    '.product-item-title',
    '#product-title',
    '.ytp-featured-product-title',
    '[class*="product-title" i]',
  ],
  price: [
    '.product-item-price',
    '#product-price',
    // Shown instead of the price for some merchants ("From $34.50").
    '#product-price-replacement',
    '.ytp-featured-product-price-text',
    '[class*="product-price" i]',
  ],
  /** Guesses: no source shows a struck price on YouTube cards yet. */
  originalPrice: ['s', 'del', '[class*="original-price" i]', '[class*="strikethrough" i]'],
} as const;

/** Where the page states whether the stream is live: the info line, the player, the chat app. */
export const STATE = {
  /** Read as text and as `aria-label`. Not the description or the comments, which viewers write. */
  status: [
    'ytd-watch-info-text #view-count',
    'ytd-watch-info-text #date-text',
    'ytd-watch-info-text #info',
    'ytd-video-primary-info-renderer #info-strings',
    '.ytp-offline-slate',
    // The chat app shows this instead of the chat when there is none ("Chat is disabled…").
    'yt-live-chat-app > #contents > yt-live-chat-message-renderer',
    'yt-live-chat-unavailable-message-renderer',
  ],
  /** The player's error screen: age check, bot check. */
  playabilityError: ['yt-playability-error-supported-renderers', '#error-screen', '.ytp-error'],
  liveBadge: ['.ytp-time-display.ytp-live'],
} as const;
