/** What a site adapter knows about one kind of live page. Pure DOM reading: no extension APIs. */
export interface ChatRow {
  author: string;
  text: string;
  kind: 'chat' | 'host';
}

export interface Adapter {
  /** Equals the folder name. */
  id: string;
  /** Pages this adapter serves; `generic` has none and serves any page. */
  matches: readonly RegExp[];
  /** Finds the rendered chat list, or null while it is not (yet) on the page. */
  findChatList(doc: Document): Element | null;
  /** Reads one rendered row; null for rows that are not chat (placeholders, empty rows). */
  parseRow(row: Element): ChatRow | null;
}
