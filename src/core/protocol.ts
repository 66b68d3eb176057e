/**
 * The protocol: every message between the parts of LiveProof, its request schema, its reply type and
 * who may send it. The receiving side checks the sender first, then validates the payload with these
 * schemas, before anything else happens.
 *
 * Two channels:
 *  - `runtime.sendMessage` from extension pages (popup, locker) to the background: `MESSAGES`.
 *  - a `runtime.connect` Port named `CAPTURE_PORT` from content scripts: `PortIn` / `PortOut`.
 */
import * as v from 'valibot';
import { ContentDraft, HttpUrl, LIMITS, RoomFacts, SessionId, type ChatData } from './evidence';
import { nowIso } from './time';

export const PROTOCOL_VERSION = 1;

export type SenderKind = 'extension-page' | 'content';

const TabId = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * Whether the content script has the page's chat: `found` by the adapter (or by its growth),
 * `picked`: the area the user pointed at (now or on an earlier visit), `searching`: not yet.
 */
export type ChatListState = 'found' | 'searching' | 'picked';
export const CHAT_LIST_STATES = ['found', 'searching', 'picked'] as const satisfies readonly ChatListState[];

/** Why a tab is not being preserved (the popup says it in words). */
export type NotPreservingReason =
  /** A site LiveProof has no adapter for: the user may start it by hand. */
  | 'unknown-site'
  /** A known platform the user turned off in the options. */
  | 'platform-off'
  /** A known platform's page that is not a live room (a home page, a replay). */
  | 'not-live'
  /** The user stopped preservation in this tab. */
  | 'stopped'
  /** A browser page, an extension page, the web store, a file: extensions may not read it. */
  | 'restricted';

/** Sealing stopped because the disk is (nearly) full; see background/storage-guard. */
export interface StorageStatus {
  full: null | { since: string; reason: 'write-failed' | 'low-space' };
  /** Free bytes at the last look; null when the browser does not say. */
  freeBytes: number | null;
  floorBytes: number;
}

/** What the popup shows for a tab. */
export interface TabStatus {
  tabId: number;
  url: string | null;
  /**
   * `preserving`; `paused` by the user; `storage-full`: sealing stopped for lack of space;
   * `available`: http(s) page not yet preserved; `unsupported`: browser or extension page.
   */
  state: 'preserving' | 'paused' | 'storage-full' | 'available' | 'unsupported';
  /** For `available` and `unsupported`: why not. */
  reason?: NotPreservingReason;
  storage: StorageStatus;
  session: null | {
    id: string;
    platform: string;
    adapter: string;
    startedAt: string;
    events: number;
    chat: number;
    screenshots: number;
    products: number;
    warnings: number;
    /** The latest warnings, newest first. */
    latestWarnings: PageWarning[];
    /** The content script is connected right now. */
    connected: boolean;
    /** Where the connected content script stands with the chat; null before it says. */
    chatList: ChatListState | null;
    /** A chat area the user pointed at is remembered for this site. */
    chatPickSaved: boolean;
    /** The anchor's name as the page shows it. */
    anchor?: string;
    /** Sealing is paused, since when and why. */
    paused: null | { cause: 'user' | 'storage-full'; since: string };
  };
}

/** The video guard of a tab, as the popup shows it (see background/video.ts). */
export interface VideoGuardStatus {
  on: boolean;
  since: string | null;
  buffered: number;
  bufferSeconds: number;
  stoppedBecause: string | null;
}

