/**
 * A case: what a consumer puts together from preserved sessions to complain. It lives outside the
 * sealed chains (the originals are never edited); only its receipts' bytes, the fields the user typed
 * and the marks travel in the package, each file hashed like every other.
 */
import * as v from 'valibot';
import { IsoTime, SessionId, Sha256 } from '../evidence';

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** The fields 12315 and consumer associations ask for (docs: shared research §3.2–3.3). */
export const CASE_FIELD_NAMES = [
  'complainantName',
  'complainantPhone',
  'complainantAddress',
  'merchantName',
  'creditCode',
  'merchantAddress',
  'platform',
  'anchorAccount',
  'roomId',
  'product',
  'orderNumber',
  'purchaseTime',
  'amount',
  'problemType',
  'whatHappened',
  'negotiation',
  'demand',
] as const;
export type CaseFieldName = (typeof CASE_FIELD_NAMES)[number];
export type CaseFields = Record<CaseFieldName, string>;

/** Long enough for what a form takes; `whatHappened` and `negotiation` are free text. */
export const FIELD_MAX: Record<CaseFieldName, number> = {
  complainantName: 100,
  complainantPhone: 40,
  complainantAddress: 300,
  merchantName: 200,
  creditCode: 18,
  merchantAddress: 300,
  platform: 100,
  anchorAccount: 200,
  roomId: 200,
  product: 300,
  orderNumber: 100,
  purchaseTime: 100,
  amount: 50,
  problemType: 100,
  whatHappened: 2000,
  negotiation: 2000,
  demand: 1000,
};

export const CaseFieldsSchema = v.strictObject(
  Object.fromEntries(CASE_FIELD_NAMES.map((n) => [n, text(FIELD_MAX[n])])) as Record<
    CaseFieldName,
    v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.MaxLengthAction<string, number, undefined>]>
  >,
);

export const emptyFields = (): CaseFields =>
  Object.fromEntries(CASE_FIELD_NAMES.map((n) => [n, ''])) as CaseFields;

/** 统一社会信用代码: 18 characters of digits and capitals without I, O, S, V, Z. */
export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** A moment in a preserved session: the event a receipt relied on, or a mark. */
export const Moment = v.strictObject({
  session: SessionId,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type Moment = v.InferOutput<typeof Moment>;

/** A receipt as the manifest lists it (`liveproof.case.receipts`). */
export const ReceiptEntry = v.strictObject({
  path: text(512),
  sha256: Sha256,
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  mediatype: text(100),
  /** The name the file had on the user's disk (shown, never used as a path). */
  name: text(300),
  /** What it shows, in the user's words (`order page`, `payment`). */
  label: text(300),
  attachedAt: IsoTime,
  /** The moment of the stream it relied on: the promise or price seen before paying. */
  moment: v.optional(Moment),
});
export type ReceiptEntry = v.InferOutput<typeof ReceiptEntry>;

/** A user's mark on a sealed event: a note, or "this is a key moment". Never part of a chain. */
export const Mark = v.strictObject({
  session: SessionId,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  key: v.boolean(),
  note: text(1000),
  time: IsoTime,
});
export type Mark = v.InferOutput<typeof Mark>;

/** Part of a session chosen for a case: all of it, or events observed from `from` to `to`. */
export const SessionRange = v.strictObject({
  session: SessionId,
  from: v.optional(IsoTime),
  to: v.optional(IsoTime),
});
export type SessionRange = v.InferOutput<typeof SessionRange>;

export type Redaction = 'none' | 'contacts' | 'names';

/** What the manifest says about the case (`liveproof.case`). */
export const CaseManifest = v.strictObject({
  id: text(64),
  title: text(300),
  redaction: v.picklist(['none', 'contacts', 'names']),
  ranges: v.pipe(v.array(SessionRange), v.maxLength(1000)),
  receipts: v.pipe(v.array(ReceiptEntry), v.maxLength(1000)),
  /** `case/case.json`: the fields, marks and notes as the user left them. */
  file: v.literal('case/case.json'),
});
export type CaseManifest = v.InferOutput<typeof CaseManifest>;

/** A receipt with its bytes, ready to go into a package. */
export interface ReceiptInput {
  id: string;
  name: string;
  label: string;
  mediatype: string;
  ext: string;
  sha256: string;
  attachedAt: string;
  moment?: Moment;
  /** As attached; a `Blob` (as IndexedDB keeps it) is read by the builder, which names it if it cannot be. */
  bytes: Uint8Array | Blob;
}

/** The case as the package builder takes it. */
export interface CaseInput {
  id: string;
  title: string;
  fields: CaseFields;
  ranges: SessionRange[];
  marks: Mark[];
  receipts: ReceiptInput[];
  redaction: Redaction;
}

/** Whether an event observed at `time` falls in a range (open ends take everything). */
export function inRange(range: SessionRange | undefined, time: string): boolean {
  if (!range) return true;
  return (!range.from || time >= range.from) && (!range.to || time <= range.to);
}
