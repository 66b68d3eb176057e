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
 *
 * Every waiting trigger is also kept in a journal that outlives the service worker
 * (screenshot-journal.ts). When the worker starts again, the triggers the stopped one left are dealt
 * with (`recover`): one already named by a sealed event is forgotten; one of a session that has ended
 * is dropped (nothing can be sealed into a closed session, and never into another one); the others,
 * in the same browser run, wait again for the next picture of their tab, and are sealed as
 * `screenshot-missed` with the cause `worker-restarted` when it cannot be taken; after a browser
 * restart or an update (tab ids no longer mean the same tabs) they are sealed as missed at once.
 * A session that ends while triggers still wait for a picture of it seals them into itself as
 * missed, `session-ended`, before its end (`sessionEnding`).
 */
import { ProtocolError } from '../core/protocol';
import type { ScreenshotReason } from '../core/evidence';
import { dataUrlBytes, isPng } from '../core/bytes';
import { sha256Hex } from '../core/hash';
import { isoTime, randomHex } from '../core/time';
import type { SealedEvent } from '../core/evidence';
import {
  SessionClosedError,
  SessionPausedError,
  StorageFullError,
  type EvidenceStore,
  type SessionRow,
} from '../db';
import type { TabSessions } from './sessions';
import type { JournalEntry, TriggerJournal } from './screenshot-journal';

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
/** The `cause` of a `screenshot-missed` for triggers a stopped service worker left waiting. */
export const WORKER_RESTARTED = 'worker-restarted';
/** The `cause` of a `screenshot-missed` for triggers still waiting when their session ended. */
export const SESSION_ENDED = 'session-ended';

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
  /** Where waiting triggers are kept so that they outlive the worker (none: memory only). */
  journal?: TriggerJournal;
}

/** Why a picture is wanted: the reason, the user's note, and the event that asked for it. */
export interface Trigger {
  reason: ScreenshotReason;
  note?: string;
  /** The `seq` of the event that caused it (a product change, a detection). */
  source?: number;
}

interface Waiting extends Trigger {
  /** Its name in the journal. */
  id: string;
  /** The session it was made for, when known: it is never sealed into another one. */
  session?: string;
  time: string;
  /** A held detection: when it is due (`now()` time). */
  due?: number;
  /** Left waiting by a service worker that was stopped. */
  restarted?: true;
  resolve(r: { seq: number }): void;
  reject(e: unknown): void;
}

const ignore = () => undefined;

export class Screenshots {
  private readonly pending = new Map<number, Waiting[]>();
  /** Detections waiting for `DETECTION_GAP_MS` to pass since their tab's last picture of one. */
  private readonly held = new Map<number, Waiting[]>();
  /** Per tab, when the last capture that covered a detection was tried. */
  private readonly lastDetection = new Map<number, number>();
  private running = false;
  /** `recover` under way or done: a session ends only after its left-over triggers were dealt with. */
  private recovery: Promise<void> | null = null;
  /** The tab whose picture is being taken now, and when that is over. */
  private shooting: { tabId: number; done: Promise<void> } | null = null;
  private last = -Infinity;

  constructor(private readonly deps: ScreenshotDeps) {}

  /**
   * Asks for a picture of the tab. Resolves with the `seq` of the screenshot that covers this
   * trigger (shared with the other triggers it was coalesced with); rejects with a ProtocolError when
   * none could be taken, after sealing that as `screenshot-missed`. `session` is the session the
   * trigger was made for, when the caller knows it: the trigger is then never sealed into another
   * one (the tab moved to another room while it waited).
   */
  take(
    tabId: number,
    reason: ScreenshotReason,
    note?: string,
    source?: number,
    session?: string,
  ): Promise<{ seq: number }> {
    return new Promise((resolve, reject) => {
      const trigger: Waiting = {
        id: randomHex(8),
        reason,
        ...(note ? { note } : {}),
        ...(source !== undefined ? { source } : {}),
        ...(session ? { session } : {}),
        time: isoTime(),
        resolve,
        reject,
      };
      // A detection soon after the last picture of one waits, unless a picture of its tab is due anyway.
      const now = this.now();
      const since = now - (this.lastDetection.get(tabId) ?? -Infinity);
      if (reason === 'detection' && since < DETECTION_GAP_MS && !this.pending.has(tabId)) {
        trigger.due = now + DETECTION_GAP_MS - since;
        this.keep(tabId, trigger);
        return this.hold(tabId, trigger, DETECTION_GAP_MS - since);
      }
      this.keep(tabId, trigger);
      this.queue(tabId, [trigger]);
    });
  }