export const MESSAGES = {
  'tab.status': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as TabStatus,
  },
  'session.start': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { started: boolean },
  },
  'session.stop': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { stopped: boolean },
  },
  'screenshot.take': {
    from: ['extension-page'],
    request: v.strictObject({
      tabId: TabId,
      note: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.noteChars))),
    }),
    reply: {} as { seq: number },
  },
  /** Asks the tab's page to let the user point at the chat area. */
  'chat.pick': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { asked: boolean },
  },
  /** Forgets the chat area remembered for the tab's site; the page looks for the chat by itself again. */
  'chat.forget': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { forgotten: boolean },
  },
  /** Pauses preservation of the tab (sealed as `pause`): nothing the page shows is kept until resumed. */
  'session.pause': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { paused: boolean },
  },
  /** Resumes a paused tab (sealed as `resume`). */
  'session.resume': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { resumed: boolean },
  },
  /**
   * "Save this moment": a screenshot, and the user's one-line note sealed as a `note` event about it.
   * When no picture can be taken the note is still kept and the reply says why there is no picture.
   */
  'moment.save': {
    from: ['extension-page'],
    request: v.strictObject({
      tabId: TabId,
      note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(LIMITS.noteChars))),
    }),
    reply: {} as { seq: number | null; noteSeq: number | null; error?: ErrorCode },
  },
  /** Looks for free space again after the disk was full; resumes sealing when there is room. */
  'storage.retry': {
    from: ['extension-page'],
    request: v.strictObject({}),
    reply: {} as StorageStatus,
  },
  /** This installation's signing key, as the popup shows it. */
  'key.info': {
    from: ['extension-page'],
    request: v.strictObject({}),
    reply: {} as { fingerprint: string; formatted: string; createdAt: string },
  },
  /** Stamp the heads of these sessions now (before an export), waiting at most a few seconds. */
  'sessions.stamp': {
    from: ['extension-page'],
    request: v.strictObject({ sessionIds: v.pipe(v.array(SessionId), v.maxLength(1000)) }),
    reply: {} as { done: boolean },
  },
  /** The tab's video guard. */
  'video.status': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as VideoGuardStatus,
  },
  /** Switches the guard on (in the turn of the user's gesture) or off. */
  'video.guard': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId, on: v.boolean() }),
    reply: {} as VideoGuardStatus,
  },
  /** Keeps the last two minutes of the buffer as a sealed clip. */
  'video.save': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId }),
    reply: {} as { clip: string; chunks: number; seconds: number; seq: number },
  },
  /** From the offscreen recorder: it stopped by itself (the tab closed, the stream ended, …). */
  'video.ended': {
    from: ['extension-page'],
    request: v.strictObject({ tabId: TabId, cause: v.pipe(v.string(), v.maxLength(64)) }),
    reply: {} as { done: boolean },
  },
} as const satisfies Record<
  string,
  { from: readonly SenderKind[]; request: v.GenericSchema; reply: unknown }
>;

export type MessageName = keyof typeof MESSAGES;
export type Req<K extends MessageName> = v.InferOutput<(typeof MESSAGES)[K]['request']>;
export type Res<K extends MessageName> = (typeof MESSAGES)[K]['reply'];

export const Envelope = v.strictObject({
  v: v.literal(PROTOCOL_VERSION),
  name: v.pipe(v.string(), v.maxLength(64)),
  req: v.unknown(),
});

export type ErrorCode =
  | 'bad-message'
  | 'unknown-message'
  | 'forbidden-sender'
  | 'bad-request'
  | 'tab-not-found'
  | 'unsupported-page'
  | 'not-preserving'
  | 'tab-not-visible'
  | 'capture-failed'
  | 'storage-full'
  | 'paused'
  | 'video-not-invoked'
  | 'video-background-tab'
  | 'video-unavailable'
  | 'video-off'
  | 'video-empty'
  | 'internal';

export type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** An error that travels back to the sender as `{ok:false, error}` (errors do not survive messaging). */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

// ---- The capture Port (content script ⇄ background) ----

export const CAPTURE_PORT = 'liveproof/capture';

export const Hello = v.strictObject({
  t: v.literal('hello'),
  v: v.literal(PROTOCOL_VERSION),
  /** Random per content-script instance; event keys start with it. */
  instance: v.pipe(v.string(), v.regex(/^[0-9a-f]{8,32}$/)),
  url: HttpUrl,
  title: v.pipe(v.string(), v.maxLength(LIMITS.titleChars)),
  adapter: v.pipe(v.string(), v.maxLength(64)),
  platform: v.pipe(v.string(), v.maxLength(64)),
  /** The room as the page shows it now. */
  room: v.optional(RoomFacts),
  /** The session this instance was already writing to, when it reconnects after the worker restarted. */
  sessionId: v.optional(SessionId),
});

const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

/** `ChatLine` flags. */
export const CHAT_HOST = 1;
export const CHAT_BACKLOG = 2;
export const CHAT_TRUNCATED = 4;

/**
 * A chat message in a batch, in short (the most frequent event by far, serialised on the page's
 * main thread): `[author, text, flags, ms, n]` or `[…, id]`, where `flags` sums `CHAT_HOST`,
 * `CHAT_BACKLOG` and `CHAT_TRUNCATED`, `ms` is the time seen in ms after the batch's `t0`, and `n`
 * the instance's event counter. The background makes the draft of it (`expandBatch`): key
 * `instance:n`, time `t0 + ms` in ISO form, data `{author, text, kind, id?, backlog?, truncated?}`,
 * which is the draft the content script sent in full before.
 */
export const ChatLine = v.union([
  v.strictTuple([v.string(), v.string(), v.pipe(Count, v.maxValue(7)), Count, Count]),
  v.strictTuple([v.string(), v.string(), v.pipe(Count, v.maxValue(7)), Count, Count, v.string()]),
]);
export type ChatLine = v.InferOutput<typeof ChatLine>;

