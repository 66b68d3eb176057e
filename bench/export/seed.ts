/**
 * Runs in the locker page of the real extension (bundled by bench/export/browser.ts): seals a session
 * of `chat` messages and `shots` screenshots into the evidence database itself, as capture would.
 */
import { EvidenceDb, EvidenceStore } from '../../src/db';
import { isoTime, newSessionId } from '../../src/core/time';
import { sha256Hex } from '../../src/core/hash';
import { AUTHORS, TEXTS } from './chat-lines';

async function seed(chat: number, shots: number, shotBytes: number): Promise<string> {
  const store = new EvidenceStore(new EvidenceDb());
  const start = Date.now() - 3_600_000;
  const id = newSessionId();
  await store.createSession({
    id,
    tabId: 1,
    url: 'https://live.douyin.com/880123456',
    title: '小美优选直播间 · 一小时',
    platform: 'douyin',
    adapter: 'douyin',
    startedAt: new Date(start).toISOString(),
  });
  const every = Math.max(1, Math.floor(chat / Math.max(1, shots)));
  let batch: Parameters<EvidenceStore['append']>[1][number][] = [];
  for (let i = 0; i < chat; i++) {
    const time = isoTime(new Date(start + Math.floor((i / chat) * 3_600_000)));
    batch.push({
      key: `seed:${i}`,
      type: 'chat',
      time,
      data: { author: AUTHORS[i % AUTHORS.length]!, text: `${TEXTS[i % TEXTS.length]!} ${i}`, kind: 'chat' },
    });
    if (i % every === 0 && shots > 0) {
      // Random bytes, as incompressible as a PNG (getRandomValues fills at most 64 kB a call).
      const full = new Uint8Array(shotBytes);
      for (let at = 0; at < shotBytes; at += 65536) crypto.getRandomValues(full.subarray(at, at + 65536));
      const sha256 = await sha256Hex(full);
      await store.putBlob(sha256, 'image/png', full);
      batch.push({
        key: `shot:${i}`,
        type: 'screenshot',
        time,
        data: { sha256, bytes: shotBytes, mediatype: 'image/png', reason: 'periodic' },
      });
    }
    if (batch.length >= 2000) {
      await store.append(id, batch);
      batch = [];
    }
  }
  if (batch.length) await store.append(id, batch);
  await store.close(id, 'stopped-by-user');
  store.db.close();
  return id;
}

(globalThis as unknown as { __seed: unknown }).__seed = seed;
