/**
 * The evidence model: what a sealed event is, and the shape of each event type's `data`.
 * Schemas are the single source for validation at the Port, in the verifier and in the JSON Schema
 * published in docs/bundle-format.md.
 */
import * as v from 'valibot';
import { ISO_UTC, SESSION_ID } from './time';
import { SHA256_HEX } from './hash';

export const LIMITS = {
  authorChars: 200,
  textChars: 4000,
  urlChars: 4096,
  titleChars: 1000,
  noteChars: 1000,
  keyChars: 128,
  batchEvents: 500,
} as const;

const str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));
export const IsoTime = v.pipe(v.string(), v.regex(ISO_UTC));
export const Sha256 = v.pipe(v.string(), v.regex(SHA256_HEX));
export const SessionId = v.pipe(v.string(), v.regex(SESSION_ID));
export const HttpUrl = v.pipe(str(LIMITS.urlChars), v.regex(/^https?:\/\//));

export const ChatData = v.strictObject({
  author: str(LIMITS.authorChars),
  text: str(LIMITS.textChars),
  /** `host` when the row is recognisably the anchor's own message. */
  kind: v.picklist(['chat', 'host']),
  /** The platform's own message id, where the row carries one. */
  id: v.optional(str(200)),
  /** Already on screen when preservation started (said before, time unknown). */
  backlog: v.optional(v.boolean()),
  /** The original was longer than the limit and was cut. */
  truncated: v.optional(v.boolean()),
});
export type ChatData = v.InferOutput<typeof ChatData>;

/** What a page shows of its room; every field only when the page shows it, as displayed. */
export const RoomFacts = v.strictObject({
  roomId: v.optional(str(200)),
  anchorName: v.optional(str(LIMITS.authorChars)),
  anchorId: v.optional(str(200)),
  title: v.optional(str(LIMITS.titleChars)),
  viewers: v.optional(str(100)),
  pinned: v.optional(str(LIMITS.textChars)),
});
export type RoomFacts = v.InferOutput<typeof RoomFacts>;

export const PageData = v.strictObject({
  url: HttpUrl,
  title: str(LIMITS.titleChars),
  platform: str(64),
  adapter: str(64),
  /** The room as the page showed it when this page (or frame) joined the session. */
  room: v.optional(RoomFacts),
  /** `frame` for a part of the page that lives in its own frame (YouTube's chat). */
  frame: v.optional(v.literal(true)),
  /** Browser name and version (`Chromium 150.0.7000.1`), where the browser tells. */
  browser: v.optional(str(200)),
  extensionVersion: str(32),
  userAgent: str(1000),
  os: str(64),
  timeZone: str(64),
  language: str(64),
  /** The device clock at sealing, as the page event's time may come from the content script. */
  deviceClock: IsoTime,
});
export type PageData = v.InferOutput<typeof PageData>;

export const ScreenshotReason = v.picklist([
  'start',
  'manual',
  'command',
  'periodic',
  'product',
  'detection',
]);
export type ScreenshotReason = v.InferOutput<typeof ScreenshotReason>;

/** A trigger a screenshot also answered (triggers that came while it waited are coalesced). */
export const CoveredTrigger = v.strictObject({
  reason: ScreenshotReason,
  time: IsoTime,
  note: v.optional(str(LIMITS.noteChars)),
  source: v.optional(Seq),
});

const triggerFields = {
  /** Why the picture was wanted (the first trigger it answers). */
  reason: ScreenshotReason,
  note: v.optional(str(LIMITS.noteChars)),
  /** The `seq` of the event that asked for it: a product change, a detection. */
  source: v.optional(Seq),
  /** The other triggers this one picture answers, in the order they came. */
  alsoCovers: v.optional(v.pipe(v.array(CoveredTrigger), v.maxLength(1000))),
};

export const ScreenshotData = v.strictObject({
  sha256: Sha256,
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  mediatype: v.literal('image/png'),
  ...triggerFields,
  url: v.optional(HttpUrl),
});
export type ScreenshotData = v.InferOutput<typeof ScreenshotData>;

export const ScreenshotMissedData = v.strictObject({
  ...triggerFields,
  /** Why no picture could be taken: the tab was in the background, the window minimised, … */
  cause: str(500),
});

const PRODUCT_FIELD = str(300);
/** The fields of a product card that a `product` event tracks, in display form. */
export const PRODUCT_FIELDS = [
  'title',
  'price',
  'originalPrice',
  'finalPrice',
  'coupon',
  'shipping',
  'stock',
  'countdown',
  'featured',
] as const;

/**
 * A product card appeared, changed or went away. Each event carries the whole card as shown then,
 * so the events of one `id` are its price timeline.
 */
export const ProductData = v.strictObject({
  id: str(300),
  state: v.picklist(['shown', 'changed', 'gone']),
  /** For `changed`: which fields differ from the previous event of this card. */
  changed: v.optional(v.array(v.picklist(PRODUCT_FIELDS))),
  title: PRODUCT_FIELD,
  price: v.optional(PRODUCT_FIELD),
  originalPrice: v.optional(PRODUCT_FIELD),
  finalPrice: v.optional(PRODUCT_FIELD),
  coupon: v.optional(PRODUCT_FIELD),
  shipping: v.optional(PRODUCT_FIELD),
  stock: v.optional(PRODUCT_FIELD),
  countdown: v.optional(PRODUCT_FIELD),
  featured: v.optional(v.boolean()),
});
export type ProductData = v.InferOutput<typeof ProductData>;

/** The room's facts changed (anchor, title, pinned message, live or ended); viewers ride along. */
export const RoomData = v.strictObject({
  ...RoomFacts.entries,
  state: v.picklist(['live', 'ended', 'login', 'unknown']),
});
export type RoomData = v.InferOutput<typeof RoomData>;

export const DETECTION_CATEGORIES = [
  'off-platform',
  'price',
  'price-trap',
  'promise',
  'extreme-claim',
  'health-claim',
  'pressure',
  'sob-story',
] as const;

/** Something said or shown that matters to a complaint, found in the events `source` names. */
export const DetectionData = v.strictObject({
  category: v.picklist(DETECTION_CATEGORIES),
  /** Off-platform: `block` (a contact, a payment outside, a group invite) or `flag` (a hint). */
  tier: v.optional(v.picklist(['block', 'flag'])),
  rule: str(100),
  /** The words as they were said (for a message split over lines: the lines' parts, one a line). */
  text: str(LIMITS.textChars),
  normalized: str(LIMITS.textChars),
  /** The `seq` of the event(s) it was found in. */
  source: v.union([Seq, v.pipe(v.array(Seq), v.minLength(1), v.maxLength(50))]),
  /** Who said it (the chat author), where it was said in the chat. */
  author: v.optional(str(LIMITS.authorChars)),
  /** Said by the host. */
  host: v.optional(v.literal(true)),
  amount: v.optional(v.strictObject({ value: v.number(), currency: str(8), kind: str(32) })),
  /** A promise that is itself an unfair term (一经售出概不退换). */
  unfair: v.optional(v.literal(true)),
});
export type DetectionData = v.InferOutput<typeof DetectionData>;

export const NoteData = v.strictObject({
  text: str(LIMITS.noteChars),
  /** The `seq` of the event the note is about: the screenshot "save this moment" took with it. */
  about: v.optional(Seq),
});

/** Why sealing stopped or started again: the user paused the tab, or the disk was (nearly) full. */
export const PauseCause = v.picklist(['user', 'storage-full']);

/**
 * Sealing of what the page shows stops here (chat, products, room, screenshots), on purpose: the
 * receiver sees the gap was deliberate (or forced by a full disk), not a loss.
 */
export const PauseData = v.strictObject({ cause: PauseCause });

/** Sealing starts again; `since` is when it stopped (for a full disk the `pause` may be missing). */
export const ResumeData = v.strictObject({ cause: PauseCause, since: IsoTime });

export const SessionEndData = v.strictObject({
  cause: v.picklist(['tab-closed', 'navigated', 'stopped-by-user', 'browser-restarted']),
});

/**
 * A trusted time-stamp over an earlier chain head (RFC 3161), sealed once its token checked out.
 * The token's messageImprint is SHA-256 with `hash`'s 32 bytes as the hashed message (the head hash
 * is not hashed again), so the TSA's genTime proves every event up to `seq` existed by then.
 */
export const TimestampData = v.strictObject({
  /** The `seq` of the stamped head, before this event. */
  seq: Seq,
  /** That head's hash: the imprint the token carries. */
  hash: Sha256,
  /** The authority the request went to. */
  tsa: HttpUrl,
  /** The TimeStampToken (CMS ContentInfo), DER, base64; at most 64 KiB. */
  token: v.pipe(
    v.string(),
    v.maxLength(87_384),
    v.regex(/^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/),
  ),
  /** The TSA's time from the token. */
  genTime: IsoTime,
  /** The token's serial number, lowercase hex. */
  serial: v.pipe(v.string(), v.regex(/^[0-9a-f]{1,128}$/)),
});
export type TimestampData = v.InferOutput<typeof TimestampData>;

/** Why a video clip was kept. */
export const VideoReason = v.picklist(['manual', 'command', 'detection']);
export type VideoReason = v.InferOutput<typeof VideoReason>;

/** A clip id: it names the clip's files in the package, so it is kept to safe path characters. */
export const ClipId = v.pipe(v.string(), v.regex(/^[0-9A-Za-z-]{1,64}$/));

/**
 * One kept chunk of tab video (a MediaRecorder timeslice, about a second). A clip is its chunks in
 * order; the chunks of one `segment` concatenated are one playable WebM file
 * (`sessions/<id>/video/<clip>-<segment>.webm`), because the recorder is restarted at each segment.
 */
export const VideoData = v.strictObject({
  clip: ClipId,
  segment: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9999)),
  chunk: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sha256: Sha256,
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  mediatype: v.pipe(v.string(), v.regex(/^video\/webm(;[ -~]{0,100})?$/)),
  /** When the chunk's first and last moments were recorded (device clock). */
  start: IsoTime,
  end: IsoTime,
  reason: VideoReason,
  /** For `detection`: the `seq` of the detection that kept it. */
  source: v.optional(Seq),
});
export type VideoData = v.InferOutput<typeof VideoData>;

