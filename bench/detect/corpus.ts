/**
 * The labelled detection corpus (test/fixtures/detect/*.jsonl): loading, running a case through a
 * fresh SessionDetector, and scoring. Shared by the corpus test and the benchmark.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Category, Detection, DetectInput } from '../../src/core/detect';
import { SessionDetector } from '../../src/core/detect';

export const CORPUS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test/fixtures/detect',
);

export const CATEGORIES: readonly Category[] = [
  'off-platform',
  'price',
  'price-trap',
  'promise',
  'extreme-claim',
  'health-claim',
  'pressure',
  'sob-story',
];

export interface CaseInput {
  kind?: DetectInput['kind'];
  author?: string;
  text: string;
  t?: number;
  product?: DetectInput['product'];
}

export interface Case {
  id: string;
  file: string;
  text?: string;
  kind?: DetectInput['kind'];
  inputs?: CaseInput[];
  labels: string[];
  must?: Array<Partial<Detection>>;
  count?: Partial<Record<Category, number>>;
  guards?: string;
  note?: string;
}

/** Cases of the corpus files; `holdout` selects the holdout files instead of the main ones. */
export function loadCorpus(which: 'main' | 'holdout' = 'main'): Case[] {
  const files = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.jsonl') && f.startsWith('holdout') === (which === 'holdout'))
    .sort();
  return files.flatMap((file) =>
    readFileSync(path.join(CORPUS_DIR, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ({ ...(JSON.parse(line) as Omit<Case, 'file'>), file })),
  );
}

/** The inputs of a case, as the background would feed them. */
export function inputsOf(c: Case): DetectInput[] {
  const raw: CaseInput[] = c.inputs ?? [{ kind: c.kind ?? 'chat', author: 'viewer', text: c.text ?? '' }];
  return raw.map((x, seq) => ({
    seq,
    kind: x.kind ?? 'chat',
    ...(x.author !== undefined ? { author: x.author } : {}),
    text: x.text,
    timeMs: x.t ?? seq * 1000,
    ...(x.product ? { product: x.product } : {}),
  }));
}

/** Runs a case through a fresh session. */
export function runCase(c: Case): Detection[] {
  const detector = new SessionDetector();
  return inputsOf(c).flatMap((input) => detector.feed(input));
}

/** The label set of a run: categories, off-platform with its highest tier. */
export function labelsOf(ds: readonly Detection[]): Set<string> {
  const labels = new Set<string>();
  for (const d of ds) labels.add(d.category === 'off-platform' ? `off-platform:${d.tier}` : d.category);
  if (labels.has('off-platform:block')) labels.delete('off-platform:flag');
  return labels;
}

/** Partial deep match: every given field equal; objects compared field by field, arrays exactly. */
export function matches(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matches(actual[i], e))
    );
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

/** What is wrong with a run of a case, if anything (empty when it passes). */
export function problems(c: Case, ds: readonly Detection[]): string[] {
  const out: string[] = [];
  const got = [...labelsOf(ds)].sort().join(', ');
  const want = [...c.labels].sort().join(', ');
  if (got !== want) out.push(`labels: want [${want}], got [${got}]`);
  for (const m of c.must ?? [])
    if (!ds.some((d) => matches(d, m))) out.push(`missing detection ${JSON.stringify(m)}`);
  for (const [category, n] of Object.entries(c.count ?? {})) {
    const k = ds.filter((d) => d.category === category).length;
    if (k !== n) out.push(`count of ${category}: want ${n}, got ${k}`);
  }
  return out;
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const score = (tp: number, fp: number, fn: number): Score => ({
  tp,
  fp,
  fn,
  precision: tp + fp === 0 ? 1 : tp / (tp + fp),
  recall: tp + fn === 0 ? 1 : tp / (tp + fn),
});

/**
 * Per-category precision and recall over cases, on presence of the category in a case; plus
 * 'off-platform:block', which counts the block tier alone.
 */
export function evaluate(cases: readonly Case[]): Map<string, Score> {
  const keys = [...CATEGORIES, 'off-platform:block'] as const;
  const counts = new Map<string, [number, number, number]>(keys.map((k) => [k, [0, 0, 0]]));
  for (const c of cases) {
    const got = labelsOf(runCase(c));
    const want = new Set(c.labels);
    for (const k of keys) {
      const has = (set: Set<string>) =>
        k === 'off-platform' ? set.has('off-platform:block') || set.has('off-platform:flag') : set.has(k);
      const [g, w] = [has(got), has(want)];
      const t = counts.get(k)!;
      if (g && w) t[0]++;
      else if (g) t[1]++;
      else if (w) t[2]++;
    }
  }
  return new Map([...counts].map(([k, [tp, fp, fn]]) => [k, score(tp, fp, fn)]));
}
