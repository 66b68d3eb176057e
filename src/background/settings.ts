/**
 * The settings as the background sees them: read from `storage.local` once, then kept current by
 * `storage.onChanged`, so a change on the options page applies at once (no tab needs reloading).
 */
import { SETTINGS_KEY, readSettings, type Settings } from '../core/settings';

export interface SettingsArea {
  get(key: string): Promise<Record<string, unknown>>;
}
export interface ChangeEvents {
  addListener(cb: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
}

export class SettingsCache {
  private value: Promise<Settings>;
  private readonly listeners: ((next: Settings, before: Settings) => void)[] = [];

  constructor(
    private readonly area: SettingsArea,
    changes: ChangeEvents,
  ) {
    this.value = this.load();
    changes.addListener((c, areaName) => {
      if (areaName !== 'local' || !(SETTINGS_KEY in c)) return;
      const before = this.value;
      const next = readSettings(c[SETTINGS_KEY]!.newValue).settings;
      this.value = Promise.resolve(next);
      void before.then((b) => this.listeners.forEach((l) => l(next, b)));
    });
  }

  private async load(): Promise<Settings> {
    try {
      return readSettings((await this.area.get(SETTINGS_KEY))[SETTINGS_KEY]).settings;
    } catch {
      return readSettings(undefined).settings;
    }
  }

  get(): Promise<Settings> {
    return this.value;
  }

  /** Called after each change with the new and the previous settings. */
  onChange(cb: (next: Settings, before: Settings) => void): void {
    this.listeners.push(cb);
  }
}
