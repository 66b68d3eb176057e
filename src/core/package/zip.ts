import JSZip from 'jszip';
import type { PackageFile } from './build';

/** Text is deflated; images and PDFs are already compressed and are stored as they are. */
export function zipPackage<T extends 'uint8array' | 'blob'>(
  files: readonly PackageFile[],
  type: T,
  onProgress?: (percent: number) => void,
): Promise<T extends 'blob' ? Blob : Uint8Array> {
  const zip = new JSZip();
  const date = new Date();
  for (const f of files) {
    zip.file(f.path, f.bytes, {
      binary: true,
      date,
      compression: isCompressed(f.mediatype) ? 'STORE' : 'DEFLATE',
      compressionOptions: { level: 6 },
    });
  }
  return zip.generateAsync({ type, platform: 'UNIX' }, (m) => onProgress?.(m.percent)) as never;
}

/** Media that deflate would not shrink: screenshots, photos of receipts, PDFs. */
export const isCompressed = (mediatype: string) =>
  mediatype.startsWith('image/') || mediatype === 'application/pdf';
