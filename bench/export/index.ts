/**
 * Export of a one-hour session through the real package builder: 100,000 chat messages, 300
 * screenshots (random bytes, as incompressible as PNGs), price changes and detections, and a case
 * with two receipts (so the report, the letters and the redacted CSV are all made).
 *
 * Each measurement runs in a child process of its own, so its peak memory is its own:
 *
 *   - `store`:  the files the builder made, written as a plain STORE zip by a minimal writer
 *               (local headers, CRC-32 from node:zlib, central directory) — the least an export
 *               must do once the files exist;
 *   - `export`: `buildPackage` + `zipPackage` as the locker runs them (events, CSV, report, letters,
 *               hashes, signature, then the zip with text deflated);
 *   - `deflate`: only deflating the package's text files (the same bytes) with `CompressionStream`,
 *               one after the other — the part of the export a STORE zip does not do at all.
 *
 * Prints wall time (goal: export ≤ 2× store) and peak memory above what the inputs took (goal ≤ 2×
 * the package's size). Never fails.
 *
 *   npm run bench:export [-- runs]     (default 3; best time, largest peak)
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { benchSigner } from '../signer';
import { cpus, loadavg, totalmem } from 'node:os';
import { crc32, inflateRawSync } from 'node:zlib';
import { emptyHead, sealAfter, type Unsealed } from '../../src/core/chain';
import {
  buildPackage,
  isCompressed,
  mediatypeOf,
  zipPackage,
  type BuiltPackage,
  type PackageInput,
} from '../../src/core/package';
import { emptyFields } from '../../src/core/case/model';
import { AUTHORS, TEXTS } from './chat-lines';

const CHAT = 100_000;
const SHOTS = 300;
const SHOT_BYTES = 250_000;
const HOUR_MS = 3_600_000;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function input(): Promise<PackageInput> {
  const id = '20261128-094000-3f9a2c1b';
  const start = Date.parse('2026-11-28T09:40:00.000Z');
  const total = CHAT + SHOTS + 120;
  const time = (i: number) => new Date(start + Math.floor((i / total) * HOUR_MS)).toISOString();
  const drafts: Unsealed[] = [];
  const blobs = new Map<string, Uint8Array>();
  let i = 0;
  for (let c = 0; c < CHAT; c++) {
    const host = c % 50 === 0;
    drafts.push({
      type: 'chat',
      time: time(i++),
      data: {
        author: host ? '小美优选' : `${AUTHORS[c % AUTHORS.length]}${c % 997}`,
        text: host
          ? `今天直播间只要 ${99 + (c % 7)} 元，七天无理由退货！`
          : `${TEXTS[c % TEXTS.length]} ${c}`,
        kind: host ? 'host' : 'chat',
      },
    });
    if (c % Math.floor(CHAT / SHOTS) === 0 && blobs.size < SHOTS) {
      const bytes = new Uint8Array(randomBytes(SHOT_BYTES));
      const h = sha(bytes);
      blobs.set(h, bytes);
      drafts.push({
        type: 'screenshot',
        time: time(i++),
        data: { sha256: h, bytes: SHOT_BYTES, mediatype: 'image/png', reason: 'periodic' },
      });
    }
    if (c % 1000 === 500) {
      drafts.push({
        type: 'product',
        time: time(i++),
        data: {
          id: 'p1',
          state: 'changed',
          changed: ['price'],
          title: '不粘锅 32cm',
          price: c % 2000 === 500 ? '¥1' : '¥99',
        },
      });
      drafts.push({
        type: 'detection',
        time: time(i++),
        data: {
          category: 'promise',
          rule: 'refund',
          text: '七天无理由退货',
          normalized: '七天无理由退货',
          source: drafts.length - 2,
          host: true,
        },
      });
    }
  }
  const events = await sealAfter(await emptyHead(id), drafts);
  const receipt = new Uint8Array([
    0x25,
    0x50,
    0x44,
    0x46,
    0x2d,
    ...randomBytes(400_000),
    0x25,
    0x25,
    0x45,
    0x4f,
    0x46,
    0x0a,
  ]);
  const fields = {
    ...emptyFields(),
    merchantName: '小美优选旗舰店',
    product: '不粘锅 32cm',
    orderNumber: '6912345678901234',
    demand: '退货退款',
  };
  return {
    created: new Date('2026-11-28T12:00:00.000Z'),
    toolVersion: '0.1.0',
    environment: { userAgent: 'bench', os: 'linux/x86-64', timeZone: 'Asia/Shanghai', language: 'zh-CN' },
    sessions: [
      {
        session: {
          id,
          url: 'https://live.douyin.com/880123456',
          title: '小美优选直播间',
          platform: 'douyin',
          adapter: 'douyin',
          startedAt: events[0]!.time,
          endedAt: events.at(-1)!.time,
        },
        events,
        blobs,
      },
    ],
    lang: 'zh_CN',
    signer: benchSigner,
    verifierScript: '/* bench */',
    shortId: 'b0b0b0',
    case: {
      id: 'c-bench',
      title: '不粘锅',
      fields,
      ranges: [{ session: id }],
      marks: [{ session: id, seq: 0, key: true, note: '开场承诺', time: '2026-11-28T12:00:00.000Z' }],
      receipts: [
        {
          id: 'r1',
          name: 'pay.pdf',
          label: '付款凭证',
          mediatype: 'application/pdf',
          ext: 'pdf',
          sha256: sha(receipt),
          attachedAt: '2026-11-28T12:00:00.000Z',
          bytes: receipt,
        },
      ],
      redaction: 'names',
    },
  };
}

