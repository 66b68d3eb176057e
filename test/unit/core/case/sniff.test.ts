/** Receipts are typed by their first bytes; empty, oversized, unknown and cut-off files are refused by name. */
import { describe, expect, it } from 'vitest';
import { RECEIPT_MAX_BYTES, sniffReceipt } from '../../../../src/core/case/sniff';
import { PDF, ORDER_PNG } from '../package/fixtures';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >> 24) & 255];

const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0', new Array(40).fill(7), [0xff, 0xd9]);
const GIF = bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0], new Array(20).fill(1), [0x3b]);
const webpBody = bytes('WEBP', 'VP8L', le32(8), new Array(8).fill(3));
const WEBP = bytes('RIFF', le32(webpBody.length), [...webpBody]);
const HEIC = bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic', new Array(40).fill(0));

describe('sniffReceipt: the type comes from the content', () => {
  it.each([
    ['PNG', ORDER_PNG, 'image/png', 'png'],
    ['JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['PDF', PDF, 'application/pdf', 'pdf'],
    ['WebP', WEBP, 'image/webp', 'webp'],
    ['GIF', GIF, 'image/gif', 'gif'],
    ['HEIC', HEIC, 'image/heic', 'heic'],
  ] as const)('recognises a whole %s', (_, file, mediatype, ext) => {
    expect(sniffReceipt(file)).toMatchObject({ ok: true, mediatype, ext });
  });

  it('a JPEG with a few bytes after its end marker is still whole (editors append some)', () => {
    expect(sniffReceipt(bytes([...JPEG], [0, 0, 0, 0]))).toMatchObject({ ok: true, kind: 'jpeg' });
  });

  it.each([
    ['a ZIP', bytes('PK\u0003\u0004', new Array(30).fill(0))],
    ['a Windows program', bytes('MZ', new Array(60).fill(0))],
    ['plain text', bytes('order 123')],
    ['HTML that says it is an image', bytes('<img src=x onerror=alert(1)>')],
    [
      'an SVG (could carry script)',
      bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
  ])('refuses %s as an unknown type, whatever its name', (_, file) => {
    expect(sniffReceipt(file)).toEqual({ ok: false, code: 'unknown-type' });
  });

  it('refuses an empty file', () => {
    expect(sniffReceipt(new Uint8Array())).toEqual({ ok: false, code: 'empty' });
  });

  it('refuses a file above 20 MB, and takes one of exactly 20 MB', () => {
    const big = new Uint8Array(RECEIPT_MAX_BYTES + 1);
    big.set(PDF.subarray(0, 8));
    expect(sniffReceipt(big)).toEqual({ ok: false, code: 'too-large' });
    const limit = new Uint8Array(RECEIPT_MAX_BYTES);
    limit.set(PDF.subarray(0, 8));
    limit.set(PDF.subarray(PDF.length - 7), limit.length - 7);
    expect(sniffReceipt(limit)).toMatchObject({ ok: true, kind: 'pdf' });
  });

  it.each([
    ['PNG', 'png', ORDER_PNG.subarray(0, ORDER_PNG.length - 12)],
    ['PNG (signature only)', 'png', ORDER_PNG.subarray(0, 8)],
    ['JPEG', 'jpeg', JPEG.subarray(0, JPEG.length - 2)],
    ['PDF', 'pdf', PDF.subarray(0, PDF.length - 8)],
    ['WebP', 'webp', WEBP.subarray(0, WEBP.length - 4)],
    ['GIF', 'gif', GIF.subarray(0, GIF.length - 1)],
  ] as const)('calls a cut-off %s damaged, naming its type', (_, kind, file) => {
    expect(sniffReceipt(file)).toEqual({ ok: false, code: 'damaged', kind });
  });
});
