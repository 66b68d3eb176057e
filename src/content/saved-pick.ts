/**
 * The chat area the user pointed at on this site, remembered in the extension's `storage.local`
 * (the page cannot read it) under one key per origin, and used first on later visits.
 */
import * as v from 'valibot';
import { chatPickKey, SavedChatPick } from '../core/protocol';
import { isoTime } from '../core/time';

/** The parts of `browser.storage.local` this needs. */
export interface PickArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export class SavedPick {
  private readonly key: string;

  constructor(
    private readonly area: PickArea,
    origin: string,
  ) {
    this.key = chatPickKey(origin);
  }

  /** The remembered path, or null when there is none (or what is stored is not one). */
  async load(): Promise<string[] | null> {
    try {
      const parsed = v.safeParse(SavedChatPick, (await this.area.get(this.key))[this.key]);
      return parsed.success ? parsed.output.path : null;
    } catch (err) {
      console.warn('[liveproof] could not read the chosen chat area', err);
      return null;
    }
  }

  async save(path: readonly string[]): Promise<void> {
    const value: SavedChatPick = { v: 1, path: [...path], savedAt: isoTime() };
    await this.area.set({ [this.key]: value });
  }

  async forget(): Promise<void> {
    await this.area.remove(this.key);
  }
}
