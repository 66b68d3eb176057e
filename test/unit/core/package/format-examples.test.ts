/**
 * The worked examples in docs/bundle-format.md stay true: every value is recomputed by the code that
 * seals, signs and verifies, so a third party re-implementing from the document gets the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TAG,
  GENESIS_TAG,
  emptyHead,
  eventHashInput,
  genesisHash,
  sealAfter,
} from '../../../../src/core/chain';
import { canonicalJson } from '../../../../src/core/canonical';
import { sha256Hex } from '../../../../src/core/hash';
import type { SealedEvent } from '../../../../src/core/evidence';
import {
  SIGNATURE_TAG,
  formatFingerprint,
  fromBase64,
  keyFingerprint,
  signedStatement,
  verifySignature,
} from '../../../../src/core/sign';
import { ROOT } from '../../../../src/cli/build';

const doc = readFileSync(join(ROOT, 'docs/bundle-format.md'), 'utf8');

/** The `name = value` lines of the worked example in the section that starts with `heading`. */
function example(heading: string): Map<string, string> {
  const section = doc.slice(doc.indexOf(heading));
  const block = /### Worked example[\s\S]*?```text\n([\s\S]*?)```/.exec(section)![1]!;
  return new Map(
    block
      .trim()
      .split('\n')
      .map((l) => /^(.+?)\s+= (.*)$/.exec(l)!)
      .map((m) => [m[1]!.trim(), m[2]!.replaceAll('\\n', '\n')]),
  );
}

describe('docs/bundle-format.md §4: the hash chain, worked example', () => {
  const ex = example('## 4. Events and the hash chain');

  it('gives the genesis of the session id', async () => {
    expect(await genesisHash(ex.get('id')!)).toBe(ex.get('genesis'));
    expect(await sha256Hex(GENESIS_TAG + ex.get('id'))).toBe(ex.get('genesis'));
  });

  it('gives the exact hashed input and the hash of each event, each line as written', async () => {
    for (const i of [0, 1]) {
      const line = ex.get(`line ${i}`)!;
      const e = JSON.parse(line) as SealedEvent;
      expect(canonicalJson(e)).toBe(line);
      expect(eventHashInput(e)).toBe(ex.get(`input ${i}`));
      expect(ex.get(`input ${i}`)!.startsWith(EVENT_TAG)).toBe(true);
      expect(await sha256Hex(ex.get(`input ${i}`)!)).toBe(ex.get(`hash ${i}`));
      expect(e.hash).toBe(ex.get(`hash ${i}`));
    }
    expect((JSON.parse(ex.get('line 0')!) as SealedEvent).prev).toBe(ex.get('genesis'));
    expect((JSON.parse(ex.get('line 1')!) as SealedEvent).prev).toBe(ex.get('hash 0'));
  });

  it('is what sealing those two messages produces', async () => {
    const drafts = [0, 1].map((i) => {
      const { type, time, data } = JSON.parse(ex.get(`line ${i}`)!) as SealedEvent;
      return { type, time, data };
    });
    const events = await sealAfter(await emptyHead(ex.get('id')!), drafts);
    expect(events.map((e) => canonicalJson(e))).toEqual([ex.get('line 0'), ex.get('line 1')]);
  });
});

describe('docs/bundle-format.md §3: the signature, worked example', () => {
  const ex = example('## 3. `datapackage-digest.json`');

  it('gives the manifest hash of the example manifest and the statement signed', async () => {
    const manifest = /A manifest consisting of `(.+?)` and a line feed/.exec(doc)![1]!;
    expect(`sha256:${await sha256Hex(manifest + '\n')}`).toBe(ex.get('hash'));
    expect(ex.get('statement')).toBe(SIGNATURE_TAG + ex.get('hash'));
    expect(new TextDecoder().decode(signedStatement(ex.get('hash')!))).toBe(ex.get('statement'));
  });

  it('gives the fingerprint of the public key, and how it is shown', async () => {
    const spki = fromBase64(ex.get('publicKey')!)!;
    expect(await keyFingerprint(spki)).toBe(ex.get('fingerprint'));
    expect(formatFingerprint(ex.get('fingerprint')!)).toBe(ex.get('shown as'));
  });

  it('gives a signature that WebCrypto verifies, and that fails for any other statement', async () => {
    const spki = fromBase64(ex.get('publicKey')!)!;
    const value = fromBase64(ex.get('value')!)!;
    expect(value).toHaveLength(64);
    expect(await verifySignature(spki, signedStatement(ex.get('hash')!), value)).toBe(true);
    expect(await verifySignature(spki, signedStatement(`sha256:${'0'.repeat(64)}`), value)).toBe(false);
  });
});
