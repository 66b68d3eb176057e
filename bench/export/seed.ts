/**
 * Runs in the locker page of the real extension (bundled by bench/export/browser.ts): seals a session
 * of `chat` messages and `shots` screenshots into the evidence database itself, as capture would.
 */
import { EvidenceDb, EvidenceStore } from '../../src/db';
import { isoTime, newSessionId } from '../../src/core/time';
import { sha256Hex } from '../../src/core/hash';

const AUTHORS = ['小鹿乱撞', '买家小王', '路人甲', '早到的观众', 'momo', '不吃香菜', '快乐星球'];
const TEXTS = [
  '这个锅多少钱？',
  '链接在哪里',
  '已拍，什么时候发货',
  '666',
  '有没有优惠券',
  '刚才那个价格是到手价吗',
];

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
      const bytes = crypto.getRandomValues(new Uint8Array(shotBytes).subarray(0, Math.min(shotBytes, 65536)));
      const full = new Uint8Array(shotBytes);
      for (let at = 0; at < shotBytes; at += bytes.length)
        full.set(bytes.subarray(0, Math.min(bytes.length, shotBytes - at)), at);
      full[0] = i & 255;
      full[1] = (i >> 8) & 255;
      full[2] = (i >> 16) & 255;
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
