/**
 * Which session a tab is writing to. A session is one room in one tab (the adapter's `roomKey`:
 * origin and path, plus the query parameters that name a room such as Taobao's `liveId` or
 * YouTube's `v`): a reload continues it, moving to another room ends it and opens another, closing
 * the tab ends it. A frame (YouTube's chat lives in an iframe) joins the session of its tab's room.
 * Everything that changes a tab's session runs one at a time per tab.
 */
import { ProtocolError, type ErrorCode, type Hello, type NotPreservingReason } from '../core/protocol';
import { isoTime, newSessionId } from '../core/time';
import { isKnownLivePage, platformOf } from '../adapters/platforms';
import { adapterFor } from '../adapters/registry';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import type { KnownPlatformId } from '../core/platform-ids';
import type { EvidenceStore, SessionRow } from '../db';
import type { TabState } from './tab-state';
import type { CaptureEnvironment } from './environment';

export type HelloOutcome = { refused: ErrorCode } | { session: SessionRow; isNew: boolean };

/** The room a URL shows: two URLs of the same room have the same key. */
export function pageKey(url: string): string {
  return adapterFor(url).roomKey(url);
}

export class TabSessions {
  private readonly locks = new Map<number, Promise<unknown>>();
  /**
   * Called before a session is closed, while it can still be sealed into (the screenshots waiting
   * for a picture of it are sealed as missed). A failure is logged; the session is closed anyway.
   */
  onClosing: ((session: SessionRow) => Promise<void>) | null = null;

  constructor(
    private readonly store: EvidenceStore,
    private readonly tabs: TabState,
    private readonly environment: () => Promise<CaptureEnvironment>,
    /** The user's settings (which platforms start by themselves); all platforms when not given. */
    private readonly settings: () => Promise<Pick<Settings, 'platforms'>> = async () => DEFAULT_SETTINGS,
  ) {}

  openSession(tabId: number): Promise<SessionRow | undefined> {
    return this.store.db.sessions
      .where('tabId')
      .equals(tabId)
      .filter((s) => s.status === 'open')
      .first();
  }

  /** Whether this tab may be preserved: a known platform, or a page the user started by hand. */
  async allowed(tabId: number, url: string): Promise<boolean> {
    const mode = await this.tabs.get(tabId);
    if (mode?.mode === 'stopped') return false;
    if (mode?.mode === 'manual' && mode.origin === new URL(url).origin) return true;
    // A known platform's page that its adapter does not claim (Bilibili's live home page, a replay)
    // is not a live room: preservation starts there only when the user asks.
    if (!isKnownLivePage(url) || adapterFor(url).id === 'generic') return false;
    // The user may have turned automatic preservation off for this platform in the options.
    const platform = platformOf(url) as KnownPlatformId;
    return (await this.settings()).platforms[platform] !== false;
  }

  /** Why an http(s) tab without an open session is not preserved (for the popup). */
  async whyNot(tabId: number, url: string): Promise<NotPreservingReason> {
    if ((await this.tabs.get(tabId))?.mode === 'stopped') return 'stopped';
    if (platformOf(url) === 'web') return 'unknown-site';
    if (!isKnownLivePage(url) || adapterFor(url).id === 'generic') return 'not-live';
    const platform = platformOf(url) as KnownPlatformId;
    if ((await this.settings()).platforms[platform] === false) return 'platform-off';
    return 'unknown-site';
  }

  /** The user paused the tab: a `pause` is sealed and nothing the page shows is kept until `resume`. */
  pause(tabId: number): Promise<boolean> {
    return this.serial(tabId, async () => {
      const open = await this.openSession(tabId);
      if (!open) throw new ProtocolError('not-preserving');
      return this.store.pause(open.id, 'user');
    });
  }

  resume(tabId: number): Promise<boolean> {
    return this.serial(tabId, async () => {
      const open = await this.openSession(tabId);
      if (!open) throw new ProtocolError('not-preserving');
      return this.store.resume(open.id, 'user');
    });
  }

  /** Runs `fn` after everything already queued for this tab. */
  private serial<T>(tabId: number, fn: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(tabId) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(tabId, tail);
    void tail.then(() => {
      if (this.locks.get(tabId) === tail) this.locks.delete(tabId);
    });
    return run;
  }

