/**
 * Screenshots are taken here, by the background, with `captureVisibleTab`, and stored byte for byte.
 * Chrome allows two captures a second, so captures run one at a time at least `MIN_GAP_MS` apart.
 * A tab that is not the visible one cannot be captured: that is sealed as `screenshot-missed`.
 */
import { ProtocolError } from '../core/protocol';
import type { ScreenshotReason } from '../core/evidence';
import { dataUrlBytes, isPng } from '../core/bytes';
import { sha256Hex } from '../core/hash';
import { isoTime, randomHex } from '../core/time';
import type { EvidenceStore } from '../db';
import type { TabSessions } from './sessions';

const MIN_GAP_MS = 550;

export interface TabInfo {
  id?: number;
  windowId?: number;
  active: boolean;
  url?: string;
}

export interface ScreenshotDeps {
  store: EvidenceStore;
  sessions: TabSessions;
  getTab(tabId: number): Promise<TabInfo>;
  isWindowVisible(windowId: number): Promise<boolean>;
  capture(windowId: number): Promise<string>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class Screenshots {
  private queue: Promise<unknown> = Promise.resolve();
  private last = -Infinity;

  constructor(private readonly deps: ScreenshotDeps) {}

  take(tabId: number, reason: ScreenshotReason, note?: string): Promise<{ seq: number }> {
    const run = this.queue.then(() => this.takeNow(tabId, reason, note));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async takeNow(tabId: number, reason: ScreenshotReason, note?: string): Promise<{ seq: number }> {
    const { store, sessions } = this.deps;
    const session = await sessions.openSession(tabId);
    if (!session) throw new ProtocolError('not-preserving');

    const missed = async (cause: string) => {
      await store.append(session.id, [
        {
          key: `missed:${randomHex(8)}`,
          type: 'screenshot-missed',
          time: isoTime(),
          data: { reason, cause },
        },
      ]);
      return new ProtocolError('tab-not-visible', cause);
    };

    const tab = await this.deps.getTab(tabId).catch(() => null);
    if (!tab) throw new ProtocolError('tab-not-found');
    if (!tab.active || tab.windowId === undefined) throw await missed('tab-in-background');
    if (!(await this.deps.isWindowVisible(tab.windowId))) throw await missed('window-minimized');

    const now = this.deps.now ?? Date.now;
    const wait = this.last + MIN_GAP_MS - now();
    if (wait > 0) await (this.deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
    this.last = now();

    let dataUrl: string;
    try {
      dataUrl = await this.deps.capture(tab.windowId);
    } catch (err) {
      await store.append(session.id, [
        {
          key: `missed:${randomHex(8)}`,
          type: 'screenshot-missed',
          time: isoTime(),
          data: { reason, cause: String(err instanceof Error ? err.message : err).slice(0, 500) },
        },
      ]);
      throw new ProtocolError('capture-failed', String(err));
    }
    const time = isoTime();
    // The user may have switched tabs while the picture was taken; then it shows another page.
    const after = await this.deps.getTab(tabId).catch(() => null);
    if (!after?.active) throw await missed('tab-switched-during-capture');

    const { bytes } = dataUrlBytes(dataUrl);
    if (!isPng(bytes)) throw new ProtocolError('capture-failed', 'not a PNG');
    const sha256 = await sha256Hex(bytes);
    await store.putBlob(sha256, 'image/png', bytes);
    const { sealed } = await store.append(session.id, [
      {
        key: `shot:${randomHex(8)}`,
        type: 'screenshot',
        time,
        data: {
          sha256,
          bytes: bytes.length,
          mediatype: 'image/png',
          reason,
          ...(note ? { note } : {}),
          ...(after.url && /^https?:/i.test(after.url) ? { url: after.url.slice(0, 4096) } : {}),
        },
      },
    ]);
    return { seq: sealed[0]!.seq };
  }
}
