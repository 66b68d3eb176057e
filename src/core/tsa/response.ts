/** RFC 3161 §2.4.2 TimeStampResp: the TSA's status and, when granted, the token's exact bytes. */
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { encodedBytes, parseDer } from './der';

export const PKI_STATUS = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
] as const;

/** A PKIStatus by name; `unparsable` when the bytes are not a TimeStampResp at all. */
export type TsaStatus = (typeof PKI_STATUS)[number] | 'unknown' | 'unparsable';

/** PKIFailureInfo bit numbers (RFC 3161 §2.4.2). */
const FAILURE_BITS: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

export interface TsaResponse {
  status: TsaStatus;
  /** The TimeStampToken (a CMS ContentInfo) byte for byte as the TSA sent it. */
  token?: Uint8Array;
  /** The failure bits the TSA set, by name (`bit<n>` for one RFC 3161 does not name). */
  failInfo?: string[];
  /** The TSA's free text (`statusString`), joined. */
  statusText?: string;
}

/** Whether the TSA granted a token (with or without modifications). */
export function isGranted(r: TsaResponse): r is TsaResponse & { token: Uint8Array } {
  return (r.status === 'granted' || r.status === 'grantedWithMods') && !!r.token;
}

function failureBits(bits: asn1js.BitString): string[] {
  const bytes = new Uint8Array(bits.valueBlock.valueHexView);
  const total = bytes.length * 8 - bits.valueBlock.unusedBits;
  const names: string[] = [];
  for (let i = 0; i < total; i++)
    if (bytes[i >> 3]! & (0x80 >> (i & 7))) names.push(FAILURE_BITS[i] ?? `bit${i}`);
  return names;
}

/** Reads a TimeStampResp; never throws (anything else is `{ status: 'unparsable' }`). */
export function parseResponse(der: Uint8Array): TsaResponse {
  const node = parseDer(der);
  if (!node) return { status: 'unparsable' };
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: node });
  } catch {
    return { status: 'unparsable' };
  }
  const code = resp.status.status as number;
  const out: TsaResponse = { status: PKI_STATUS[code] ?? 'unknown' };
  if (resp.status.failInfo) out.failInfo = failureBits(resp.status.failInfo);
  const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
  if (text) out.statusText = text;
  // The token as sent, not re-encoded: the second member of the response SEQUENCE.
  const members = (node as asn1js.Sequence).valueBlock.value;
  if (resp.timeStampToken && members[1]) out.token = encodedBytes(members[1]);
  return out;
}