  /**
   * A content script said hello (first contact, after a reload, after the worker restarted, or after
   * the page moved to another room). `topFrame` is false for a script in a frame of the tab.
   */
  hello(tabId: number, senderUrl: string, hello: Hello, topFrame = true): Promise<HelloOutcome> {
    return this.serial(tabId, () => this.helloNow(tabId, senderUrl, hello, topFrame));
  }

  private async helloNow(
    tabId: number,
    senderUrl: string,
    hello: Hello,
    topFrame: boolean,
  ): Promise<HelloOutcome> {
    if (new URL(hello.url).origin !== new URL(senderUrl).origin) return { refused: 'bad-request' };
    if (!(await this.allowed(tabId, hello.url))) return { refused: 'not-preserving' };

    const open = await this.openSession(tabId);
    if (open && pageKey(open.url) === pageKey(hello.url)) {
      // Same room: a reconnect after the worker restarted, a reload, or the room's chat frame (a new
      // page event says which page or frame joined).
      if (hello.sessionId !== open.id) await this.sealPage(open.id, hello, !topFrame);
      return { session: open, isNew: false };
    }
    // A frame never ends its tab's session: it only joins the room the tab shows.
    if (open && !topFrame) return { refused: 'not-preserving' };
    if (open) await this.close(open, 'navigated');

    const session = await this.store.createSession({
      id: newSessionId(),
      tabId,
      url: hello.url,
      title: hello.title,
      platform: platformOf(hello.url),
      adapter: hello.adapter,
      startedAt: isoTime(),
    });
    await this.sealPage(session.id, hello);
    return { session, isNew: true };
  }

  private async sealPage(sessionId: string, hello: Hello, frame = false): Promise<void> {
    const env = await this.environment();
    await this.store.append(sessionId, [
      {
        key: `page:${hello.instance}`,
        type: 'page',
        time: isoTime(),
        data: {
          url: hello.url,
          title: hello.title,
          platform: platformOf(hello.url),
          adapter: hello.adapter,
          ...(hello.room ? { room: hello.room } : {}),
          ...(frame ? { frame: true as const } : {}),
          ...(env.browser ? { browser: env.browser } : {}),
          extensionVersion: env.extensionVersion,
          userAgent: env.userAgent,
          os: env.os,
          timeZone: env.timeZone,
          language: env.language,
          deviceClock: isoTime(),
        },
      },
    ]);
  }

  /** The user started preservation on a tab from the popup. */
  async startManual(tabId: number, url: string | undefined): Promise<void> {
    if (!url || !/^https?:\/\//i.test(url)) throw new ProtocolError('unsupported-page');
    await this.tabs.set(tabId, { mode: 'manual', origin: new URL(url).origin });
  }

  stop(tabId: number): Promise<boolean> {
    return this.serial(tabId, async () => {
      await this.tabs.set(tabId, { mode: 'stopped' });
      const open = await this.openSession(tabId);
      return open ? this.close(open, 'stopped-by-user') : false;
    });
  }

  tabClosed(tabId: number): Promise<void> {
    return this.serial(tabId, async () => {
      await this.tabs.forget(tabId);
      const open = await this.openSession(tabId);
      if (open) await this.close(open, 'tab-closed');
    });
  }

  /** The tab finished loading `url`. Returns true when the content script should be injected again. */
  tabLoaded(tabId: number, url: string): Promise<boolean> {
    return this.serial(tabId, () => this.tabLoadedNow(tabId, url));
  }

  private async tabLoadedNow(tabId: number, url: string): Promise<boolean> {
    const mode = await this.tabs.get(tabId);
    if (mode?.mode !== 'manual') return false;
    if (/^https?:\/\//i.test(url) && new URL(url).origin === mode.origin) return true;
    // The user left the site they started on: that ends preservation in this tab.
    await this.tabs.forget(tabId);
    const open = await this.openSession(tabId);
    if (open) await this.close(open, 'navigated');
    return false;
  }

  /** After a browser restart no tab is the one a session was opened in. */
  async closeAllOpen(): Promise<void> {
    const open = await this.store.db.sessions.where('status').equals('open').toArray();
    for (const s of open) await this.close(s, 'browser-restarted');
  }

  private async close(session: SessionRow, reason: Parameters<EvidenceStore['close']>[1]): Promise<boolean> {
    try {
      await this.onClosing?.(session);
    } catch (err) {
      console.warn('[liveproof] before closing the session', err);
    }
    return this.store.close(session.id, reason);
  }
}
