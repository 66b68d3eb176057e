/**
 * Runs in the locker page of the real extension (bundled by test/e2e/export-limits.test.ts): seals a
 * session of `count` screenshot records that all point to one small stored picture, as capture
 * would seal them (a package of one file per record).
 */
import { EvidenceDb, EvidenceStore } from '../../../src/db';
import { isoTime, newSessionId } from '../../../src/core/time';
import { sha256Hex } from '../../../src/core/hash';

async function seedPictures(count: number): Promise<string> {
  const store = new EvidenceStore(new EvidenceDb());
  const start = Date.now() - 3_600_000;
  const id = newSessionId();
  await store.createSession({
    id,
    tabId: 1,
    url: 'https://live.douyin.com/880123456',
    title: '截图很多的直播间',
    platform: 'douyin',
    adapter: 'douyin',
    startedAt: new Date(start).toISOString(),
  });
  const png = crypto.getRandomValues(new Uint8Array(64));
  const sha256 = await sha256Hex(png);
  await store.putBlob(sha256, 'image/png', png);
  for (let i = 0; i < count; i += 2000) {
    const batch: Parameters<EvidenceStore['append']>[1][number][] = [];
    for (let k = i; k < Math.min(count, i + 2000); k++)
      batch.push({
        key: `shot:${k}`,
        type: 'screenshot',
        time: isoTime(new Date(start + k * 50)),
        data: { sha256, bytes: png.length, mediatype: 'image/png', reason: 'periodic' },
      });
    await store.append(id, batch);
  }
  await store.close(id, 'stopped-by-user');
  store.db.close();
  return id;
}

(globalThis as unknown as { __seedPictures: unknown }).__seedPictures = seedPictures;
