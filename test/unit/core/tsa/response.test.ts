import { describe, expect, it } from 'vitest';
import { isGranted, parseResponse } from '../../../../src/core/tsa';
import { issueToken, responseDer } from '../../../support/tsa-server';

const HEAD = 'c0ffee00'.repeat(8);

describe('parseResponse: the TSA’s answer', () => {
  it('a granted response yields the token byte for byte', async () => {
    const token = await issueToken({ imprintHex: HEAD });
    const r = parseResponse(responseDer(token));
    expect(r.status).toBe('granted');
    expect(isGranted(r)).toBe(true);
    expect(Buffer.from(r.token!).equals(Buffer.from(token))).toBe(true);
    expect(r.failInfo).toBeUndefined();
  });

  it('a rejection names its failure bits and the TSA’s text, and carries no token', () => {
    const r = parseResponse(responseDer(null, { failBit: 14, text: 'time source not available' }));
    expect(r).toEqual({
      status: 'rejection',
      failInfo: ['timeNotAvailable'],
      statusText: 'time source not available',
    });
    expect(isGranted(r)).toBe(false);
    expect(parseResponse(responseDer(null, { failBit: 0, text: 'x' })).failInfo).toEqual(['badAlg']);
  });

  it('anything that is not one whole TimeStampResp is unparsable, never an exception', async () => {
    const good = responseDer(await issueToken({ imprintHex: HEAD }));
    const withTrailer = new Uint8Array([...good, 0x00]);
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode('<html>captive portal</html>'),
      good.subarray(0, good.length - 10),
      withTrailer,
      new Uint8Array([0x30, 0x03, 0x02, 0x01]),
      new Uint8Array([0x30, 0x03, 0x04, 0x01, 0x00]),
    ])
      expect(parseResponse(bytes).status).toBe('unparsable');
  });
});
