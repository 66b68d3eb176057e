/**
 * The chat area per tab: what each connected content script says about its chat list (kept in
 * memory; a content script says it again after every reconnect), and the chat areas users pointed
 * at, remembered per site in `storage.local` (written by the content script, forgotten here).
 */
import { chatPickKey, type ChatListState, type PortOut } from '../core/protocol';
import type { KeyValueArea } from './tab-state';

/** The parts of a capture Port this needs: where it comes from and how to talk to it. */
export interface ChatPort {
  sender?: { frameId?: number };
  postMessage(message: PortOut): void;
}

const RANK: Record<ChatListState, number> = { searching: 0, found: 1, picked: 2 };

export class ChatLists {
  private readonly tabs = new Map<number, Map<ChatPort, ChatListState>>();

  /** A content script reported its state; `null` when its Port went away. */
  report(tabId: number, port: ChatPort, state: ChatListState | null): void {
    let ports = this.tabs.get(tabId);
    if (state === null) {
      ports?.delete(port);
      if (ports?.size === 0) this.tabs.delete(tabId);
      return;
    }
    if (!ports) this.tabs.set(tabId, (ports = new Map()));
    ports.set(port, state);
  }

  /**
   * The tab's state: the best of its page and frames (YouTube's page has no chat list of its own;
   * its chat frame has). Null when no content script of the tab said anything.
   */
  of(tabId: number): ChatListState | null {
    let best: ChatListState | null = null;
    for (const s of this.tabs.get(tabId)?.values() ?? []) if (best === null || RANK[s] > RANK[best]) best = s;
    return best;
  }

  forgetTab(tabId: number): void {
    this.tabs.delete(tabId);
  }
}

/**
 * Posts `message` to the top frame's content script among a tab's Ports (the picker works in the
 * page the user sees). Returns whether one was there to receive it.
 */
export function tellTopFrame(ports: Iterable<ChatPort>, message: PortOut): boolean {
  let told = false;
  for (const port of ports) {
    if (port.sender?.frameId !== 0) continue;
    try {
      port.postMessage(message);
      told = true;
    } catch {
      // That page went away.
    }
  }
  return told;
}

/** Origins are remembered only for web pages. */
function originOf(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether a chat area is remembered for the site of `url`. */
export async function chatPickSaved(area: KeyValueArea, url: string | null | undefined): Promise<boolean> {
  const origin = originOf(url);
  if (!origin) return false;
  const key = chatPickKey(origin);
  return (await area.get(key))[key] !== undefined;
}

/** Forgets the chat area remembered for the site of `url`; returns whether there was one. */
export async function forgetChatPick(area: KeyValueArea, url: string | null | undefined): Promise<boolean> {
  const origin = originOf(url);
  if (!origin) return false;
  const had = await chatPickSaved(area, url);
  await area.remove(chatPickKey(origin));
  return had;
}
