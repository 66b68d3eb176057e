/** Plain-text tables for the terminal and for pasting into Markdown. */

export type Cell = string | number;

/** A cell that reads as a figure (`12`, `99.5 %`, `1.03×`, `–`) is right-aligned. */
const NUMBER = /^([-+]?\d[\d.,]*\s?[%×]?|–)$/;

/** Columns padded to their widest cell; numbers right-aligned. With `markdown`, a pipe table. */
export function formatTable(
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  markdown = false,
): string {
  const text = (c: Cell) => String(c);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => text(r[i] ?? '').length)));
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => NUMBER.test(text(r[i] ?? ''))));
  const pad = (c: Cell, i: number) =>
    numeric[i] ? text(c).padStart(widths[i]!) : text(c).padEnd(widths[i]!);
  if (markdown) {
    const line = (cells: readonly Cell[]) => `| ${cells.map((c, i) => pad(c, i)).join(' | ')} |`;
    const rule = `|${widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`;
    return [line(head), rule, ...rows.map(line)].join('\n');
  }
  const line = (cells: readonly Cell[]) =>
    cells
      .map((c, i) => pad(c, i))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export const fixed = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');