  /** Writes a waiting trigger to the journal. */
  private keep(tabId: number, t: Waiting): void {
    this.deps.journal?.add({
      id: t.id,
      tab: tabId,
      ...(t.session ? { session: t.session } : {}),
      reason: t.reason,
      ...(t.note ? { note: t.note } : {}),
      ...(t.source !== undefined ? { source: t.source } : {}),
      time: t.time,
      ...(t.due !== undefined ? { due: t.due } : {}),
    });
  }

  private queue(tabId: number, triggers: Waiting[]): void {
    const list = this.pending.get(tabId) ?? [];
    list.push(...triggers);
    this.pending.set(tabId, list);
    void this.pump();
  }

  /**
   * Deals with the triggers a stopped service worker left in the journal (see the top of this file).
   * Called once when the worker starts.
   */
  recover(): Promise<void> {
    return (this.recovery ??= this.recoverNow());
  }

  private async recoverNow(): Promise<void> {
    const journal = this.deps.journal;
    if (!journal) return;
    const { run, entries } = await journal.leftovers;
    if (!entries.length) return;
    const { store } = this.deps;
    const bySession = new Map<string, { session: SessionRow; entries: JournalEntry[] }>();
    const ended: JournalEntry[] = [];
    for (const e of entries) {
      const session = await sessionOf(store, e).catch(() => undefined);
      if (!session || session.status !== 'open') {
        ended.push(e);
        continue;
      }
      const group = bySession.get(session.id) ?? { session, entries: [] };
      group.entries.push(e);
      bySession.set(session.id, group);
    }
    if (ended.length) {
      console.warn(
        `[liveproof] ${ended.length} screenshot trigger(s) left by a stopped service worker were dropped: their session has ended`,
      );
      journal.remove(ended.map((e) => e.id));
    }
    for (const { session, entries: group } of bySession.values()) {
      group.sort(byTime);
      const sealed = await namingEvents(store, session.id, group[0]!.time).catch(() => []);
      const named = group.filter((e) => sealed.some((ev) => names(ev, e)));
      journal.remove(named.map((e) => e.id));
      const left = group.filter((e) => !named.includes(e));
      // Another browser run (or an update): the tab id may name another tab now.
      const stale = left.filter((e) => e.run !== run);
      if (stale.length) {
        try {
          await store.append(session.id, [missedDraft(stale.map(waitingOf), WORKER_RESTARTED)]);
        } catch (err) {
          console.warn('[liveproof] screenshot triggers left by a stopped service worker were dropped', err);
        }
        journal.remove(stale.map((e) => e.id));
      }
      for (const e of left.filter((x) => x.run === run)) {
        const trigger: Waiting = { ...waitingOf(e), session: session.id, restarted: true };
        this.keep(session.tabId, trigger); // now with its session, if it was inferred
        const wait = trigger.due === undefined ? 0 : trigger.due - this.now();
        if (wait > 0) {
          const last = trigger.due! - DETECTION_GAP_MS;
          if (last > (this.lastDetection.get(session.tabId) ?? -Infinity))
            this.lastDetection.set(session.tabId, last);
          this.hold(session.tabId, trigger, wait);
        } else this.queue(session.tabId, [trigger]);
      }
    }
  }

