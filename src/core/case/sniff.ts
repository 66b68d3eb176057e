/**
 * Receipts are judged by their first bytes, never by their name: a file called `order.png` that is
 * really a ZIP is refused, and one that starts like a PNG but stops half-way is called damaged.
 */

/** The largest receipt a case takes (the limit; 12315 uploads are smaller still). */
export const RECEIPT_MAX_BYTES = 20 * 1024 * 1024;

export type ReceiptKind = 'png' | 'jpeg' | 'pdf' | 'webp' | 'gif' | 'heic';

export const RECEIPT_TYPES: Record<ReceiptKind, { mediatype: string; ext: string }> = {
  png: { mediatype: 'image/png', ext: 'png' },
  jpeg: { mediatype: 'image/jpeg', ext: 'jpg' },
  pdf: { mediatype: 'application/pdf', ext: 'pdf' },
  webp: { mediatype: 'image/webp', ext: 'webp' },
  gif: { mediatype: 'image/gif', ext: 'gif' },
  heic: { mediatype: 'image/heic', ext: 'heic' },
};

export type SniffResult =
  | { ok: true; kind: ReceiptKind; mediatype: string; ext: string }
  | { ok: false; code: 'empty' | 'too-large' | 'unknown-type' }
  | { ok: false; code: 'damaged'; kind: ReceiptKind };

const ascii = (bytes: Uint8Array, at: number, text: string) => {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const startsWith = (bytes: Uint8Array, sig: readonly number[]) =>
  bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);

/** Whether `text` occurs in the last `window` bytes. */
function inTail(bytes: Uint8Array, text: string, window: number): boolean {
  for (let at = bytes.length - text.length; at >= Math.max(0, bytes.length - window); at--)
    if (ascii(bytes, at, text)) return true;
  return false;
}

const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u32le = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** The type of the file and whether its structure is whole (as far as its ends can tell). */
export function sniffReceipt(bytes: Uint8Array, maxBytes = RECEIPT_MAX_BYTES): SniffResult {
  if (bytes.length === 0) return { ok: false, code: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, code: 'too-large' };
  const kind = kindOf(bytes);
  if (!kind) return { ok: false, code: 'unknown-type' };
  if (!whole(kind, bytes)) return { ok: false, code: 'damaged', kind };
  return { ok: true, kind, ...RECEIPT_TYPES[kind] };
}

function kindOf(b: Uint8Array): ReceiptKind | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(b, 0, '%PDF-')) return 'pdf';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif';
  if (
    ascii(b, 4, 'ftyp') &&
    ['heic', 'heix', 'mif1', 'msf1', 'heim', 'heis'].some((brand) => ascii(b, 8, brand))
  )
    return 'heic';
  return null;
}

function whole(kind: ReceiptKind, b: Uint8Array): boolean {
  switch (kind) {
    case 'png':
      // The header chunk right after the signature, and the end chunk (with its CRC) at the end.
      return b.length >= 57 && u32be(b, 8) === 13 && ascii(b, 12, 'IHDR') && ascii(b, b.length - 8, 'IEND');
    case 'jpeg':
      // End-of-image marker; cameras and editors sometimes append a little after it.
      for (let at = b.length - 2; at >= Math.max(3, b.length - 4096); at--)
        if (b[at] === 0xff && b[at + 1] === 0xd9) return true;
      return false;
    case 'pdf':
      return inTail(b, '%%EOF', 2048);
    case 'webp':
      return b.length >= 20 && u32le(b, 4) + 8 <= b.length && u32le(b, 4) >= 12;
    case 'gif':
      // The trailer byte closes the data stream.
      for (let at = b.length - 1; at >= Math.max(13, b.length - 64); at--) if (b[at] === 0x3b) return true;
      return false;
    case 'heic':
      return b.length >= 16 && u32be(b, 0) >= 16 && u32be(b, 0) <= b.length;
  }
}
