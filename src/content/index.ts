/**
 * Content script: runs on known live platforms (static match) and on any tab the user starts from
 * the popup (injected through `scripting`). It finds the chat, reads each message once and hands it
 * to the transport. It never opens IndexedDB: evidence lives only in the extension's origin.
 */
import browser from 'webextension-polyfill';
import {
  CAPTURE_PORT,
  CHAT_BACKLOG,
  CHAT_HOST,
  CHAT_TRUNCATED,
  ORPHAN_PREFIX,
  PROTOCOL_VERSION,
  type Hello,
  type Orphan,
} from '../core/protocol';
import { LIMITS } from '../core/evidence';
import { isoTime, randomHex } from '../core/time';
import { clipText } from '../core/canonical';
import { adapterFor } from '../adapters/registry';
import { chatPathOf, resolveChatPath } from '../adapters/generic';
import { platformOf } from '../adapters/platforms';
import type { Adapter, PageState } from '../adapters/types';
import { CaptureTransport, type PortLike } from './transport';
import type { ObservedRow } from './chat-observer';
import { ChatLocator } from './chat-locator';
import { ChatPicker } from './picker';
import { SavedPick } from './saved-pick';
import { ProductTracker, RoomTracker, roomFacts } from './page-facts';
import { WarningBanner } from './warning-banner';
import { pickLang, translator, type Lang, type Translate } from '../core/i18n';
import { SETTINGS_KEY, readSettings } from '../core/settings';

const LOCATE_EVERY_MS = 1000;
/** The page's state (live, ended, login wall) reads the whole page's text: every few looks only. */
const PAGE_STATE_EVERY = 3;

class ContentCapture {
  private transport: CaptureTransport | null = null;
  private locator: ChatLocator | null = null;
  private locateTimer: ReturnType<typeof setInterval> | null = null;
  private readonly adapter: Adapter = adapterFor(location.href);
  private readonly products = new ProductTracker();
  private readonly room = new RoomTracker();
  private roomKey = this.adapter.roomKey(location.href);
  private href = location.href;
  private warningBanner: WarningBanner | null = null;
  private picker: ChatPicker | null = null;
  private readonly savedPick = new SavedPick(browser.storage.local, location.origin);
  /** The language of the banner and the picker: the user's setting, else the browser's. */
  private lang: Lang = pickLang(navigator.language);
  private languageFollowed = false;
  private readonly t: Translate = (key, ...subs) => translator(this.lang)(key, ...subs);
  private pageState: { state: PageState; age: number } | null = null;
  private watchingAddress = false;
  private addressChanged = false;

  start(): void {
    if (this.transport) return;
    if (!this.languageFollowed) {
      this.languageFollowed = true;
      this.followLanguage();
    }
    const transport = new CaptureTransport(
      {
        connect: () => browser.runtime.connect({ name: CAPTURE_PORT }) as unknown as PortLike,
        hello: (sessionId) => this.hello(sessionId),
        onStopped: () => this.stop(),
        onWarn: (w) => this.banner().show(w),
        onPick: () => void this.pickChat(),
        stash: (sessionId, events) => {
          const orphan: Orphan = { sessionId, url: location.href.slice(0, LIMITS.urlChars), events };
          void browser.storage.local.set({ [ORPHAN_PREFIX + transport.instance]: orphan });
        },
        onForgetPick: () => this.locator?.forgetPick(),
        onPaused: (cause) => {
          if (cause === 'storage-full') this.banner().showNotice('storage-full');
        },
        onResumed: (cause) => {
          // Cards and room facts are sealed afresh, so the chain shows them as they are after the gap.
          this.products.reset();
          this.room.reset();
          if (cause === 'storage-full') this.banner().showNotice('storage-resumed');
        },
      },
      randomHex(8),
    );
    this.transport = transport;
    const locator = new ChatLocator({
      adapter: this.adapter,
      onRow: (row) => this.record(row),
      onState: (state) => this.transport?.reportChatList(state),
    });
    this.locator = locator;
    transport.start();
    this.watchAddress();
    this.tick();
    this.locateTimer = setInterval(() => this.tick(), LOCATE_EVERY_MS);
    // The area the user chose on this site wins over what the search found meanwhile (the moment it
    // takes to read it); nothing waits for it, so a page without one starts as fast as before.
    void this.savedPick.load().then((path) => {
      if (this.locator !== locator || !path) return;
      locator.setPickPath(path);
      locator.locate();
    });
  }

  private banner(): WarningBanner {
    return (this.warningBanner ??= new WarningBanner(this.translate()));
  }

  private translate(): Translate {
    return this.t;
  }

