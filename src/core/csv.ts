import Papa from 'papaparse';

/**
 * Cells a spreadsheet would run as a formula: `=`, `+`, `-`, `@`, tab, CR, and their full-width
 * forms (Excel in Chinese locales treats ＝ like =). Papa Parse prefixes such cells with `'`.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const BOM = '\uFEFF';

/** UTF-8 CSV with BOM (so Excel opens Chinese correctly), CRLF line ends, formula injection neutralised. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return (
    BOM +
    Papa.unparse(
      { fields: [...header], data: rows.map((r) => r.map(String)) },
      { escapeFormulae: FORMULA_START, newline: '\r\n', quotes: false },
    ) +
    '\r\n'
  );
}

const QUOTE_NEEDED = /[\r\n",\uFEFF]/;

/**
 * One cell as `toCsv` writes it (Papa Parse's rules with this module's options, tested against it):
 * a formula start gets `'` and quotes; quotes are doubled; a cell with a quote, comma, line break or
 * BOM, or starting or ending with a space, is quoted.
 */
export function csvCell(value: string): string {
  let text = value;
  let quote = false;
  if (FORMULA_START.test(text)) {
    text = "'" + text;
    quote = true;
  }
  if (text.includes('"')) {
    text = text.replace(/"/g, '""');
    quote = true;
  }
  if (!quote) quote = QUOTE_NEEDED.test(text) || text.startsWith(' ') || text.endsWith(' ');
  return quote ? `"${text}"` : text;
}

/** One row as `toCsv` writes it, with its CRLF. */
export function csvLine(cells: readonly string[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i ? ',' : '') + csvCell(cells[i]!);
  return out + '\r\n';
}

/** The start of a file `toCsv` writes: the BOM and the header row. */
export const csvHead = (header: readonly string[]) => BOM + csvLine(header);
