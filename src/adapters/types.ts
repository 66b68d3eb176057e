/**
 * What a site adapter knows about one kind of live page. Pure DOM reading over plain `Document`s and
 * `Element`s: no extension APIs, so the same code runs in the content script and in Vitest.
 */

/**
 * What a chat-list row is. Only `chat` and `host` rows become `chat` events; the others (gifts,
 * likes, "X entered the room", system notices) may be counted but are never mixed into the chat.
 */
export type RowKind = 'chat' | 'host' | 'gift' | 'like' | 'enter' | 'system';

export interface ChatRow {
  /** The nickname as shown, without badges or the trailing `：`. May be empty for system rows. */
  author: string;
  /** The message, with emoji images replaced by their alt text (`[赞]`). */
  text: string;
  kind: RowKind;
  /** The platform's own message id when the row carries one (`data-id`, `id="…"`); used to deduplicate. */
  id?: string;
}

/** Facts about the room, each only when the page shows it. Strings exactly as displayed. */
export interface RoomInfo {
  roomId?: string;
  anchorName?: string;
  /** The anchor's account id (抖音号, 快手号, @handle, UID). */
  anchorId?: string;
  title?: string;
  /** Viewer or online count as shown (`1.2万`, `3,456 watching`). */
  viewers?: string;
  /** A pinned or announcement message, where the platform has one. */
  pinned?: string;
}

/** One product card as the shopper sees it. Prices are the displayed strings (`¥99.00`, `99`). */
export interface ProductCard {
  /** A stable identity for the card: the platform's product id, else a slug of the title. */
  id: string;
  title: string;
  /** The headline price. */
  price?: string;
  /** The struck-through or "原价" price. */
  originalPrice?: string;
  /** 到手价 / 券后价: the price after coupons, as the card states it. */
  finalPrice?: string;
  /** Coupon text (`满199减20`, `券 ¥10`). */
  coupon?: string;
  /** Shipping as shown (`包邮`, `运费 ¥20`). */
  shipping?: string;
  /** Stock or sales line (`仅剩 50 件`, `已抢 1.2万`). */
  stock?: string;
  /** A countdown shown on the card (`02:13`, `距结束 5 分钟`). */
  countdown?: string;
  /** The card the host is presenting now (讲解中, pinned, featured). */
  featured?: boolean;
}

/** Whether the page is a room that is live now; `unknown` while it is still loading. */
export type PageState = 'live' | 'ended' | 'login' | 'unknown';

export interface Adapter {
  /** Equals the folder name under `src/adapters/`. */
  id: string;
  /** Pages this adapter serves; `generic` has none and serves any page. */
  matches: readonly RegExp[];
  /**
   * The room a URL shows, for telling a single-page navigation to another room from a change of
   * query or hash within the same room. Two URLs of the same room give the same key.
   */
  roomKey(url: string): string;
  /** Finds the rendered chat list, or null while it is not (yet) on the page. */
  findChatList(doc: Document): Element | null;
  /** Reads one rendered row; null for rows that are not messages at all (placeholders, empty rows). */
  parseRow(row: Element): ChatRow | null;
  /** Reads what the page shows of the room. `url` is the page's address. */
  readRoom(doc: Document, url: string): RoomInfo;
  /** Reads the product cards on the page, the featured one first. */
  readProducts(doc: Document): ProductCard[];
  /**
   * Live, ended, behind a login wall, or not known yet. `chat` is the list the content script is
   * watching, when it has one: an adapter takes it instead of looking for the list again.
   */
  pageState(doc: Document, chat?: Element | null): PageState;
}

/**
 * A fixture test embedded with each adapter (`src/adapters/<id>/cases.ts`), run by
 * `test/unit/adapters/cases.test.ts` against `test/fixtures/adapters/<id>/<fixture>`.
 */
export interface AdapterCase {
  /** What the case shows, e.g. "live room with gifts and a featured product". */
  name: string;
  /** File name under `test/fixtures/adapters/<id>/`. */
  fixture: string;
  /** The address the fixture is shown at (it must be claimed by this adapter, except for generic). */
  url: string;
  expect: {
    state: PageState;
    /** Every row of the chat list, in order, as `parseRow` reads them (rows it skips left out). */
    chat?: ChatRow[];
    /** `null`: there must be no chat list (stream ended, login wall). */
    noChatList?: true;
    room?: RoomInfo;
    products?: ProductCard[];
  };
}
