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
