/**
 * Trusted time for the chains being written: every few minutes (an alarm) and on demand (export),
 * the head of each open session is sent — its hash only — to each configured time-stamping
 * authority; a token that checks out is sealed into the session as a `timestamp` event.
 *
 * A TSA that is offline, fails or returns a token that does not check keeps the head queued and is
 * retried with back-off; a bad token is never sealed. A newer head of the same session replaces a
 * queued older one (stamping it covers everything before), and the older one is reported as not
 * stamped. Everything that must survive the worker being stopped is in `area` (storage); the
 * worker's own alarms drive the rounds, and the caller registers the listener.
 */
import {
  MAX_DER_BYTES,
  NONCE_BYTES,
  TIMESTAMP_QUERY,
  TIMESTAMP_REPLY,
  buildRequest,
  checkTimeStampToken,
  isGranted,
  parseResponse,
} from '../core/tsa';
import { toBase64 } from '../core/sign';
import { sha256Hex } from '../core/hash';
import { isoTime } from '../core/time';
import type { SealedEvent } from '../core/evidence';
import { SessionClosedError, readEvent, type EvidenceStore } from '../db';
import type { KeyValueArea } from './tab-state';

/** The periodic round (period: the configured interval). */
export const TIMESTAMP_ALARM = 'liveproof/timestamps';
/** A one-shot alarm for the next retry of a queued head. */
export const TIMESTAMP_RETRY_ALARM = 'liveproof/timestamps-retry';
/** Wait after the 1st, 2nd, 3rd and later consecutive failure of one TSA. */
export const BACKOFF_MS = [30_000, 120_000, 600_000] as const;
export const DEFAULT_INTERVAL_MIN = 5;
const STATE_KEY = 'timestamps';
const DEFAULT_TIMEOUT_MS = 30_000;
/** Chrome fires alarms at most every 30 s. */
const MIN_ALARM_DELAY_MS = 30_000;
/** Sessions remembered for `status` (closed ones drop out oldest first). */
const MAX_SESSIONS = 100;
const MAX_RECORDS = 2000;
const MAX_KEY = 128;

/** The parts of `chrome.alarms` this needs. */
export interface AlarmsLike {
  create(name: string, info: { when?: number; periodInMinutes?: number }): Promise<void> | void;
  clear(name: string): Promise<unknown> | unknown;
  get(name: string): Promise<{ scheduledTime: number; periodInMinutes?: number } | undefined>;
}

/** The `timestamps` part of the settings. */
export interface TimestampConfig {
  enabled: boolean;
  intervalMin: number;
  authorities: readonly { name: string; url: string }[];
}

export interface TimestampDeps {
  store: EvidenceStore;
  /** Where the queue lives between worker runs (`storage.local` keeps it across a browser restart). */
  area: KeyValueArea;
  alarms: AlarmsLike;
  config: () => Promise<TimestampConfig>;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** DER roots a token's chain must lead to; none: the token is checked on its own. */
  trustedRoots?: Uint8Array[];
}

interface Head {
  seq: number;
  hash: string;
}

interface Job extends Head {
  session: string;
  tsa: string;
  /** When this head was queued (ms). */
  since: number;
  attempts: number;
  lastError?: string;
}

interface Stamp extends Head {
  tsa: string;
  genTime: string;
  serial: string;
  /** The `seq` of the sealed `timestamp` event (absent when it had been sealed before). */
  eventSeq?: number;
}

export type MissReason = 'superseded' | 'session-closed' | 'tsa-removed' | 'disabled';

interface Miss extends Head {
  tsa: string;
  reason: MissReason;
  lastError?: string;
}

interface Health {
  failures: number;
  retryAt: number;
  lastError?: string;
}

interface SessionRecord {
  stamped: Stamp[];
  missed: Miss[];
  touched: number;
}

interface State {
  v: 1;
  jobs: Job[];
  sessions: Record<string, SessionRecord>;
  health: Record<string, Health>;
}