export const EVENT_DATA = {
  page: PageData,
  chat: ChatData,
  product: ProductData,
  room: RoomData,
  detection: DetectionData,
  screenshot: ScreenshotData,
  'screenshot-missed': ScreenshotMissedData,
  note: NoteData,
  pause: PauseData,
  resume: ResumeData,
  'session-end': SessionEndData,
  timestamp: TimestampData,
  video: VideoData,
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
export type EventDataOf<T extends EventType> = v.InferOutput<(typeof EVENT_DATA)[T]>;

/** An event before sealing. `key` is the transport's stable identity, used only to deduplicate. */
export type EventDraft = {
  [T in EventType]: { key: string; type: T; time: string; data: EventDataOf<T> };
}[EventType];

/** One line of `sessions/<id>/events.jsonl`; these six fields are the package contract. */
export interface SealedEvent {
  seq: number;
  type: EventType;
  time: string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
}

const draftOf = <T extends EventType>(type: T) =>
  v.strictObject({
    key: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.keyChars)),
    type: v.literal(type),
    time: IsoTime,
    data: EVENT_DATA[type],
  });

/** The drafts a content script may send; everything else is sealed by the background itself. */
export const ContentDraft = v.variant('type', [draftOf('chat'), draftOf('product'), draftOf('room')]);
export type ContentDraft = v.InferOutput<typeof ContentDraft>;

export function validateEventData(type: string, data: unknown): boolean {
  const schema = (EVENT_DATA as Record<string, v.GenericSchema>)[type];
  return schema !== undefined && v.safeParse(schema, data).success;
}
