/**
 * Which session a tab is writing to. A session is one page (origin + path) in one tab: a reload
 * continues it, navigating elsewhere ends it and opens another, closing the tab ends it.
 */
import { ProtocolError, type ErrorCode, type Hello } from '../core/protocol';
import { isoTime, newSessionId } from '../core/time';
import { isKnownLivePage, platformOf } from '../adapters/platforms';
import type { EvidenceStore, SessionRow } from '../db';
import type { TabState } from './tab-state';
import type { CaptureEnvironment } from './environment';

export type HelloOutcome = { refused: ErrorCode } | { session: SessionRow; isNew: boolean };

function pageKey(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export class TabSessions {
  constructor(
    private readonly store: EvidenceStore,
    private readonly tabs: TabState,
    private readonly environment: () => Promise<CaptureEnvironment>,
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
    return isKnownLivePage(url);
  }

  /** A content script said hello (first contact, after a reload, or after the worker restarted). */
  async hello(tabId: number, senderUrl: string, hello: Hello): Promise<HelloOutcome> {
    if (new URL(hello.url).origin !== new URL(senderUrl).origin) return { refused: 'bad-request' };
    if (!(await this.allowed(tabId, hello.url))) return { refused: 'not-preserving' };

    const open = await this.openSession(tabId);
    if (open && pageKey(open.url) === pageKey(hello.url)) {
      // Same page: a reconnect after the worker restarted, or a reload (a new page event says so).
      if (hello.sessionId !== open.id) await this.sealPage(open.id, hello);
      return { session: open, isNew: false };
    }
    if (open) await this.store.close(open.id, 'navigated');

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

  private async sealPage(sessionId: string, hello: Hello): Promise<void> {
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

  async stop(tabId: number): Promise<boolean> {
    await this.tabs.set(tabId, { mode: 'stopped' });
    const open = await this.openSession(tabId);
    return open ? this.store.close(open.id, 'stopped-by-user') : false;
  }

  async tabClosed(tabId: number): Promise<void> {
    await this.tabs.forget(tabId);
    const open = await this.openSession(tabId);
    if (open) await this.store.close(open.id, 'tab-closed');
  }

  /** The tab finished loading `url`. Returns true when the content script should be injected again. */
  async tabLoaded(tabId: number, url: string): Promise<boolean> {
    const mode = await this.tabs.get(tabId);
    if (mode?.mode !== 'manual') return false;
    if (/^https?:\/\//i.test(url) && new URL(url).origin === mode.origin) return true;
    // The user left the site they started on: that ends preservation in this tab.
    await this.tabs.forget(tabId);
    const open = await this.openSession(tabId);
    if (open) await this.store.close(open.id, 'navigated');
    return false;
  }

  /** After a browser restart no tab is the one a session was opened in. */
  async closeAllOpen(): Promise<void> {
    const open = await this.store.db.sessions.where('status').equals('open').toArray();
    for (const s of open) await this.store.close(s.id, 'browser-restarted');
  }
}
