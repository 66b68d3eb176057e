import { describe, expect, it } from 'vitest';
import type { Case } from '../../../../bench/detect/corpus';
import { loadCorpus, problems, runCase } from '../../../../bench/detect/corpus';
import { RULES } from '../../../../src/core/detect';

const corpus = loadCorpus('main');
const holdout = loadCorpus('holdout');
const named = (cases: Case[]) =>
  cases.map((c) => [`${c.file} ${c.id}: ${c.text ?? c.note ?? ''}`, c] as const);

describe('detection corpus', () => {
  it('is large enough and has its tricky negatives', () => {
    const ids = [...corpus, ...holdout].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(corpus.length).toBeGreaterThanOrEqual(250);
    expect(corpus.filter((c) => c.guards).length).toBeGreaterThanOrEqual(70);
  });

  it('uses only listed rule ids, each under its category, and exercises every one', () => {
    const seen = new Set<string>();
    for (const c of corpus)
      for (const d of runCase(c)) {
        expect(RULES as readonly string[]).toContain(d.rule);
        expect(d.rule.startsWith(`${d.category}/`)).toBe(true);
        seen.add(d.rule);
      }
    expect([...RULES].filter((r) => !seen.has(r))).toEqual([]);
  });

  it.each(named(corpus))('%s', (_, c) => {
    expect(problems(c, runCase(c))).toEqual([]);
  });
});

// The holdout sets were written blind; their first-run scores are in test/fixtures/detect/README.md.
// Asserted here so that fixes made since do not regress.
describe('detection holdout sets', () => {
  it.each(named(holdout))('%s', (_, c) => {
    expect(problems(c, runCase(c))).toEqual([]);
  });
});
