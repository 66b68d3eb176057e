/** A real PNG of one colour (a receipt, a screenshot), made without a browser: signature, IHDR, IDAT, IEND. */
import { crc32, deflateSync } from 'node:zlib';

export function solidPng(
  width: number,
  height: number,
  rgb: readonly [number, number, number] = [0xd0, 0xd0, 0xd0],
): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  const pixels = Buffer.alloc(width * 3);
  for (let x = 0; x < width; x++) pixels.set(rgb, x * 3);
  const row = Buffer.concat([Buffer.from([0]), pixels]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
