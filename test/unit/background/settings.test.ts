import { describe, expect, it } from 'vitest';
import { SettingsCache } from '../../../src/background/settings';
import { DEFAULT_SETTINGS, SETTINGS_KEY } from '../../../src/core/settings';

function fakeStorage(initial: unknown) {
  const listeners: ((c: Record<string, { newValue?: unknown }>, area: string) => void)[] = [];
  return {
    area: { get: async () => (initial === undefined ? {} : { [SETTINGS_KEY]: initial }) },
    changes: { addListener: (cb: (typeof listeners)[number]) => void listeners.push(cb) },
    change: (value: unknown, area = 'local') =>
      listeners.forEach((l) => l({ [SETTINGS_KEY]: { newValue: value } }, area)),
  };
}

describe('the settings as the background sees them', () => {
  it('are the defaults until the user changes anything', async () => {
    const s = fakeStorage(undefined);
    expect(await new SettingsCache(s.area, s.changes).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('follow a change on the options page at once, and say what it was', async () => {
    const s = fakeStorage({ ...DEFAULT_SETTINGS, retentionDays: 7 });
    const cache = new SettingsCache(s.area, s.changes);
    expect((await cache.get()).retentionDays).toBe(7);
    const seen: [number, number][] = [];
    cache.onChange((next, before) => seen.push([before.screenshotIntervalSec, next.screenshotIntervalSec]));
    s.change({ ...DEFAULT_SETTINGS, screenshotIntervalSec: 300 });
    s.change({ ...DEFAULT_SETTINGS, screenshotIntervalSec: 30 }, 'session'); // another area: ignored
    expect((await cache.get()).screenshotIntervalSec).toBe(300);
    await Promise.resolve();
    expect(seen).toEqual([[60, 300]]);
  });

  it('fall back to the defaults for a damaged stored value', async () => {
    const s = fakeStorage('garbage');
    expect(await new SettingsCache(s.area, s.changes).get()).toEqual(DEFAULT_SETTINGS);
  });
});
