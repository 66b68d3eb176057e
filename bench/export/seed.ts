/**
 * Runs in the locker page of the real extension (bundled by bench/export/browser.ts): seals a session
 * of `chat` messages and `shots` screenshots into the evidence database itself, as capture would.
 */
import { openSeedSession, type SeedRecord } from '../seed-session';
import { AUTHORS, TEXTS } from './chat-lines';

async function seed(chat: number, shots: number, shotBytes: number): Promise<string> {
  const session = await openSeedSession('小美优选直播间 · 一小时');
  const every = Math.max(1, Math.floor(chat / Math.max(1, shots)));
  let batch: SeedRecord[] = [];
  for (let i = 0; i < chat; i++) {
    const time = session.at(Math.floor((i / chat) * 3_600_000));
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
      batch.push({ key: `shot:${i}`, type: 'screenshot', time, data: await session.picture(full) });
    }
    if (batch.length >= 2000) {
      await session.append(batch);
      batch = [];
    }
  }
  await session.append(batch);
  return session.close();
}

(globalThis as unknown as { __seed: unknown }).__seed = seed;
