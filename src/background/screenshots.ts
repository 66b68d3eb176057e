/**
 * Screenshots are taken here, by the background, with `captureVisibleTab`, and stored byte for byte.
 *
 * Chrome allows two captures a second. Triggers (the popup button, the keyboard command, a product
 * change, a detection, the periodic timer) are queued per tab and coalesced: one capture, at least
 * `MIN_GAP_MS` after the previous one, covers every trigger of its tab that was waiting, and its event
 * lists them all, so no trigger is silently lost. A tab that cannot be captured (in the background,
 * a minimised window, a failed capture) gets a `screenshot-missed` event naming every trigger it
 * missed and why.
 *
 * Detections are paced apart: in a room where a bot pushes WeChat every few seconds, a picture per
 * warning would be two pictures a second, gigabytes an hour, and the disk guard would stop
 * preservation altogether. The first detection after a quiet spell is photographed at once; one that
 * comes within `DETECTION_GAP_MS` of the last picture that covered a detection waits until that much
 * time has passed (or joins any earlier picture of its tab, taken for another reason), and the
 * picture then names it among the triggers it covers, as any coalesced trigger.
 */
import { ProtocolError } from '../core/protocol';
import type { ScreenshotReason } from '../core/evidence';
import { dataUrlBytes, isPng } from '../core/bytes';
import { sha256Hex } from '../core/hash';
import { isoTime, randomHex } from '../core/time';
import { SessionClosedError, SessionPausedError, StorageFullError, type EvidenceStore } from '../db';
import type { TabSessions } from './sessions';

/**
 * Chrome's quota (`MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND`, 2) is a window of one second that
 * opens at the first capture after the previous window closed and holds two captures: captures
 * 500 ms apart are refused now and then (the third falls on the window's last instant), 505 ms apart
 * never were in Chromium 156 here. 520 ms keeps a margin for the time a call takes to reach the
 * browser and still takes 1.92 pictures a second; a capture refused all the same is tried again.
 */
export const MIN_GAP_MS = 520;
/**
 * The least time between two pictures taken for detections in one tab (see the top of this file):
 * at most six a minute however busy the pushers are.
 */
export const DETECTION_GAP_MS = 10_000;
/** A capture the quota refused is tried again this much later, at most `QUOTA_RETRIES` times. */
export const QUOTA_RETRY_MS = 100;
const QUOTA_RETRIES = 5;