export const Batch = v.strictObject({
  t: v.literal('batch'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** What the `ms` of the batch's `ChatLine`s count from (ms since the epoch). */
  t0: v.optional(Count),
  events: v.pipe(v.array(v.union([ChatLine, ContentDraft])), v.minLength(1), v.maxLength(LIMITS.batchEvents)),
});

/** Where the content script stands with the chat list (sent after each `ready` and on a change). */
export const ChatList = v.strictObject({
  t: v.literal('chat-list'),
  state: v.picklist(CHAT_LIST_STATES),
});

export const PortIn = v.variant('t', [Hello, Batch, ChatList]);

/**
 * What a page that goes away could not hand over (its Port was lost and the worker had not yet
 * answered): the content script leaves it in `storage.local` under `ORPHAN_PREFIX + instance`, and
 * the background seals it into its session before the next hello, then removes it.
 */
export const ORPHAN_PREFIX = 'orphan:';
export const Orphan = v.strictObject({
  sessionId: SessionId,
  url: HttpUrl,
  events: v.pipe(v.array(ContentDraft), v.minLength(1), v.maxLength(LIMITS.batchEvents * 50)),
});
export type Orphan = v.InferOutput<typeof Orphan>;
export type PortIn = v.InferOutput<typeof PortIn>;
export type Hello = v.InferOutput<typeof Hello>;
export type Batch = v.InferOutput<typeof Batch>;
export type ChatList = v.InferOutput<typeof ChatList>;

/**
 * The drafts a batch stands for, its `ChatLine`s made into drafts (see `ChatLine`); null when a
 * line has no `t0` to count from or does not make a valid draft.
 */
export function expandBatch(
  events: readonly (ChatLine | ContentDraft)[],
  t0: number | undefined,
  instance: string,
): ContentDraft[] | null {
  const out: ContentDraft[] = [];
  for (const e of events) {
    if (!Array.isArray(e)) {
      out.push(e as ContentDraft);
      continue;
    }
    if (t0 === undefined) return null;
    const draft = draftOfLine(e as ChatLine, t0, instance);
    if (!v.is(ContentDraft, draft)) return null;
    out.push(draft);
  }
  return out;
}

/** The full draft of a `ChatLine` (the form the content script sent before batches were short). */
export function draftOfLine(line: ChatLine, t0: number, instance: string): ContentDraft {
  const [author, text, flags, ms, n, id] = line;
  const data: ChatData = { author, text, kind: flags & CHAT_HOST ? 'host' : 'chat' };
  if (id !== undefined) data.id = id;
  if (flags & CHAT_BACKLOG) data.backlog = true;
  if (flags & CHAT_TRUNCATED) data.truncated = true;
  return { type: 'chat', time: nowIso(t0 + ms), data, key: `${instance}:${n}` };
}

export type PortOut =
  | { t: 'ready'; sessionId: string }
  | { t: 'ack'; id: number; stored: number; duplicates: number }
  /** The batch could not be stored now (for example the disk is full); keep it and send it again. */
  | { t: 'nack'; id: number; code: ErrorCode }
  | { t: 'refused'; code: ErrorCode }
  | { t: 'stop' }
  /** Something in this page needs the shopper's attention now (an off-platform deal, a price trap). */
  | { t: 'warn'; warning: PageWarning }
  /** The user asked in the popup to point at the chat area: show the picker. */
  | { t: 'pick' }
  /** The user made the extension forget the chat area chosen for this site. */
  | { t: 'forget-pick' }
  /** Sealing stopped (the user paused, or the disk is nearly full); a full disk is said on the page. */
  | { t: 'paused'; cause: 'user' | 'storage-full' }
  /** Sealing goes on again: cards and room facts are read afresh, so the chain shows them as they are now. */
  | { t: 'resumed'; cause: 'user' | 'storage-full' };

/** A detection as the page's warning banner shows it. */
export interface PageWarning {
  seq: number;
  time: string;
  category: string;
  tier?: string;
  rule: string;
  text: string;
  author?: string;
  host?: boolean;
}

/** The parts of `runtime.MessageSender` the checks need. */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

/**
 * Decides who sent a message. Only our own extension counts; its pages are recognised by their
 * origin, content scripts by running in a tab on an http(s) page.
 */
export function classifySender(sender: SenderLike, self: { id: string; origin: string }): SenderKind | null {
  if (sender.id !== self.id) return null;
  const url = sender.url ?? '';
  if (url.startsWith(self.origin + '/')) return 'extension-page';
  if (sender.tab?.id !== undefined && /^https?:\/\//i.test(url)) return 'content';
  return null;
}

// ---- The chat area the user pointed at, remembered per site in `storage.local` ----

/** The `storage.local` key of the chat area chosen for one origin. */
export function chatPickKey(origin: string): string {
  return `chatPick:${origin}`;
}

/** One CSS selector per root, from the top document down to the list (see `adapters/generic/picked`). */
export const SavedChatPick = v.strictObject({
  v: v.literal(1),
  path: v.pipe(
    v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(1000))),
    v.minLength(1),
    v.maxLength(8),
  ),
  savedAt: v.pipe(v.string(), v.maxLength(40)),
});
export type SavedChatPick = v.InferOutput<typeof SavedChatPick>;
