import { describe, expect, it } from 'vitest';
import { dataUrlBytes, isPng } from '../../../src/core/bytes';
import { ISO_UTC, SESSION_ID, compactUtc, isoTime, newSessionId, randomHex } from '../../../src/core/time';
import { RED } from './package/fixtures';

describe('screenshot bytes', () => {
  it('decodes the data URL captureVisibleTab returns back to the exact PNG bytes', () => {
    const url = `data:image/png;base64,${Buffer.from(RED).toString('base64')}`;
    const { mediatype, bytes } = dataUrlBytes(url);
    expect(mediatype).toBe('image/png');
    expect(bytes).toEqual(RED);
    expect(isPng(bytes)).toBe(true);
  });

  it('refuses what is not a base64 data URL', () => {
    for (const url of ['https://example.com/a.png', 'data:image/png,rawtext', 'data:;base64,AAAA'])
      expect(() => dataUrlBytes(url), url).toThrow(TypeError);
  });

  it('tells a PNG from a JPEG, an empty file and a bare signature', () => {
    expect(isPng(RED)).toBe(true);
    expect(isPng(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46))).toBe(false);
    expect(isPng(new Uint8Array())).toBe(false);
    expect(isPng(RED.slice(0, 8))).toBe(false);
  });
});

describe('times and session ids', () => {
  const when = new Date('2026-11-28T09:40:12.345Z');

  it('writes sealed times as ISO 8601 UTC with milliseconds', () => {
    expect(isoTime(when)).toBe('2026-11-28T09:40:12.345Z');
    expect(isoTime()).toMatch(ISO_UTC);
    expect('2026-11-28T17:40:12+08:00').not.toMatch(ISO_UTC);
  });

  it('names sessions by their UTC start time and eight random hex digits', () => {
    expect(compactUtc(when)).toBe('20261128-094012');
    const id = newSessionId(when);
    expect(id).toMatch(/^20261128-094012-[0-9a-f]{8}$/);
    expect(id).toMatch(SESSION_ID);
    expect(newSessionId(when)).not.toBe(id);
  });

  it('session ids sort by start time', () => {
    const ids = ['2026-11-28T23:59:59.999Z', '2026-11-28T09:40:12.000Z', '2025-12-31T00:00:00.000Z'].map(
      (t) => newSessionId(new Date(t)),
    );
    expect([...ids].sort()).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('randomHex gives two hex digits a byte', () => {
    expect(randomHex(3)).toMatch(/^[0-9a-f]{6}$/);
  });
});
