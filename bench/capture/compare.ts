/**
 * Compares the chat a package kept with the chat the demo room showed. Messages repeat (a viewer
 * says "已拍" many times), so missing and duplicated messages are counted per content, and where
 * the two sequences first part is found by walking both from each end.
 */

export interface ChatMessage {
  author: string;
  text: string;
  kind: string;
}

export interface Comparison {
  shown: number;
  kept: number;
  /** Shown more often than kept, summed over every distinct message. */
  missing: number;
  /** Kept more often than shown. */
  duplicates: number;
  /** Kept is exactly what was shown, in the same order. */
  exact: boolean;
  /** How many messages from the start agree; the first difference is at this index (0-based). */
  samePrefix: number;
  /** How many messages at the end agree. */
  sameSuffix: number;
}

const key = (m: ChatMessage) => `${m.author}\u241f${m.text}\u241f${m.kind}`;

export function compareChat(shown: readonly ChatMessage[], kept: readonly ChatMessage[]): Comparison {
  const counts = new Map<string, number>();
  for (const m of shown) counts.set(key(m), (counts.get(key(m)) ?? 0) + 1);
  for (const m of kept) counts.set(key(m), (counts.get(key(m)) ?? 0) - 1);
  let missing = 0;
  let duplicates = 0;
  for (const c of counts.values()) {
    if (c > 0) missing += c;
    else duplicates -= c;
  }
  const shorter = Math.min(shown.length, kept.length);
  let samePrefix = 0;
  while (samePrefix < shorter && key(shown[samePrefix]!) === key(kept[samePrefix]!)) samePrefix++;
  let sameSuffix = 0;
  while (
    sameSuffix < shorter - samePrefix &&
    key(shown[shown.length - 1 - sameSuffix]!) === key(kept[kept.length - 1 - sameSuffix]!)
  )
    sameSuffix++;
  return {
    shown: shown.length,
    kept: kept.length,
    missing,
    duplicates,
    exact: shown.length === kept.length && samePrefix === shown.length,
    samePrefix,
    sameSuffix,
  };
}

/**
 * Where the kept chat departs from what was shown, in words: nothing, one stretch of lost messages
 * (the capture fell behind, or stopped, for a while), or scattered losses and duplicates.
 */
export function describeBreak(c: Comparison, rate: number): string {
  if (c.exact) return '';
  if (c.kept === 0) return 'nothing kept';
  const at = (i: number) => `#${i + 1} (${(i / rate).toFixed(1)} s)`;
  const gap = c.shown - c.samePrefix - c.sameSuffix;
  if (c.duplicates === 0 && c.samePrefix + c.sameSuffix === c.kept && gap > 0) {
    if (c.sameSuffix === 0) return `kept stops after ${at(c.samePrefix - 1)}`;
    return `one gap: ${at(c.samePrefix)} to ${at(c.samePrefix + gap - 1)}`;
  }
  return `first difference at ${at(c.samePrefix)}`;
}
