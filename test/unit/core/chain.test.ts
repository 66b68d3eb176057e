/**
 * The hash chain as docs/bundle-format.md §4 specifies it, recomputed here with node:crypto and
 * hand-written JCS, so a receiver following the document gets the same hashes the extension wrote.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHA256_HEX, sha256Hex, toHex, utf8 } from '../../../src/core/hash';
import {
  CHAIN_FORMAT,
  emptyHead,
  firstChainProblem,
  genesisHash,
  sealAfter,
  type Unsealed,
} from '../../../src/core/chain';
import { wellFormed } from '../../../src/core/canonical';
import type { SealedEvent } from '../../../src/core/evidence';

const nodeSha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

const SESSION = '20261128-094000-3f9a2c1b';
const OTHER_SESSION = '20261128-094000-00000000';

const drafts: Unsealed[] = [
  { type: 'chat', time: '2026-11-28T09:40:01.250Z', data: { author: '小鹿', text: '你好', kind: 'chat' } },
  { type: 'chat', time: '2026-11-28T09:40:02.000Z', data: { text: '99 元', kind: 'host', author: '主播' } },
  { type: 'note', time: '2026-11-28T09:40:03.500Z', data: { text: '承诺七天无理由' } },
  { type: 'chat', time: '2026-11-28T09:40:04.000Z', data: { author: 'b', text: '链接呢', kind: 'chat' } },
  { type: 'session-end', time: '2026-11-28T09:40:05.000Z', data: { cause: 'stopped-by-user' } },
];

async function chain(): Promise<SealedEvent[]> {
  return sealAfter(await emptyHead(SESSION), drafts);
}

/** Re-seals one event the way a forger would after changing it (its own hash made to match). */
async function resealed(e: Omit<SealedEvent, 'hash'>): Promise<SealedEvent> {
  const [out] = await sealAfter({ seq: e.seq - 1, hash: e.prev }, [
    { type: e.type, time: e.time, data: e.data },
  ]);
  return out!;
}

describe('sha256Hex', () => {
  it('hashes text as UTF-8 and bytes as they are, like any SHA-256 tool', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('直播 😀')).toBe(nodeSha256('直播 😀'));
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    expect(await sha256Hex(bytes)).toBe(nodeSha256(bytes));
  });

  it('hashes only the bytes a view shows, not the whole buffer behind it', async () => {
    const buffer = Uint8Array.from({ length: 64 }, (_, i) => i);
    const view = buffer.subarray(10, 20);
    expect(await sha256Hex(view)).toBe(nodeSha256(Buffer.from(buffer.slice(10, 20))));
  });

  it('writes lowercase hex', async () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(await sha256Hex(utf8('x'))).toMatch(SHA256_HEX);
  });
});

describe('liveproof-chain/1: hashes as docs/bundle-format.md §4 defines them', () => {
  it('names its format', () => {
    expect(CHAIN_FORMAT).toBe('liveproof-chain/1');
  });

  it('genesis = SHA-256("liveproof/genesis/v1\\n" ‖ session id)', async () => {
    expect(await genesisHash(SESSION)).toBe(nodeSha256(`liveproof/genesis/v1\n${SESSION}`));
    expect(await emptyHead(SESSION)).toEqual({
      seq: -1,
      hash: nodeSha256(`liveproof/genesis/v1\n${SESSION}`),
    });
    expect(await genesisHash(OTHER_SESSION)).not.toBe(await genesisHash(SESSION));
  });

  it('hash(e) = SHA-256("liveproof/event/v1\\n" ‖ JCS({seq,type,time,data,prev})), prev linking each to the one before', async () => {
    const [e0, e1] = await chain();
    const genesis = nodeSha256(`liveproof/genesis/v1\n${SESSION}`);
    // JCS written out by hand: members sorted, no spaces, text as UTF-8.
    const jcs0 =
      `{"data":{"author":"小鹿","kind":"chat","text":"你好"},"prev":"${genesis}",` +
      `"seq":0,"time":"2026-11-28T09:40:01.250Z","type":"chat"}`;
    const hash0 = nodeSha256(`liveproof/event/v1\n${jcs0}`);
    const jcs1 =
      `{"data":{"author":"主播","kind":"host","text":"99 元"},"prev":"${hash0}",` +
      `"seq":1,"time":"2026-11-28T09:40:02.000Z","type":"chat"}`;
    const hash1 = nodeSha256(`liveproof/event/v1\n${jcs1}`);

    expect(e0).toEqual({ ...drafts[0], seq: 0, prev: genesis, hash: hash0 });
    expect(e1).toEqual({ ...drafts[1], seq: 1, prev: hash0, hash: hash1 });
  });

  it('the tags keep the domains apart: an event hash is not the hash of its JCS alone', async () => {
    const [e0] = await chain();
    const body = e0!;
    const untagged = nodeSha256(
      JSON.stringify({ data: body.data, prev: body.prev, seq: 0, time: body.time, type: body.type }),
    );
    expect(e0!.hash).not.toBe(untagged);
    expect(await genesisHash(SESSION)).not.toBe(nodeSha256(SESSION));
  });
});