/** Which heads of one session were stamped, which wait, and which will not be. */
export interface StampStatus {
  stamped: { tsa: string; seq: number; hash: string; genTime: string; serial: string; eventSeq?: number }[];
  pending: {
    tsa: string;
    seq: number;
    hash: string;
    since: string;
    attempts: number;
    nextAttempt: string;
    lastError?: string;
  }[];
  missed: { tsa: string; seq: number; hash: string; reason: MissReason; lastError?: string }[];
  /** The highest `seq` any authority stamped (-1: none): events after it carry no trusted time yet. */
  coveredThrough: number;
}

class AttemptError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const emptyState = (): State => ({ v: 1, jobs: [], sessions: {}, health: {} });

/** The event key: stable per authority and head, so a retry after a crash seals nothing twice. */
export async function stampKey(tsa: string, seq: number): Promise<string> {
  const key = `tsa:${tsa}:${seq}`;
  return key.length <= MAX_KEY ? key : `tsa:sha256-${(await sha256Hex(tsa)).slice(0, 32)}:${seq}`;
}

export class Timestamps {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly deps: TimestampDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** At worker start and after the settings change: the periodic alarm matches the interval. */
  start(): Promise<void> {
    return this.exclusive(async () => {
      const config = await this.deps.config();
      if (!config.enabled || !config.authorities.length) {
        // Turned off: nothing more is sent, and what was queued is reported as not stamped.
        await this.deps.alarms.clear(TIMESTAMP_ALARM);
        await this.run({ enqueue: null, force: false });
        return;
      }
      const period = config.intervalMin || DEFAULT_INTERVAL_MIN;
      const alarm = await this.deps.alarms.get(TIMESTAMP_ALARM);
      if (alarm?.periodInMinutes !== period)
        await this.deps.alarms.create(TIMESTAMP_ALARM, {
          periodInMinutes: period,
          when: this.now() + period * 60_000,
        });
      await this.schedule(await this.load());
    });
  }

  /** Whether `name` is one of this class's alarms (for the caller's `alarms.onAlarm`). */
  static owns(name: string): boolean {
    return name === TIMESTAMP_ALARM || name === TIMESTAMP_RETRY_ALARM;
  }

  onAlarm(name: string): Promise<void> {
    if (name === TIMESTAMP_ALARM) return this.exclusive(() => this.run({ enqueue: 'all', force: false }));
    if (name === TIMESTAMP_RETRY_ALARM)
      return this.exclusive(() => this.run({ enqueue: null, force: false }));
    return Promise.resolve();
  }

  /**
   * Stamps the current heads now (at export): the given sessions, or every open one. Authorities
   * waiting out a back-off are tried too. Resolves when every attempt has ended.
   */
  stampNow(sessionIds?: readonly string[]): Promise<void> {
    return this.exclusive(() => this.run({ enqueue: sessionIds ?? 'all', force: true }));
  }

