/**
 * Runs in an extension page (bundled by test/e2e/export-chunks.test.ts): writes text files with
 * `TextFile` as the package builder does, each next file written while the one before is still being
 * finished, so that in Chromium they fill the same reused chunks. Returns each file as packed.
 */
import { TextFile } from '../../../src/core/package/text-file';

export interface Written {
  size: number;
  sha256: string;
  crc: number;
  method: number;
  /** The data as the ZIP holds it (deflated or stored), in base64. */
  data: string;
}

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let at = 0; at < bytes.length; at += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(bin);
}

/** Each file is its pieces, written one after the other with a `drain` every `drainEvery` pieces. */
async function writeFiles(files: readonly (readonly string[])[], drainEvery: number): Promise<Written[]> {
  const finishing: Promise<Written>[] = [];
  for (const [i, pieces] of files.entries()) {
    const file = new TextFile(`file-${i}.txt`, 'text/plain');
    for (const [n, piece] of pieces.entries()) {
      file.write(piece);
      if (n % drainEvery === drainEvery - 1) await file.drain();
    }
    // Not waited for: the next file is written meanwhile (as `later` does in build.ts).
    finishing.push(
      file.finish().then((f) => ({
        size: f.size,
        sha256: f.sha256,
        crc: f.crc,
        method: f.method,
        data: base64(f.data),
      })),
    );
  }
  return Promise.all(finishing);
}

(globalThis as unknown as { __writeFiles: unknown }).__writeFiles = writeFiles;
