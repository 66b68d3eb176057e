/**
 * The packages the verification benchmarks check (bench/verify/index.ts in Node, browser.ts in
 * Chromium): built with the real package builder, signed, screenshots as incompressible random bytes
 * the size of real captures, chat in Chinese.
 */
import { createHash, randomBytes } from 'node:crypto';
import { benchSigner } from '../signer';
import { emptyHead, sealAfter, type Unsealed } from '../../src/core/chain';
import { buildPackage, zipPackage, type SessionExport } from '../../src/core/package';

export const SESSION_ID = '20261128-094000-3f9a2c1b';

const AUTHORS = ['小鹿乱撞', '买家小王', '路人甲', '早到的观众', 'momo', '不吃香菜', '快乐星球'];
const TEXTS = [
  '这个锅多少钱？',
  '链接在哪里',
  '主播能不能再讲讲尺码',
  '已拍，什么时候发货',
  '666',
  '今天直播间只要 99 元，七天无理由退货！',
  '有没有优惠券',
  '刚才那个价格是到手价吗',
];

/** A session of `chat` messages with a `shots` screenshots of `shotBytes` random bytes (like a PNG, incompressible). */
export async function session(
  id: string,
  chat: number,
  shots: number,
  shotBytes: number,
): Promise<SessionExport> {
  let clock = Date.parse('2026-11-28T09:40:00.000Z');
  const time = () => new Date((clock += 180)).toISOString();
  const drafts: Unsealed[] = [];
  const blobs = new Map<string, Uint8Array>();
  const every = shots ? Math.max(1, Math.floor(chat / shots)) : Infinity;
  for (let i = 0; i < chat; i++) {
    drafts.push({
      type: 'chat',
      time: time(),
      data: {
        author: AUTHORS[i % AUTHORS.length]!,
        text: `${TEXTS[(i * 7) % TEXTS.length]} ${i}`,
        kind: 'chat',
      },
    });
    if (blobs.size < shots && i % every === 0) {
      const bytes = new Uint8Array(randomBytes(shotBytes));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      blobs.set(sha256, bytes);
      drafts.push({
        type: 'screenshot',
        time: time(),
        data: { sha256, bytes: shotBytes, mediatype: 'image/png', reason: 'periodic' },
      });
    }
  }
  const events = await sealAfter(await emptyHead(id), drafts);
  return {
    session: {
      id,
      url: 'https://live.douyin.com/880123456',
      title: '小美优选直播间',
      platform: 'douyin',
      adapter: 'douyin',
      startedAt: events[0]!.time,
      endedAt: null,
    },
    events,
    blobs,
  };
}

export async function packageOf(s: SessionExport): Promise<Uint8Array> {
  const built = await buildPackage({
    created: new Date('2026-11-28T12:00:00.000Z'),
    toolVersion: '0.1.0',
    environment: { userAgent: 'bench', os: 'linux/x86-64', timeZone: 'Asia/Shanghai', language: 'zh-CN' },
    sessions: [s],
    lang: 'zh_CN',
    signer: benchSigner,
    verifierScript: '/* bench */',
    shortId: 'b0b0b0',
  });
  return zipPackage(built.files, 'uint8array');
}

export const COMPOSITIONS: [string, number, number, number][] = [
  // name, chat messages, screenshots, bytes per screenshot
  ['screenshots (an hour, one a minute, 1.5 MB each; 2,000 chat)', 2_000, 60, 1_500_000],
  ['busy hour (20,000 chat, 60 screenshots of 500 kB)', 20_000, 60, 500_000],
  ['chat only (100,000 messages)', 100_000, 0, 0],
];