  async status(sessionId: string): Promise<StampStatus> {
    const state = await this.load();
    const rec = state.sessions[sessionId];
    const stamped = rec?.stamped ?? [];
    return {
      stamped: stamped.map((s) => ({ ...s })),
      pending: state.jobs
        .filter((j) => j.session === sessionId)
        .map((j) => ({
          tsa: j.tsa,
          seq: j.seq,
          hash: j.hash,
          since: isoTime(new Date(j.since)),
          attempts: j.attempts,
          nextAttempt: isoTime(new Date(Math.max(state.health[j.tsa]?.retryAt ?? 0, j.since))),
          ...(j.lastError ? { lastError: j.lastError } : {}),
        })),
      missed: (rec?.missed ?? []).map((m) => ({ ...m })),
      coveredThrough: stamped.reduce((max, s) => Math.max(max, s.seq), -1),
    };
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<State> {
    const raw = (await this.deps.area.get(STATE_KEY))[STATE_KEY] as State | undefined;
    return raw?.v === 1 ? raw : emptyState();
  }

  private save(state: State): Promise<void> {
    return this.deps.area.set({ [STATE_KEY]: state });
  }

  private record(state: State, session: string): SessionRecord {
    const rec = (state.sessions[session] ??= { stamped: [], missed: [], touched: 0 });
    rec.touched = this.now();
    return rec;
  }

  private miss(state: State, job: Job, reason: MissReason): void {
    const rec = this.record(state, job.session);
    rec.missed.push({
      tsa: job.tsa,
      seq: job.seq,
      hash: job.hash,
      reason,
      ...(job.lastError ? { lastError: job.lastError } : {}),
    });
    if (rec.missed.length > MAX_RECORDS) rec.missed.splice(0, rec.missed.length - MAX_RECORDS);
  }

  private async run(opts: { enqueue: 'all' | readonly string[] | null; force: boolean }): Promise<void> {
    const config = await this.deps.config();
    const state = await this.load();
    const tsas = config.enabled ? config.authorities.map((a) => a.url) : [];

    // Forget what can no longer be stamped: a closed session, an authority no longer configured.
    const open = new Map<string, Head>();
    for (const s of await this.deps.store.db.sessions.where('status').equals('open').toArray())
      open.set(s.id, { seq: s.headSeq, hash: s.headHash });
    state.jobs = state.jobs.filter((j) => {
      const reason: MissReason | null = !config.enabled
        ? 'disabled'
        : !tsas.includes(j.tsa)
          ? 'tsa-removed'
          : !open.has(j.session)
            ? 'session-closed'
            : null;
      if (reason) this.miss(state, j, reason);
      return !reason;
    });

    if (opts.enqueue && tsas.length) {
      const ids = opts.enqueue === 'all' ? [...open.keys()] : opts.enqueue.filter((id) => open.has(id));
      for (const id of ids) await this.enqueue(state, id, open.get(id)!, tsas);
    }

    const now = this.now();
    const due = state.jobs.filter((j) => opts.force || (state.health[j.tsa]?.retryAt ?? 0) <= now);
    const byTsa = new Map<string, Job[]>();
    for (const j of due) byTsa.set(j.tsa, [...(byTsa.get(j.tsa) ?? []), j]);
    await this.save(state);
    // Authorities in parallel; one authority's heads one after another, stopping at its first failure.
    await Promise.all(
      [...byTsa.values()].map(async (jobs) => {
        for (const job of jobs) if (!(await this.attempt(state, job))) break;
      }),
    );
    this.prune(state);
    await this.save(state);
    await this.schedule(state);
  }

  /** Queues the session's head for every authority that has neither stamped nor queued it. */
  private async enqueue(state: State, session: string, head: Head, tsas: string[]): Promise<void> {
    if (head.seq < 0) return;
    // A head that is itself a time-stamp: nothing was observed since the last stamp.
    const last = await readEvent(this.deps.store.db, session, head.seq);
    if (last?.type === 'timestamp') return;
    const rec = state.sessions[session];
    for (const tsa of tsas) {
      if (rec?.stamped.some((s) => s.tsa === tsa && s.seq >= head.seq)) continue;
      const queued = state.jobs.find((j) => j.session === session && j.tsa === tsa);
      if (queued && queued.seq >= head.seq) continue;
      if (queued) {
        this.miss(state, queued, 'superseded');
        state.jobs.splice(state.jobs.indexOf(queued), 1);
      }
      state.jobs.push({ session, tsa, seq: head.seq, hash: head.hash, since: this.now(), attempts: 0 });
    }
  }

  /** One request for one queued head; true when the authority answered with a token that was sealed. */
  private async attempt(state: State, job: Job): Promise<boolean> {
    job.attempts++;
    try {
      const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const token = await this.request(job.tsa, buildRequest(job.hash, nonce));
      const check = await checkTimeStampToken(token, job.hash, {
        nonce,
        ...(this.deps.trustedRoots ? { trustedRoots: this.deps.trustedRoots } : {}),
      });
      if (!check.ok || !check.genTime || !check.serial)
        throw new AttemptError(`bad-token:${check.problems.map((p) => p.code).join(',')}`);
      const stamp = {
        seq: job.seq,
        hash: job.hash,
        tsa: job.tsa,
        genTime: check.genTime,
        serial: check.serial,
      };
      let sealed: SealedEvent[];
      try {
        ({ sealed } = await this.deps.store.append(job.session, [
          {
            key: await stampKey(job.tsa, job.seq),
            type: 'timestamp',
            time: isoTime(new Date(this.now())),
            data: { ...stamp, token: toBase64(token) },
          },
        ]));
      } catch (err) {
        if (!(err instanceof SessionClosedError)) throw err;
        state.jobs.splice(state.jobs.indexOf(job), 1);
        this.miss(state, job, 'session-closed');
        return true;
      }
      state.jobs.splice(state.jobs.indexOf(job), 1);
      const rec = this.record(state, job.session);
      rec.stamped.push({ ...stamp, ...(sealed[0] ? { eventSeq: sealed[0].seq } : {}) });
      if (rec.stamped.length > MAX_RECORDS) rec.stamped.splice(0, rec.stamped.length - MAX_RECORDS);
      delete state.health[job.tsa];
      await this.save(state);
      return true;
    } catch (err) {
      const code =
        err instanceof AttemptError ? err.code : `error:${err instanceof Error ? err.message : String(err)}`;
      job.lastError = code.slice(0, 300);
      const health = state.health[job.tsa] ?? { failures: 0, retryAt: 0 };
      health.failures++;
      health.retryAt = this.now() + BACKOFF_MS[Math.min(health.failures, BACKOFF_MS.length) - 1]!;
      health.lastError = job.lastError;
      state.health[job.tsa] = health;
      await this.save(state);
      return false;
    }
  }

  /** POSTs the request; the token bytes of a granted answer, or an AttemptError saying what went wrong. */
  private async request(url: string, body: Uint8Array): Promise<Uint8Array> {
    const doFetch = this.deps.fetch ?? globalThis.fetch.bind(globalThis);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': TIMESTAMP_QUERY, accept: TIMESTAMP_REPLY },
          body: body as Uint8Array<ArrayBuffer>,
          credentials: 'omit',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
          signal: abort.signal,
        });
      } catch {
        throw new AttemptError(abort.signal.aborted ? 'timeout' : 'network');
      }
      if (!res.ok) throw new AttemptError(`http-${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
      if (bytes.length > MAX_DER_BYTES + 1024) throw new AttemptError('too-large');
      const answer = parseResponse(bytes);
      if (!isGranted(answer))
        throw new AttemptError(
          `tsa-${answer.status}${answer.failInfo?.length ? `:${answer.failInfo.join(',')}` : ''}`,
        );
      return answer.token;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The retry alarm: at the earliest time a queued head's authority may be asked again. */
  private async schedule(state: State): Promise<void> {
    if (!state.jobs.length) {
      await this.deps.alarms.clear(TIMESTAMP_RETRY_ALARM);
      return;
    }
    // A loop, not Math.min(...): the queue grows with sessions and authorities, and a spread of
    // some 120,000 arguments overflows the stack.
    let next = Infinity;
    for (const j of state.jobs) next = Math.min(next, state.health[j.tsa]?.retryAt ?? 0);
    await this.deps.alarms.create(TIMESTAMP_RETRY_ALARM, {
      when: Math.max(next, this.now() + MIN_ALARM_DELAY_MS),
    });
  }

  private prune(state: State): void {
    const live = new Set(state.jobs.map((j) => j.session));
    const ids = Object.keys(state.sessions).sort(
      (a, b) => state.sessions[b]!.touched - state.sessions[a]!.touched,
    );
    for (const id of ids.slice(MAX_SESSIONS)) if (!live.has(id)) delete state.sessions[id];
  }
}
