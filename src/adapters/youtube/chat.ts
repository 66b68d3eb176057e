/**
 * YouTube Live chat rows. The chat is its own document (`/live_chat`, popout or iframe#chatframe);
 * its `#items` list holds one custom element per row, appended at the bottom, each with the
 * message id as its `id` attribute.
 */
import type { ChatRow, RowKind } from '../types';
import { squash, textWithAlt } from '../text';
import { firstMatch } from '../common';
import { CHAT_LIST, IN_ROW, ROW } from './selectors';

/** The `#items` list whose children are the rows; null on a watch page, whose chat is in a frame. */
export function findChatList(doc: Document): Element | null {
  return firstMatch(doc, CHAT_LIST);
}

const isBadge = (el: Element) => el.matches(IN_ROW.badges);

/** The text of the first part matching `selectors`, emoji as their alt text, badges left out. */
function partText(row: Element, selectors: readonly string[]): string {
  for (const sel of selectors) {
    const el = row.querySelector(sel);
    if (!el) continue;
    const t = squash(textWithAlt(el, isBadge));
    if (t) return t;
  }
  return '';
}

const join = (...parts: string[]) => squash(parts.filter(Boolean).join(' '));

export function parseRow(row: Element): ChatRow | null {
  const tag = row.localName;
  if (tag === ROW.placeholder) return null;
  const author = partText(row, IN_ROW.author);
  let kind: RowKind;
  let text: string;
  switch (tag) {
    case ROW.text:
      kind = row.matches(IN_ROW.owner) || row.querySelector(IN_ROW.owner) ? 'host' : 'chat';
      // A retracted message keeps only its "[message deleted]" note.
      text = partText(row, IN_ROW.message) || partText(row, IN_ROW.deleted);
      break;
    case ROW.paid:
      kind = 'gift';
      text = join(partText(row, IN_ROW.amount), partText(row, IN_ROW.message));
      break;
    case ROW.sticker:
      kind = 'gift';
      text = join(partText(row, IN_ROW.amount), stickerName(row));
      break;
    case ROW.membership:
      kind = 'gift';
      text = join(...IN_ROW.membershipHeader.map((s) => partText(row, [s])), partText(row, IN_ROW.message));
      break;
    case ROW.giftPurchase:
    case ROW.giftRedemption:
    case ROW.jewels:
    case ROW.donation:
      kind = 'gift';
      text = partText(row, IN_ROW.primaryText) || partText(row, IN_ROW.message) || ownText(row, author);
      break;
    case ROW.engagement:
    case ROW.modeChange:
      kind = 'system';
      text = join(partText(row, IN_ROW.message), partText(row, ['#text']), partText(row, ['#subtext']));
      break;
    default:
      // A row type we do not know yet: a message if it has an author, else a notice.
      kind = author ? 'chat' : 'system';
      text = partText(row, IN_ROW.message) || ownText(row, author);
  }
  if (!author && !text) return null;
  const parsed: ChatRow = { author, text, kind };
  const id = row.getAttribute('id')?.trim();
  if (id) parsed.id = id;
  return parsed;
}

function stickerName(row: Element): string {
  for (const sel of IN_ROW.stickerAlt) {
    const alt = row.querySelector(sel)?.getAttribute('alt')?.trim();
    if (alt) return alt;
  }
  return '';
}

/** The row's visible text without its author, timestamp and badges. */
function ownText(row: Element, author: string): string {
  const full = squash(textWithAlt(row, (el) => isBadge(el) || el.matches('#timestamp, #menu')));
  return author && full.startsWith(author) ? squash(full.slice(author.length)) : full;
}