describe('sealAfter', () => {
  it('produces a chain firstChainProblem accepts, seq 0, 1, 2, … from the genesis', async () => {
    const events = await chain();
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(events[0]!.prev).toBe(await genesisHash(SESSION));
    for (let i = 1; i < events.length; i++) expect(events[i]!.prev).toBe(events[i - 1]!.hash);
    expect(await firstChainProblem(SESSION, events)).toBeNull();
  });

  it('sealing in several batches gives exactly the chain sealing all at once gives', async () => {
    const all = await chain();
    const first = await sealAfter(await emptyHead(SESSION), drafts.slice(0, 2));
    const rest = await sealAfter({ seq: 1, hash: first[1]!.hash }, drafts.slice(2));
    expect([...first, ...rest]).toEqual(all);
  });

  it('an empty session is intact, and sealing nothing adds nothing', async () => {
    expect(await firstChainProblem(SESSION, [])).toBeNull();
    expect(await sealAfter(await emptyHead(SESSION), [])).toEqual([]);
  });

  it('the hash does not depend on the order data members were written in', async () => {
    const head = await emptyHead(SESSION);
    const [a] = await sealAfter(head, [
      { type: 'chat', time: drafts[0]!.time, data: { author: 'x', text: 'y', kind: 'chat' } },
    ]);
    const [b] = await sealAfter(head, [
      { type: 'chat', time: drafts[0]!.time, data: { kind: 'chat', text: 'y', author: 'x' } },
    ]);
    expect(a!.hash).toBe(b!.hash);
  });

  it('refuses text with a lone surrogate and seals it once made well-formed', async () => {
    const head = await emptyHead(SESSION);
    const hostile = {
      type: 'chat' as const,
      time: drafts[0]!.time,
      data: { author: 'x', text: 'a\ud800', kind: 'chat' },
    };
    await expect(sealAfter(head, [hostile])).rejects.toThrow(/surrogate/i);
    const [e] = await sealAfter(head, [
      { ...hostile, data: { ...hostile.data, text: wellFormed('a\ud800') } },
    ]);
    expect(e!.data.text).toBe('a\ufffd');
  });
});

describe('firstChainProblem: each kind of tampering is caught at the first broken event', () => {
  it('changed data', async () => {
    const events = await chain();
    events[2] = { ...events[2]!, data: { text: '没有承诺' } };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-hash', seq: 2 });
  });

  it('changed time', async () => {
    const events = await chain();
    events[1] = { ...events[1]!, time: '2026-11-28T09:39:00.000Z' };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-hash', seq: 1 });
  });

  it('changed type', async () => {
    const events = await chain();
    events[2] = { ...events[2]!, type: 'chat' };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-hash', seq: 2 });
  });

  it('changed seq', async () => {
    const events = await chain();
    events[3] = { ...events[3]!, seq: 7 };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-seq', seq: 7, expected: 3 });
  });

  it('changed event whose own hash was recomputed: the next link breaks', async () => {
    const events = await chain();
    events[1] = await resealed({ ...events[1]!, data: { ...events[1]!.data, text: '199 元' } });
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-prev', seq: 2 });
  });

  it('reordered events', async () => {
    const events = await chain();
    [events[1], events[2]] = [events[2]!, events[1]!];
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-seq', seq: 2, expected: 1 });
  });

  it('reordered and renumbered events', async () => {
    const events = await chain();
    const [a, b] = [events[1]!, events[2]!];
    events[1] = { ...b, seq: 1 };
    events[2] = { ...a, seq: 2 };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-prev', seq: 1 });
  });

  it('removed event', async () => {
    const events = await chain();
    events.splice(2, 1);
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-seq', seq: 3, expected: 2 });
  });

  it('removed event, the rest renumbered', async () => {
    const events = (await chain()).filter((e) => e.seq !== 2).map((e, i) => ({ ...e, seq: i }));
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-prev', seq: 2 });
  });

  it('inserted event, properly sealed after its predecessor and the rest renumbered', async () => {
    const events = await chain();
    const forged = await resealed({
      seq: 2,
      type: 'chat',
      time: '2026-11-28T09:40:02.500Z',
      data: { author: '小鹿', text: '我同意不退货', kind: 'chat' },
      prev: events[1]!.hash,
    });
    const tampered = [
      ...events.slice(0, 2),
      forged,
      ...events.slice(2).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    expect(await firstChainProblem(SESSION, tampered)).toEqual({ code: 'chain-prev', seq: 3 });
  });

  it('inserted event without renumbering', async () => {
    const events = await chain();
    events.splice(1, 0, { ...events[1]! });
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-seq', seq: 1, expected: 2 });
  });

  it('wrong prev', async () => {
    const events = await chain();
    events[3] = { ...events[3]!, prev: events[1]!.hash };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-prev', seq: 3 });
  });

  it('wrong genesis: a chain checked against another session id', async () => {
    expect(await firstChainProblem(OTHER_SESSION, await chain())).toEqual({ code: 'chain-prev', seq: 0 });
  });

  it('wrong genesis: the first event links to something else', async () => {
    const events = await chain();
    events[0] = await resealed({ ...events[0]!, prev: nodeSha256(`liveproof/genesis/v1\n${OTHER_SESSION}`) });
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-prev', seq: 0 });
  });

  it('non-contiguous seq: a chain that does not start at 0', async () => {
    const events = await sealAfter({ seq: 4, hash: await genesisHash(SESSION) }, drafts);
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-seq', seq: 5, expected: 0 });
  });

  it('non-contiguous seq: a gap in the middle', async () => {
    const events = await chain();
    const tail = await sealAfter({ seq: 7, hash: events[4]!.hash }, drafts.slice(0, 1));
    expect(await firstChainProblem(SESSION, [...events, ...tail])).toEqual({
      code: 'chain-seq',
      seq: 8,
      expected: 5,
    });
  });

  it('a forged hash value', async () => {
    const events = await chain();
    events[4] = { ...events[4]!, hash: 'f'.repeat(64) };
    expect(await firstChainProblem(SESSION, events)).toEqual({ code: 'chain-hash', seq: 4 });
  });
});
