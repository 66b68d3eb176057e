/**
 * The per-session hash chain (format `liveproof-chain/1`, specified in docs/bundle-format.md).
 *
 *   genesis   = SHA-256( "liveproof/genesis/v1\n" || sessionId )
 *   hash(e)   = SHA-256( "liveproof/event/v1\n" || JCS({seq, type, time, data, prev}) )
 *   prev(e_0) = genesis, prev(e_n) = hash(e_{n-1}), seq runs 0, 1, 2, … without gaps.
 *
 * The tags separate the two domains, so no event hash can pose as a genesis and vice versa.
 */
import { canonicalJson } from './canonical';
import { sha256Hex } from './hash';
import type { EventType, SealedEvent } from './evidence';

export const CHAIN_FORMAT = 'liveproof-chain/1';
export const GENESIS_TAG = 'liveproof/genesis/v1\n';
export const EVENT_TAG = 'liveproof/event/v1\n';

/** The last sealed event of a session; `seq` is -1 and `hash` the genesis while it is empty. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export function genesisHash(sessionId: string): Promise<string> {
  return sha256Hex(GENESIS_TAG + sessionId);
}

export async function emptyHead(sessionId: string): Promise<ChainHead> {
  return { seq: -1, hash: await genesisHash(sessionId) };
}

export function eventHashInput(e: Omit<SealedEvent, 'hash'>): string {
  return EVENT_TAG + canonicalJson({ seq: e.seq, type: e.type, time: e.time, data: e.data, prev: e.prev });
}

export interface Unsealed {
  type: EventType;
  time: string;
  data: Record<string, unknown>;
}

/** Seals drafts in order after `head`; returns the sealed events (the new head is the last one). */
export async function sealAfter(head: ChainHead, drafts: readonly Unsealed[]): Promise<SealedEvent[]> {
  const out: SealedEvent[] = [];
  let prev = head.hash;
  let seq = head.seq;
  for (const d of drafts) {
    seq += 1;
    const body = { seq, type: d.type, time: d.time, data: d.data, prev };
    const hash = await sha256Hex(eventHashInput(body));
    out.push({ ...body, hash });
    prev = hash;
  }
  return out;
}

export type ChainProblem =
  | { code: 'chain-seq'; seq: number; expected: number }
  | { code: 'chain-prev'; seq: number }
  | { code: 'chain-hash'; seq: number };

/** Checks a whole chain; returns the first problem, or null when every link holds. */
export async function firstChainProblem(
  sessionId: string,
  events: readonly SealedEvent[],
): Promise<ChainProblem | null> {
  let prev = await genesisHash(sessionId);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== i) return { code: 'chain-seq', seq: e.seq, expected: i };
    if (e.prev !== prev) return { code: 'chain-prev', seq: e.seq };
    const hash = await sha256Hex(eventHashInput(e));
    if (hash !== e.hash) return { code: 'chain-hash', seq: e.seq };
    prev = e.hash;
  }
  return null;
}
