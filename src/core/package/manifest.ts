/**
 * `datapackage.json` and `datapackage-digest.json`: Frictionless Data Package style, WACZ-compatible
 * in shape (`resources[].hash = "sha256:<hex>"`, digest file naming the manifest's hash).
 */
import * as v from 'valibot';
import { EVENT_DATA, EVENT_TYPES, HttpUrl, IsoTime, LIMITS, SessionId, type EventType } from '../evidence';
import { SHA256_HEX } from '../hash';
import { ISO_UTC } from '../time';
import { DATAPACKAGE, PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION } from './layout';
import { CHAIN_FORMAT } from '../chain';
import { SIGNATURE_ALGORITHM } from '../sign';
import { CaseManifest } from '../case/model';

const str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const PrefixedSha256 = v.pipe(v.string(), v.regex(/^sha256:[0-9a-f]{64}$/));
const Hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const Resource = v.strictObject({
  path: v.pipe(str(512), v.regex(/^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]+$/)),
  hash: PrefixedSha256,
  bytes: Count,
  mediatype: str(100),
});
export type Resource = v.InferOutput<typeof Resource>;

export const SessionSummary = v.strictObject({
  id: SessionId,
  url: HttpUrl,
  title: str(1000),
  platform: str(64),
  adapter: str(64),
  startedAt: IsoTime,
  endedAt: v.nullable(IsoTime),
  eventCount: Count,
  chatCount: Count,
  screenshotCount: Count,
  /** Hash of the first link (`prev` of seq 0) and of the last sealed event exported. */
  genesis: Hex64,
  chainHead: Hex64,
  events: str(512),
});
export type SessionSummary = v.InferOutput<typeof SessionSummary>;

export const Environment = v.strictObject({
  userAgent: str(1000),
  os: str(64),
  timeZone: str(64),
  language: str(64),
});

export const DataPackage = v.strictObject({
  profile: v.literal('data-package'),
  name: v.pipe(str(100), v.regex(/^liveproof-\d{8}-\d{6}-[0-9a-f]{6}$/)),
  title: str(200),
  created: IsoTime,
  resources: v.pipe(v.array(Resource), v.maxLength(100_000)),
  liveproof: v.strictObject({
    format: v.literal(PACKAGE_FORMAT),
    formatVersion: v.literal(PACKAGE_FORMAT_VERSION),
    chainFormat: v.literal(CHAIN_FORMAT),
    tool: v.strictObject({ name: v.literal('LiveProof'), version: str(32) }),
    created: IsoTime,
    environment: Environment,
    sessions: v.pipe(v.array(SessionSummary), v.minLength(1), v.maxLength(1000)),
    /** The case the package was exported for, with its receipts (§2a); absent for a plain export. */
    case: v.optional(CaseManifest),
  }),
});
export type DataPackage = v.InferOutput<typeof DataPackage>;

const Base64 = (max: number) => v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9+/]*={0,2}$/));

/** The installation's signature over the manifest's hash (docs/bundle-format.md §3). */
export const Signature = v.strictObject({
  algorithm: v.literal(SIGNATURE_ALGORITHM),
  /** SubjectPublicKeyInfo DER of the P-256 public key, base64. */
  publicKey: Base64(400),
  /** ECDSA over the signed statement, r || s (64 bytes), base64. */
  value: Base64(200),
});
export type Signature = v.InferOutput<typeof Signature>;

export const Digest = v.strictObject({
  path: v.literal(DATAPACKAGE),
  hash: PrefixedSha256,
  created: IsoTime,
  /** Required by format 2; optional here so that its absence is reported as such, not as a bad shape. */
  signature: v.optional(Signature),
});
export type Digest = v.InferOutput<typeof Digest>;

const line = <T extends EventType>(type: T) =>
  v.strictObject({
    seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
    type: v.literal(type),
    time: IsoTime,
    data: EVENT_DATA[type],
    prev: Hex64,
    hash: Hex64,
  });

type EventLineSchema = ReturnType<typeof line<EventType>>;

/**
 * One line of `sessions/<id>/events.jsonl`: exactly these six fields, `data` as its type says.
 * Made from the evidence model's list of types, so a new event type is checked the day it is added.
 */
export const EventLine = v.variant(
  'type',
  EVENT_TYPES.map((type) => line(type)) as [EventLineSchema, ...EventLineSchema[]],
);

/**
 * The same schemas keyed by type, for the verifier's hot loop: `EventLine` tries each option's
 * discriminator in turn (a tenth of the time per event with a dozen types), a lookup does not.
 */
export const EVENT_LINES: ReadonlyMap<string, EventLineSchema> = new Map(
  EVENT_TYPES.map((type) => [type, line(type)] as const),
);

const ABORT_EARLY = { abortEarly: true } as const;

/**
 * Whether one parsed line of events.jsonl is a valid event line (`EventLine`): yes or no, no issue
 * list. Chat lines — nearly every line of a busy stream — are checked first by the plain test below,
 * which accepts only what the schema accepts (test/unit/core/package/event-line.test.ts holds the two
 * together on valid and broken lines); anything it does not accept is judged by the schema itself.
 * Building valibot's output object was a fifth of the verifier's time per chat event.
 */
export function isEventLine(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isPlainChatLine(value as Record<string, unknown>)) return true;
  const schema = EVENT_LINES.get((value as { type?: unknown }).type as string);
  return schema !== undefined && v.safeParse(schema, value, ABORT_EARLY).success;
}

const LINE_KEYS = 6;

function isPlainChatLine(e: Record<string, unknown>): boolean {
  if (e.type !== 'chat') return false;
  let keys = 0;
  for (const k in e) {
    if (k !== 'seq' && k !== 'type' && k !== 'time' && k !== 'data' && k !== 'prev' && k !== 'hash')
      return false;
    keys++;
  }
  const { seq, time, data, prev, hash } = e;
  if (keys !== LINE_KEYS || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) return false;
  if (typeof time !== 'string' || !ISO_UTC.test(time)) return false;
  if (
    typeof prev !== 'string' ||
    !SHA256_HEX.test(prev) ||
    typeof hash !== 'string' ||
    !SHA256_HEX.test(hash)
  )
    return false;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  for (const k in d)
    if (k !== 'author' && k !== 'text' && k !== 'kind' && k !== 'id' && k !== 'backlog' && k !== 'truncated')
      return false;
  const { author, text, kind, id, backlog, truncated } = d;
  return (
    typeof author === 'string' &&
    author.length <= LIMITS.authorChars &&
    typeof text === 'string' &&
    text.length <= LIMITS.textChars &&
    (kind === 'chat' || kind === 'host') &&
    (id === undefined || (typeof id === 'string' && id.length <= 200)) &&
    (backlog === undefined || typeof backlog === 'boolean') &&
    (truncated === undefined || typeof truncated === 'boolean')
  );
}
