/**
 * Detection benchmark: precision and recall per category over the labelled corpus, and throughput
 * on one core over a realistic mixed stream. Prints figures; never fails.
 *
 *   npx tsx bench/detect/index.ts [messages]     (default 200000)
 */
import type { Detection, DetectInput } from '../../src/core/detect';
import { SessionDetector } from '../../src/core/detect';
import type { Case } from './corpus';
import { CATEGORIES, evaluate, inputsOf, loadCorpus } from './corpus';

const GOALS: Record<string, number> = { 'off-platform': 0.95, 'off-platform:block': 0.95 };
const DEFAULT_GOAL = 0.9;
const THROUGHPUT_GOAL = 20_000;

function pct(x: number): string {
  return x.toFixed(3);
}

function table(title: string, cases: readonly Case[]): void {
  const scores = evaluate(cases);
  console.log(`\n${title} (${cases.length} cases, ${cases.filter((c) => c.guards).length} tricky negatives)`);
  console.log('category              precision  recall   tp   fp   fn  goal');
  for (const k of [...CATEGORIES, 'off-platform:block']) {
    const s = scores.get(k)!;
    const goal = GOALS[k] ?? DEFAULT_GOAL;
    const ok = s.precision >= goal && s.recall >= goal ? 'ok' : 'SHORT';
    console.log(
      `${k.padEnd(22)}${pct(s.precision).padStart(9)}${pct(s.recall).padStart(8)}${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.fn).padStart(5)}  ≥${goal} ${ok}`,
    );
  }
}

/** Deterministic PRNG (mulberry32), so every run streams the same messages. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What most of a live room's chat looks like (domain.md §1.1 notes 扣1, 1号链接, 小黄车 …). */
const FILLER = [
  '主播好美',
  '多少钱',
  '扣1',
  '111',
  '已拍',
  '1号链接',
  '2号链接还有吗',
  '上链接',
  '来了来了',
  '哈哈哈哈',
  '好看',
  '姐妹们冲',
  '求讲解',
  '能便宜点吗',
  '什么材质',
  '有没有大码',
  '165穿什么码',
  '发什么快递',
  '几天到',
  '主播晚上好',
  '关注了',
  '点赞点赞',
  '👍👍👍',
  '❤️❤️',
  '🌹',
  '好可爱',
  '颜色好正',
  '黑色还有吗',
  '已关注',
  '讲解一下3号',
  '等了好久',
  '这个怎么用',
  '适合油皮吗',
  '孕妇能用吗',
  '老粉来了',
  '拍了两件',
  '怎么不说话',
  '求返场',
  '有优惠券吗',
  '加购了',
  '小黄车几号',
  '什么时候发货',
  '质量怎么样',
  '买过的说好',
  '已下单 期待',
  'hello from LA',
  'love this',
  'how much?',
  'what size is she wearing',
  'link?',
  'just ordered!',
  'so cute',
  'does it come in black',
  'shipping to canada?',
  'omg yes',
  'first time here',
  'restock please',
  '🔥🔥🔥',
  '主播今天穿的好好看啊，是哪个链接',
  '上次买的已经收到了，质量很好，回购了',
  '我是从推荐页进来的，第一次看',
  '这个颜色显白吗，我黄皮',
  '家人们我先拍了，等收货再来反馈',
  '刚下班，错过了什么',
  '1号2号有什么区别',
];

function stream(n: number, cases: readonly Case[]): DetectInput[] {
  const random = rng(20260101);
  const singles = cases.filter((c) => !c.inputs).map((c) => inputsOf(c)[0]!);
  const sessions = cases.filter((c) => c.inputs).map(inputsOf);
  const out: DetectInput[] = [];
  let t = 0;
  let seq = 0;
  // Zipf-like authors: a few regulars chat a lot, so per-author windows are exercised.
  const author = () => `u${Math.floor(Math.pow(random(), 2.5) * 20_000)}`;
  while (out.length < n) {
    t += 5 + Math.floor(random() * 50);
    const r = random();
    if (r < 0.82) {
      out.push({
        seq: seq++,
        kind: 'chat',
        author: author(),
        text: FILLER[Math.floor(random() * FILLER.length)]!,
        timeMs: t,
      });
    } else if (r < 0.95) {
      const c = singles[Math.floor(random() * singles.length)]!;
      out.push({ ...c, seq: seq++, timeMs: t, ...(c.kind === 'chat' ? { author: author() } : {}) });
    } else if (r < 0.99) {
      const c = singles[Math.floor(random() * singles.length)]!;
      out.push({ seq: seq++, kind: 'host', author: 'host', text: c.text, timeMs: t });
    } else {
      const who = author();
      for (const input of sessions[Math.floor(random() * sessions.length)]!) {
        t += 200;
        out.push({ ...input, seq: seq++, timeMs: t, ...(input.kind === 'chat' ? { author: who } : {}) });
      }
    }
  }
  return out.slice(0, n);
}

function throughput(n: number): void {
  const cases = loadCorpus('main');
  const messages = stream(n, cases);
  // Warm-up on a separate detector, then the measured run.
  const warm = new SessionDetector();
  for (const m of messages.slice(0, 20_000)) warm.feed(m);
  const detector = new SessionDetector();
  const found: Detection[][] = [];
  const started = performance.now();
  for (const m of messages) found.push(detector.feed(m));
  const ms = performance.now() - started;
  const byCategory = new Map<string, number>();
  for (const d of found.flat()) byCategory.set(d.category, (byCategory.get(d.category) ?? 0) + 1);
  const detections = [...byCategory.values()].reduce((a, b) => a + b, 0);
  const chars = messages.reduce((sum, m) => sum + m.text.length, 0);
  const rate = (messages.length / ms) * 1000;
  console.log(
    `\nThroughput (one core, ${messages.length} messages, ${(chars / messages.length).toFixed(1)} chars avg, mixed stream)`,
  );
  console.log(
    `  ${ms.toFixed(0)} ms, ${Math.round(rate).toLocaleString('en')} messages/s, ${((ms * 1000) / messages.length).toFixed(1)} µs/message, ${detections} detections`,
  );
  console.log(`  by category: ${[...byCategory].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(
    `  goal ≥ ${THROUGHPUT_GOAL.toLocaleString('en')} messages/s: ${rate >= THROUGHPUT_GOAL ? 'ok' : 'SHORT'}`,
  );
}

try {
  const n = Number(process.argv[2] ?? 200_000) || 200_000;
  console.log('LiveProof detection benchmark');
  table('Corpus', loadCorpus('main'));
  table('Holdout', loadCorpus('holdout'));
  throughput(n);
} catch (error) {
  console.log(`benchmark error: ${error instanceof Error ? error.stack : String(error)}`);
}
process.exitCode = 0;