/** The bytes of each file the builder made (its big text files come deflated: they are inflated here). */
const plainFiles = (files: BuiltPackage['files']) =>
  files.map((f) => {
    if (!('data' in f)) return { path: f.path, bytes: f.bytes };
    // The benchmark hands the builder bytes, never Blobs, so every entry is bytes too.
    if (!(f.data instanceof Uint8Array)) throw new Error(`${f.path}: a Blob entry`);
    return { path: f.path, bytes: f.method === 8 ? new Uint8Array(inflateRawSync(f.data)) : f.data };
  });

/** A plain STORE zip of `files`: what writing the bytes costs, with nothing else done. */
function storeZip(files: { path: string; bytes: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.path, 'utf8');
    const crc = crc32(f.bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.bytes.length, 18);
    local.writeUInt32LE(f.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, f.bytes);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(f.bytes.length, 20);
    dir.writeUInt32LE(f.bytes.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += 30 + name.length + f.bytes.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dirBytes, end]);
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Child: one measurement; prints a JSON line. */
async function child(mode: Mode): Promise<void> {
  const inp = await input();
  // The store baseline writes exactly the files the builder makes; building them is not timed.
  const files = mode !== 'export' ? plainFiles((await buildPackage(inp)).files) : null;
  const texts = files?.filter((f) => !isCompressed(mediatypeOf(f.path))).map((f) => f.bytes) ?? [];
  gc();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 5);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let size: number;
  let buildMs = 0;
  if (mode === 'deflate') {
    size = 0;
    for (const t of texts) {
      const out = new Blob([t as Uint8Array<ArrayBuffer>])
        .stream()
        .pipeThrough(new CompressionStream('deflate-raw'));
      size += (await new Response(out).arrayBuffer()).byteLength;
    }
  } else if (files) size = storeZip(files).length;
  else {
    const built = await buildPackage(inp, sample);
    buildMs = performance.now() - started;
    size = (await zipPackage(built.files, 'uint8array', sample)).length;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  clearInterval(timer);
  sample();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      ms,
      buildMs,
      cpuMs,
      size,
      before,
      peak: Math.max(peak, maxRss),
      events: inp.sessions[0]!.events.length,
    }),
  );
}

type Mode = 'store' | 'export' | 'deflate';

function measure(mode: Mode): {
  ms: number;
  buildMs: number;
  cpuMs: number;
  size: number;
  before: number;
  peak: number;
  events: number;
} {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', import.meta.filename, '--child', mode],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${mode}: ${r.stderr || r.stdout}`);
  return JSON.parse(line);
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

if (process.argv[2] === '--child') await child(process.argv[3] as Mode);
else {
  const runs = Number(process.argv[2] ?? 3);
  console.log(
    `export of a one-hour session: ${CHAT.toLocaleString('en')} chat, ${SHOTS} screenshots of ${SHOT_BYTES / 1000} kB, a case with a receipt`,
  );
  console.log(
    `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${mb(totalmem())} MB, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}; best time / largest peak of ${runs}`,
  );
  const take = (mode: Mode) => {
    const all = Array.from({ length: runs }, () => measure(mode));
    const fastest = all.reduce((a, r) => (r.ms < a.ms ? r : a));
    return {
      ms: fastest.ms,
      buildMs: fastest.buildMs,
      cpuMs: Math.min(...all.map((r) => r.cpuMs)),
      size: all[0]!.size,
      extra: Math.max(...all.map((r) => r.peak - r.before)),
      events: all[0]!.events,
    };
  };
  const store = take('store');
  const exp = take('export');
  const deflate = take('deflate');
  console.log(`events ${exp.events.toLocaleString('en')}`);
  console.log(
    `plain STORE zip   ${store.ms.toFixed(0).padStart(7)} ms   ${mb(store.size).padStart(7)} MB   peak +${mb(store.extra)} MB   cpu ${store.cpuMs.toFixed(0)} ms`,
  );
  console.log(
    `LiveProof export  ${exp.ms.toFixed(0).padStart(7)} ms   ${mb(exp.size).padStart(7)} MB   peak +${mb(exp.extra)} MB` +
      `   cpu ${exp.cpuMs.toFixed(0)} ms   (build ${exp.buildMs.toFixed(0)} ms, zip ${(exp.ms - exp.buildMs).toFixed(0)} ms)`,
  );
  console.log(
    `deflating the text alone ${deflate.ms.toFixed(0).padStart(5)} ms   ${mb(deflate.size).padStart(7)} MB   cpu ${deflate.cpuMs.toFixed(0)} ms   (${(deflate.ms / store.ms).toFixed(2)}× the STORE zip)`,
  );
  console.log(
    `time ${(exp.ms / store.ms).toFixed(2)}× the STORE zip (goal ≤ 2×; CPU time ${(exp.cpuMs / store.cpuMs).toFixed(2)}×); peak memory ${(exp.extra / exp.size).toFixed(2)}× the package (goal ≤ 2×)`,
  );
}