  /** Follows the language setting, now and when it changes on the options page (no reload needed). */
  private followLanguage(): void {
    const use = (raw: unknown) => {
      const setting = readSettings(raw).settings.language;
      this.lang = setting === 'auto' ? pickLang(navigator.language) : setting;
    };
    void browser.storage.local.get(SETTINGS_KEY).then(
      (r) => use(r[SETTINGS_KEY]),
      () => undefined,
    );
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && SETTINGS_KEY in changes) use(changes[SETTINGS_KEY]!.newValue);
    });
  }

  /** Once a second: has the page moved to another room, is the chat still there, what do the cards say. */
  private tick(): void {
    // Rows waiting to be read were shown before this look: they go to the room they were shown in.
    this.locator?.flush();
    this.checkRoom();
    this.locator?.locate();
    this.readFacts();
  }

  /** A single-page navigation to another room ends the session and starts a new one. */
  private checkRoom(): void {
    this.href = location.href;
    const key = this.adapter.roomKey(this.href);
    if (key === this.roomKey) return;
    this.roomKey = key;
    this.products.reset();
    this.room.reset();
    this.pageState = null;
    this.transport?.rehello();
  }

  /** The user asked to point at the chat area: show the picker, then keep and remember the choice. */
  private async pickChat(): Promise<void> {
    if (!this.locator) return;
    this.picker ??= new ChatPicker(this.translate());
    const list = await this.picker.pick();
    if (!list || !this.locator) return;
    const path = chatPathOf(list);
    // A path that does not lead back to the list is not worth remembering; the list is used anyway.
    const usable = path && resolveChatPath(document, path) === list ? path : null;
    this.locator.usePicked(list, usable);
    if (usable)
      await this.savedPick
        .save(usable)
        .catch((err: unknown) => console.warn('[liveproof] could not remember the chat area', err));
  }

  /** Product cards and room facts; a page that makes the adapter stumble costs only this reading. */
  private readFacts(): void {
    const t = this.transport;
    if (!t) return;
    try {
      const time = isoTime();
      for (const data of this.products.update(this.adapter.readProducts(document), Date.now()))
        t.push({ type: 'product', time, data });
      const room = this.room.update(this.adapter.readRoom(document, location.href), this.currentPageState());
      if (room) t.push({ type: 'room', time, data: room });
    } catch (err) {
      console.warn('[liveproof] could not read the room or products', err);
    }
  }

  /**
   * The page's state, read again every `PAGE_STATE_EVERY` looks, and at once while no chat is
   * watched (a login wall or an ended stream is then what the popup has to explain).
   */
  private currentPageState(): PageState {
    const chat = this.locator?.element ?? null;
    const cached = this.pageState;
    if (cached && chat && ++cached.age < PAGE_STATE_EVERY) return cached.state;
    const state = this.adapter.pageState(document, chat);
    this.pageState = { state, age: 0 };
    return state;
  }

  stop(): void {
    if (this.locateTimer) clearInterval(this.locateTimer);
    this.locateTimer = null;
    this.locator?.stop();
    this.locator = null;
    this.picker?.cancel();
    const t = this.transport;
    this.transport = null;
    t?.stop();
  }

  flush(): void {
    this.locator?.flush();
    this.transport?.flushNow();
  }

  private hello(sessionId: string | undefined): Hello {
    return {
      t: 'hello',
      v: PROTOCOL_VERSION,
      instance: this.transport!.instance,
      url: location.href.slice(0, LIMITS.urlChars),
      title: clipText(document.title, LIMITS.titleChars),
      adapter: this.adapter.id,
      platform: platformOf(location.href),
      ...this.roomForHello(),
      ...(sessionId ? { sessionId } : {}),
    };
  }

  private roomForHello(): { room?: ReturnType<typeof roomFacts> } {
    try {
      const room = roomFacts(this.adapter.readRoom(document, location.href));
      return Object.keys(room).length ? { room } : {};
    } catch {
      return {};
    }
  }

  /**
   * Where the Navigation API tells of every change of address (history.pushState included), the
   * rows the observer noted before it are read at once, for the room they were shown in.
   */
  private watchAddress(): void {
    if (this.watchingAddress) return;
    const nav = (globalThis as { navigation?: EventTarget }).navigation;
    if (!nav) return;
    nav.addEventListener('currententrychange', () => {
      this.locator?.flush();
      this.addressChanged = true;
    });
    this.watchingAddress = true;
  }

  /**
   * Reading `location` from the isolated world is slow enough to count once per message; where the
   * Navigation API tells of every change of address, it is read only after one. The once-a-second
   * look reads it regardless.
   */
  private addressMayHaveChanged(): boolean {
    if (!this.watchingAddress) return true;
    const changed = this.addressChanged;
    this.addressChanged = false;
    return changed;
  }

  private record(row: ObservedRow): void {
    // Gifts, likes, entries and system notices are not chat: they are never mixed into it.
    if (row.kind !== 'chat' && row.kind !== 'host') return;
    const t = this.transport;
    if (!t) return;
    // A message shown after the page moved to another room belongs to that room's session, even
    // before the once-a-second look notices the move.
    if (this.addressMayHaveChanged() && location.href !== this.href) this.checkRoom();
    const truncated = row.text.length > LIMITS.textChars;
    const flags =
      (row.kind === 'host' ? CHAT_HOST : 0) |
      (row.backlog ? CHAT_BACKLOG : 0) |
      (truncated ? CHAT_TRUNCATED : 0);
    t.pushChat(
      clipText(row.author, LIMITS.authorChars),
      clipText(row.text, LIMITS.textChars),
      flags,
      row.seenAt,
      row.id ? clipText(row.id, 200) : undefined,
    );
  }
}

// The script may be injected again into a tab where it already runs (the user stops, then starts
// again): reuse the instance living in this isolated world instead of observing twice.
const GLOBAL_KEY = '__liveproofContent';
const scope = globalThis as typeof globalThis & { [GLOBAL_KEY]?: ContentCapture };
let capture = scope[GLOBAL_KEY];
if (!capture) {
  const created = new ContentCapture();
  capture = scope[GLOBAL_KEY] = created;
  // Deliver what is buffered before the page goes away or is frozen in the background.
  addEventListener('pagehide', () => created.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') created.flush();
  });
}
capture.start();
