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
export const IsoTime = v.pipe(v.string(), v.regex(ISO_UTC));
export const Sha256 = v.pipe(v.string(), v.regex(SHA256_HEX));
export const SessionId = v.pipe(v.string(), v.regex(SESSION_ID));
export const HttpUrl = v.pipe(str(LIMITS.urlChars), v.regex(/^https?:\/\//));

export const ChatData = v.strictObject({
  author: str(LIMITS.authorChars),
  text: str(LIMITS.textChars),
  /** `host` when the row is recognisably the anchor's own message. */
  kind: v.picklist(['chat', 'host']),
  /** Already on screen when preservation started (said before, time unknown). */
  backlog: v.optional(v.boolean()),
  /** The original was longer than the limit and was cut. */
  truncated: v.optional(v.boolean()),
});
export type ChatData = v.InferOutput<typeof ChatData>;

export const PageData = v.strictObject({
  url: HttpUrl,
  title: str(LIMITS.titleChars),
  platform: str(64),
  adapter: str(64),
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

export const ScreenshotData = v.strictObject({
  sha256: Sha256,
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  mediatype: v.literal('image/png'),
  reason: ScreenshotReason,
  note: v.optional(str(LIMITS.noteChars)),
  url: v.optional(HttpUrl),
});
export type ScreenshotData = v.InferOutput<typeof ScreenshotData>;

export const ScreenshotMissedData = v.strictObject({
  reason: ScreenshotReason,
  /** Why no picture could be taken: the tab was in the background, the window minimised, … */
  cause: str(500),
});

export const NoteData = v.strictObject({ text: str(LIMITS.noteChars) });

export const SessionEndData = v.strictObject({
  cause: v.picklist(['tab-closed', 'navigated', 'stopped-by-user', 'browser-restarted']),
});

export const EVENT_DATA = {
  page: PageData,
  chat: ChatData,
  screenshot: ScreenshotData,
  'screenshot-missed': ScreenshotMissedData,
  note: NoteData,
  'session-end': SessionEndData,
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
export const ContentDraft = v.variant('type', [draftOf('chat')]);
export type ContentDraft = v.InferOutput<typeof ContentDraft>;

export function validateEventData(type: string, data: unknown): boolean {
  const schema = (EVENT_DATA as Record<string, v.GenericSchema>)[type];
  return schema !== undefined && v.safeParse(schema, data).success;
}