/** Chrome's refusal of a capture over its quota (the picture can simply be taken a moment later). */
function isQuotaRefusal(err: unknown): boolean {
  return String(err instanceof Error ? err.message : err).includes(
    'MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND',
  );
}

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
  /** False when there is no room to keep a picture (the disk is nearly full). */
  roomToStore?: () => Promise<boolean>;
  /** Storing a picture failed for lack of space. */
  onStorageFull?: (tabId: number, sessionId: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Why a picture is wanted: the reason, the user's note, and the event that asked for it. */
export interface Trigger {
  reason: ScreenshotReason;
  note?: string;
  /** The `seq` of the event that caused it (a product change, a detection). */
  source?: number;
}

interface Waiting extends Trigger {
  time: string;
  resolve(r: { seq: number }): void;
  reject(e: unknown): void;
}

export class Screenshots {
  private readonly pending = new Map<number, Waiting[]>();
  /** Detections waiting for `DETECTION_GAP_MS` to pass since their tab's last picture of one. */
  private readonly held = new Map<number, Waiting[]>();
  /** Per tab, when the last capture that covered a detection was tried. */
  private readonly lastDetection = new Map<number, number>();
  private running = false;
  private last = -Infinity;

  constructor(private readonly deps: ScreenshotDeps) {}

  /**
   * Asks for a picture of the tab. Resolves with the `seq` of the screenshot that covers this
   * trigger (shared with the other triggers it was coalesced with); rejects with a ProtocolError when
   * none could be taken, after sealing that as `screenshot-missed`.
   */
  take(tabId: number, reason: ScreenshotReason, note?: string, source?: number): Promise<{ seq: number }> {
    return new Promise((resolve, reject) => {
      const trigger: Waiting = {
        reason,
        ...(note ? { note } : {}),
        ...(source !== undefined ? { source } : {}),
        time: isoTime(),
        resolve,
        reject,
      };
      // A detection soon after the last picture of one waits, unless a picture of its tab is due anyway.
      const since = this.now() - (this.lastDetection.get(tabId) ?? -Infinity);
      if (reason === 'detection' && since < DETECTION_GAP_MS && !this.pending.has(tabId))
        return this.hold(tabId, trigger, DETECTION_GAP_MS - since);
      const list = this.pending.get(tabId) ?? [];
      list.push(trigger);
      this.pending.set(tabId, list);
      void this.pump();
    });
  }

  /** Triggers waiting for a picture, all tabs together (for tests and the popup). */
  get waiting(): number {
    let n = 0;
    for (const l of this.pending.values()) n += l.length;
    for (const l of this.held.values()) n += l.length;
    return n;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Keeps a detection back for `ms`, then queues it with the others held for its tab. */
  private hold(tabId: number, trigger: Waiting, ms: number): void {
    const list = this.held.get(tabId);
    if (list) {
      list.push(trigger);
      return;
    }
    const own = [trigger];
    this.held.set(tabId, own);
    void this.sleep(ms).then(() => {
      // Taken along with an earlier picture of the tab meanwhile: nothing left to queue.
      if (this.held.get(tabId) !== own) return;
      this.held.delete(tabId);
      const pending = this.pending.get(tabId) ?? [];
      pending.push(...own);
      this.pending.set(tabId, pending);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.size) {
        // Wait for Chrome's rate limit first, so that triggers arriving meanwhile join this capture.
        const now = this.deps.now ?? Date.now;
        const wait = this.last + MIN_GAP_MS - now();
        if (wait > 0) await this.sleep(wait);
        else await Promise.resolve(); // triggers of the same moment share the picture
        const [tabId, list] = this.pending.entries().next().value!;
        this.pending.delete(tabId);
        // Detections held back for this tab are covered by this picture.
        const held = this.held.get(tabId);
        if (held) {
          this.held.delete(tabId);
          list.push(...held);
          list.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
        }
        if (list.some((t) => t.reason === 'detection')) this.lastDetection.set(tabId, now());
        try {
          const result = await this.shoot(tabId, list);
          for (const w of list) w.resolve(result);
        } catch (err) {
          const e = toProtocolError(err);
          for (const w of list) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.deps.sleep ? this.deps.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  /** A capture, tried again a moment later while Chrome's quota refuses it. */
  private async capture(windowId: number): Promise<string> {
    const now = this.deps.now ?? Date.now;
    for (let attempt = 0; ; attempt++) {
      this.last = now();
      try {
        return await this.deps.capture(windowId);
      } catch (err) {
        if (attempt >= QUOTA_RETRIES || !isQuotaRefusal(err)) throw err;
        await this.sleep(QUOTA_RETRY_MS);
      }
    }
  }

  private async shoot(tabId: number, triggers: Waiting[]): Promise<{ seq: number }> {
    const { store, sessions } = this.deps;
    const session = await sessions.openSession(tabId);
    if (!session) throw new ProtocolError('not-preserving');
    // Paused, or no room: no picture is taken (and no `screenshot-missed` sealed, which a pause stops too).
    if (session.paused) throw new ProtocolError(session.paused.cause === 'user' ? 'paused' : 'storage-full');
    if (this.deps.roomToStore && !(await this.deps.roomToStore())) throw new ProtocolError('storage-full');
    const [first, ...rest] = triggers as [Waiting, ...Waiting[]];
    const covered = {
      reason: first.reason,
      ...(first.note ? { note: first.note } : {}),
      ...(first.source !== undefined ? { source: first.source } : {}),
      ...(rest.length
        ? {
            alsoCovers: rest.map((t) => ({
              reason: t.reason,
              time: t.time,
              ...(t.note ? { note: t.note } : {}),
              ...(t.source !== undefined ? { source: t.source } : {}),
            })),
          }
        : {}),
    };

    const missed = async (cause: string, code: 'tab-not-visible' | 'capture-failed', detail?: string) => {
      await store.append(session.id, [
        {
          key: `missed:${randomHex(8)}`,
          type: 'screenshot-missed',
          time: isoTime(),
          data: { ...covered, cause: cause.slice(0, 500) },
        },
      ]);
      return new ProtocolError(code, detail ?? cause);
    };

    const tab = await this.deps.getTab(tabId).catch(() => null);
    if (!tab) throw new ProtocolError('tab-not-found');
    if (!tab.active || tab.windowId === undefined) throw await missed('tab-in-background', 'tab-not-visible');
    if (!(await this.deps.isWindowVisible(tab.windowId).catch(() => false)))
      throw await missed('window-minimized', 'tab-not-visible');

    let dataUrl: string;
    try {
      dataUrl = await this.capture(tab.windowId);
    } catch (err) {
      throw await missed(String(err instanceof Error ? err.message : err), 'capture-failed');
    }
    const time = isoTime();
    // The user may have switched tabs while the picture was taken; then it shows another page.
    const after = await this.deps.getTab(tabId).catch(() => null);
    if (!after?.active) throw await missed('tab-switched-during-capture', 'tab-not-visible');

    let bytes: Uint8Array;
    try {
      bytes = dataUrlBytes(dataUrl).bytes;
    } catch {
      throw await missed('not-a-png', 'capture-failed');
    }
    if (!isPng(bytes)) throw await missed('not-a-png', 'capture-failed');
    const sha256 = await sha256Hex(bytes);
    try {
      await store.putBlob(sha256, 'image/png', bytes);
    } catch (err) {
      if (err instanceof StorageFullError) this.deps.onStorageFull?.(tabId, session.id);
      throw err;
    }
    const { sealed } = await store.append(session.id, [
      {
        key: `shot:${randomHex(8)}`,
        type: 'screenshot',
        time,
        data: {
          sha256,
          bytes: bytes.length,
          mediatype: 'image/png',
          ...covered,
          ...(after.url && /^https?:/i.test(after.url) ? { url: after.url.slice(0, 4096) } : {}),
        },
      },
    ]);
    return { seq: sealed[0]!.seq };
  }
}

function toProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  // The session ended (the tab closed, the user stopped) while the picture was on its way.
  if (err instanceof SessionClosedError) return new ProtocolError('not-preserving');
  if (err instanceof StorageFullError) return new ProtocolError('storage-full');
  if (err instanceof SessionPausedError)
    return new ProtocolError(err.pause.cause === 'user' ? 'paused' : 'storage-full');
  return new ProtocolError('internal', err instanceof Error ? err.message : String(err));
}