  /**
   * The session is about to end (the user stopped, the tab moved to another room or was closed, the
   * browser restarted): the triggers still waiting for a picture of it (a detection held back for
   * its 10 s, a trigger queued behind Chrome's quota) are sealed into it as missed, so that none
   * goes unrecorded. A picture being taken of the tab is sealed first.
   */
  async sessionEnding(session: SessionRow): Promise<void> {
    // After a browser restart the sessions are closed while the triggers the last worker left are
    // still being read: those are sealed (or queued, and then taken below) first.
    await this.recovery?.catch(() => undefined);
    const busy = this.shooting;
    if (busy?.tabId === session.tabId) await busy.done;
    const mine = (t: Waiting) => t.session === undefined || t.session === session.id;
    const ending: Waiting[] = [];
    for (const waiting of [this.held, this.pending]) {
      const list = waiting.get(session.tabId);
      if (!list) continue;
      // In place: a held list is known by its identity (see `hold`).
      for (let i = list.length - 1; i >= 0; i--) if (mine(list[i]!)) ending.unshift(...list.splice(i, 1));
      if (!list.length) waiting.delete(session.tabId);
    }
    if (!ending.length) return;
    ending.sort(byTime);
    try {
      await this.deps.store.append(session.id, [missedDraft(ending, SESSION_ENDED)]);
    } catch (err) {
      // Paused (nothing is sealed in a pause, a missed picture neither) or already closed.
      console.warn('[liveproof] screenshot triggers of an ending session could not be sealed', err);
    } finally {
      this.deps.journal?.remove(ending.map((t) => t.id));
    }
    const gone = new ProtocolError('not-preserving');
    for (const t of ending) t.reject(gone);
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
    const wake = (): void => {
      // Taken along with an earlier picture of the tab meanwhile: nothing left to queue.
      if (this.held.get(tabId) !== own) return;
      // The last picture of a detection was taken later than when this one began to wait.
      const left = (this.lastDetection.get(tabId) ?? -Infinity) + DETECTION_GAP_MS - this.now();
      if (left > 0) return void this.sleep(left).then(wake);
      this.held.delete(tabId);
      const pending = this.pending.get(tabId) ?? [];
      pending.push(...own);
      this.pending.set(tabId, pending);
      void this.pump();
    };
    void this.sleep(ms).then(wake);
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
        // The triggers may have gone meanwhile, with their session (`sessionEnding`).
        const next = this.pending.entries().next();
        if (next.done) continue;
        const [tabId, list] = next.value;
        this.pending.delete(tabId);
        // Detections held back for this tab are covered by this picture.
        const held = this.held.get(tabId);
        if (held) {
          this.held.delete(tabId);
          list.push(...held);
        }
        list.sort(byTime);
        if (list.some((t) => t.reason === 'detection')) this.lastDetection.set(tabId, now());
        let over = (): void => undefined;
        this.shooting = { tabId, done: new Promise<void>((r) => (over = r)) };
        try {
          const session = await this.deps.sessions.openSession(tabId);
          // A trigger made for a session that has since ended is never sealed into the tab's next one.
          const own = list.filter((t) => !session || t.session === undefined || t.session === session.id);
          if (own.length < list.length) {
            console.warn(
              `[liveproof] ${list.length - own.length} screenshot trigger(s) dropped: their session has ended`,
            );
            const gone = new ProtocolError('not-preserving');
            for (const w of list) if (!own.includes(w)) w.reject(gone);
          }
          if (own.length) {
            try {
              const result = await this.shoot(tabId, session, own);
              for (const w of own) w.resolve(result);
            } catch (err) {
              const e = toProtocolError(err);
              for (const w of own) w.reject(e);
            }
          }
        } catch (err) {
          const e = toProtocolError(err);
          for (const w of list) w.reject(e);
        } finally {
          // Named by a sealed event now, or dropped for a reason its caller was told.
          this.deps.journal?.remove(list.map((w) => w.id));
          this.shooting = null;
          over();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.deps.sleep ? this.deps.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  /**
   * A capture, tried again a moment later while Chrome's quota refuses it. `detectionOf`: the tab,
   * when the picture covers a detection (the pacing counts from the moment the picture is taken).
   */
  private async capture(windowId: number, detectionOf: number | null): Promise<string> {
    const now = this.deps.now ?? Date.now;
    for (let attempt = 0; ; attempt++) {
      this.last = now();
      if (detectionOf !== null) this.lastDetection.set(detectionOf, this.last);
      try {
        return await this.deps.capture(windowId);
      } catch (err) {
        if (attempt >= QUOTA_RETRIES || !isQuotaRefusal(err)) throw err;
        await this.sleep(QUOTA_RETRY_MS);
      }
    }
  }

  private async shoot(
    tabId: number,
    session: SessionRow | undefined,
    triggers: Waiting[],
  ): Promise<{ seq: number }> {
    const { store } = this.deps;
    if (!session) throw new ProtocolError('not-preserving');
    // Paused, or no room: no picture is taken (and no `screenshot-missed` sealed, which a pause stops too).
    if (session.paused) throw new ProtocolError(session.paused.cause === 'user' ? 'paused' : 'storage-full');
    if (this.deps.roomToStore && !(await this.deps.roomToStore())) throw new ProtocolError('storage-full');
    const covered = coverage(triggers);
    // Triggers a stopped worker left are missed because of that, whatever the tab shows now.
    const fresh = triggers.filter((t) => !t.restarted);
    const left = triggers.filter((t) => t.restarted);

    const missed = async (cause: string, code: 'tab-not-visible' | 'capture-failed', detail?: string) => {
      await store.append(session.id, [
        ...(fresh.length ? [missedDraft(fresh, cause)] : []),
        ...(left.length ? [missedDraft(left, WORKER_RESTARTED)] : []),
      ]);
      return new ProtocolError(code, detail ?? cause);
    };

    const tab = await this.deps.getTab(tabId).catch(() => null);
    if (!tab) {
      if (left.length) await store.append(session.id, [missedDraft(left, WORKER_RESTARTED)]).catch(ignore);
      throw new ProtocolError('tab-not-found');
    }
    if (!tab.active || tab.windowId === undefined) throw await missed('tab-in-background', 'tab-not-visible');
    if (!(await this.deps.isWindowVisible(tab.windowId).catch(() => false)))
      throw await missed('window-minimized', 'tab-not-visible');

    let dataUrl: string;
    try {
      dataUrl = await this.capture(
        tab.windowId,
        triggers.some((t) => t.reason === 'detection') ? tabId : null,
      );
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

/** What a picture (or its miss) names: the first trigger, and the others it also covers, in order. */
function coverage(triggers: readonly (Trigger & { time: string })[]) {
  const [first, ...rest] = triggers as [Trigger, ...(Trigger & { time: string })[]];
  return {
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
}

function missedDraft(triggers: readonly Waiting[], cause: string) {
  return {
    key: `missed:${randomHex(8)}`,
    type: 'screenshot-missed' as const,
    time: isoTime(),
    data: { ...coverage(triggers), cause: cause.slice(0, 500) },
  };
}

/** A trigger from the journal, waiting again (nobody waits for its answer any more). */
function waitingOf(e: JournalEntry): Waiting {
  return {
    id: e.id,
    reason: e.reason,
    ...(e.note ? { note: e.note } : {}),
    ...(e.source !== undefined ? { source: e.source } : {}),
    ...(e.session ? { session: e.session } : {}),
    time: e.time,
    ...(e.due !== undefined ? { due: e.due } : {}),
    resolve: ignore,
    reject: ignore,
  };
}

/**
 * The session a trigger from the journal was made for: the one it names, or else the session of its
 * tab that had started by the trigger's time (a tab has one session at a time).
 */
async function sessionOf(store: EvidenceStore, e: JournalEntry): Promise<SessionRow | undefined> {
  if (e.session) {
    const s = await store.db.sessions.get(e.session);
    return s?.tabId === e.tab ? s : undefined;
  }
  let found: SessionRow | undefined;
  for (const s of await store.db.sessions.where('tabId').equals(e.tab).toArray())
    if (s.startedAt <= e.time && (!found || s.startedAt > found.startedAt)) found = s;
  return found;
}

/** Pages read at a time, and at most, looking back for the events that may name a trigger. */
const TAIL_PAGES = 8;
const MAX_TAIL_PAGES = 64;
/** Events sealed this long before a trigger may still come after it (chat carries the page's time). */
const TAIL_SLACK_MS = 60_000;

/**
 * The `screenshot` and `screenshot-missed` events of a session's tail that may name a trigger made
 * at `since` or later: read from the newest back until a few pages older than that.
 */
async function namingEvents(store: EvidenceStore, sessionId: string, since: string): Promise<SealedEvent[]> {
  const floor = new Date(Date.parse(since) - TAIL_SLACK_MS).toISOString();
  const out: SealedEvent[] = [];
  let below = Infinity;
  for (let read = 0; read < MAX_TAIL_PAGES;) {
    const pages = await store.db.pages
      .where('[sessionId+seq]')
      .between([sessionId, -Infinity], [sessionId, below], true, false)
      .reverse()
      .limit(TAIL_PAGES)
      .toArray();
    let recent = false;
    for (const p of pages)
      for (const e of p.events) {
        if (e.time >= floor) recent = true;
        if (e.type === 'screenshot' || e.type === 'screenshot-missed') out.push(e);
      }
    if (!recent || pages.length < TAIL_PAGES) break;
    read += pages.length;
    below = pages.at(-1)!.seq;
  }
  return out;
}

/** Whether a sealed `screenshot` or `screenshot-missed` names this trigger. */
function names(event: SealedEvent, t: JournalEntry): boolean {
  const d = event.data as unknown as Trigger & { alsoCovers?: (Trigger & { time: string })[] };
  const same = (c: Trigger) => c.reason === t.reason && c.note === t.note && c.source === t.source;
  // The first trigger's time is not sealed: a picture sealed after it of the same trigger is it.
  if (same(d) && event.time >= t.time) return true;
  return (d.alsoCovers ?? []).some((c) => same(c) && c.time === t.time);
}

/** Oldest first, by the ISO time each trigger was made. */
function byTime(a: { time: string }, b: { time: string }): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
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
