import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvHead, csvLine, toCsv } from '../../../src/core/csv';

const BOM = '\uFEFF';

/** Reads a CSV back the way a spreadsheet would (RFC 4180), without the BOM. */
function cells(csv: string): string[][] {
  expect(csv.startsWith(BOM)).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(1), {
    delimiter: ',',
    newline: '\r\n',
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const one = (text: string) => cells(toCsv(['text'], [[text]]))[1]![0]!;

describe('toCsv: chat for spreadsheets', () => {
  it('starts with a UTF-8 BOM and ends every line with CRLF, including the last', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['1', '小鹿'],
        ['2', '主播'],
      ],
    );
    expect(csv).toBe(`${BOM}a,b\r\n1,小鹿\r\n2,主播\r\n`);
  });

  it('writes numbers as their digits', () => {
    expect(toCsv(['seq'], [[0], [42]])).toBe(`${BOM}seq\r\n0\r\n42\r\n`);
  });

  it('quotes cells with commas, quotes and line breaks, so they come back unchanged', () => {
    const hard = ['a,b', 'say "hi"', 'line 1\nline 2', 'cr\r\nlf', '，全角逗号', ' spaced '];
    const csv = toCsv(
      ['text'],
      hard.map((t) => [t]),
    );
    expect(csv).toContain('"say ""hi"""');
    expect(
      cells(csv)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(hard);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("http://evil.example","退款")', '\'=HYPERLINK("http://evil.example","退款")'],
    ['+8613800000000', "'+8613800000000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
  ])('neutralises a formula: %j is written as %j', (text, shown) => {
    expect(one(text)).toBe(shown);
  });

  it('treats "-5元" like any cell starting with a minus: prefixed, as docs/bundle-format.md §6 says', () => {
    expect(one('-5元优惠券')).toBe("'-5元优惠券");
  });

  it('leaves ordinary text alone, including text starting with a digit or with = later on', () => {
    for (const text of [
      '5元一件',
      '99',
      '2026-11-28T09:40:01.250Z',
      '价格=99元',
      'a+b',
      "it's",
      '（＝）',
      ' =1',
    ])
      expect(one(text), text).toBe(text);
  });

  it('neutralises formulas in every column, including the header', () => {
    const rows = cells(toCsv(['=cmd', 'ok'], [['x', '@evil']]));
    expect(rows).toEqual([
      ["'=cmd", 'ok'],
      ['x', "'@evil"],
    ]);
  });
});

describe('csvLine: one row at a time, as toCsv writes it', () => {
  it('writes every awkward cell exactly as Papa Parse does through toCsv', () => {
    const awkward = [
      '',
      'plain',
      '小鹿乱撞',
      ' lead',
      'trail ',
      'a,b',
      'say "hi"',
      '"',
      'line\nbreak',
      'cr\rhere',
      '\uFEFFbom',
      'in\uFEFFside',
      '=cmd|evil',
      '+1',
      '-1',
      '@sum',
      '\tTab',
      '\rCR',
      '＝SUM(A1)',
      '＋1',
      '－1',
      '＠x',
      '=" quoted, and\nbroken "',
      '😀',
      "'already",
      '0',
    ];
    const rows = awkward.flatMap((a) => awkward.map((b) => [a, b, `${a}${b}`]));
    const header = ['序号', '=h', 'x y '];
    expect(csvHead(header) + rows.map((r) => csvLine(r)).join('')).toBe(toCsv(header, rows));
    for (const a of awkward) expect(csvCell(a), JSON.stringify(a)).toBe(toCsv(['h'], [[a]]).split('\r\n')[1]);
  });
});
