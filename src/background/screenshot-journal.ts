/**
 * The screenshot triggers waiting for a picture, kept in `storage.local` as well as in the worker's
 * memory, so that a trigger outlives the service worker: Chrome stops it when it is idle, when the
 * extension is updated, when it crashes, and a detection may be held back for up to 10 s
 * (`DETECTION_GAP_MS`, screenshots.ts) in which that can happen.
 *
 * A trigger is written when it is queued and removed once the event that names it (a `screenshot`
 * or a `screenshot-missed`) is sealed, or once it was dropped for a reason the caller was told (the
 * session ended, the tab is paused, …). Writes are batched: the first change after a quiet spell is
 * written at once, and the changes that come within `WRITE_GAP_MS` of a write go together into the
 * next one, so a bot pushing several times a second, or 50 triggers a second, cost at most five small
 * writes a second. A trigger is kept once the write carrying it has landed: at most `WRITE_GAP_MS` and
 * one storage round trip after it came.
 *
 * `storage.local` rather than `storage.session`: the latter is emptied when the extension is updated
 * or reloaded, which stops the worker too. Whether a trigger left over comes from the worker before
 * this one in the same browser run (its tab ids still mean the same tabs) is told by a run id kept in
 * `storage.session`, which a browser restart or an update clears.
 */
import * as v from 'valibot';
import { ScreenshotReason } from '../core/evidence';
import { randomHex } from '../core/time';
import type { KeyValueArea } from './tab-state';

export const JOURNAL_KEY = 'liveproof/screenshot-triggers';
export const RUN_KEY = 'liveproof/screenshot-run';
/** The least time between the starts of two writes of the journal. */
export const WRITE_GAP_MS = 200;

export const JournalEntry = v.object({
  id: v.string(),
  tab: v.number(),
  /** The session the trigger was made for, when the caller knew it (a detection, a product change). */
  session: v.optional(v.string()),
  reason: ScreenshotReason,
  note: v.optional(v.string()),
  source: v.optional(v.number()),
  time: v.string(),
  /** A held detection: when its pace allows a picture (ms, the background's clock). */
  due: v.optional(v.number()),
  /** The run (see above) of the worker that queued it; written by `flush`. */
  run: v.optional(v.string()),
});
export type JournalEntry = v.InferOutput<typeof JournalEntry>;

const Stored = v.object({ triggers: v.array(v.unknown()) });

export interface Leftovers {
  /** This browser run's id. */
  run: string;
  /** Triggers a previous worker queued and nothing named yet. */
  entries: JournalEntry[];
}

export class TriggerJournal {
  private readonly entries = new Map<string, JournalEntry>();
  private dirty = false;
  private writing: Promise<void> | null = null;
  private lastWrite = -Infinity;
  /** What a previous worker left, read once at start (before anything is written). */
  readonly leftovers: Promise<Leftovers>;

  constructor(
    private readonly area: KeyValueArea,
    private readonly runArea: KeyValueArea,
  ) {
    this.leftovers = this.load();
  }

  private async load(): Promise<Leftovers> {
    let run = randomHex(8);
    try {
      const marker = (await this.runArea.get(RUN_KEY))[RUN_KEY];
      if (typeof marker === 'string') run = marker;
      else await this.runArea.set({ [RUN_KEY]: run });
    } catch (err) {
      console.warn('[liveproof] screenshot triggers: no run id', err);
    }
    const entries: JournalEntry[] = [];
    try {
      const stored = v.safeParse(Stored, (await this.area.get(JOURNAL_KEY))[JOURNAL_KEY]);
      for (const raw of stored.success ? stored.output.triggers : []) {
        const e = v.safeParse(JournalEntry, raw);
        if (!e.success) continue;
        entries.push(e.output);
        // Kept until the caller settles it, so a write before that does not lose it.
        if (!this.entries.has(e.output.id)) this.entries.set(e.output.id, e.output);
      }
    } catch (err) {
      console.warn('[liveproof] screenshot triggers left over could not be read', err);
    }
    return { run, entries };
  }

  add(entry: JournalEntry): void {
    this.entries.set(entry.id, entry);
    this.schedule();
  }

  remove(ids: Iterable<string>): void {
    let changed = false;
    for (const id of ids) changed = this.entries.delete(id) || changed;
    if (changed) this.schedule();
  }

  /** Settles once what was added or removed so far is written (for tests and the worker's shutdown). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private schedule(): void {
    this.dirty = true;
    this.writing ??= this.flush();
  }

  private async flush(): Promise<void> {
    const { run } = await this.leftovers;
    while (this.dirty) {
      const wait = this.lastWrite + WRITE_GAP_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.dirty = false;
      this.lastWrite = Date.now();
      const triggers = [...this.entries.values()].map((e) => (e.run ? e : { ...e, run }));
      try {
        if (triggers.length) await this.area.set({ [JOURNAL_KEY]: { triggers } });
        else await this.area.remove(JOURNAL_KEY);
      } catch (err) {
        console.warn('[liveproof] screenshot triggers could not be kept', err);
      }
    }
    // In the same turn as the last look at `dirty`: a change after it starts the next flush.
    this.writing = null;
  }
}
