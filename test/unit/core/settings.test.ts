import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettingsFile, readSettings, settingsFile } from '../../../src/core/settings';
import { KNOWN_PLATFORM_IDS } from '../../../src/core/platform-ids';
import { KNOWN_PLATFORMS } from '../../../src/adapters/platforms';

describe('settings', () => {
  it('default to: every platform on, a picture a minute, 30 days, two time-stamping authorities, contacts blurred', () => {
    const { settings, rejected } = readSettings(undefined);
    expect(rejected).toEqual([]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(Object.values(settings.platforms).every(Boolean)).toBe(true);
    expect(settings.screenshotIntervalSec).toBe(60);
    expect(settings.retentionDays).toBe(30);
    expect(settings.timestamps.authorities.map((a) => a.name)).toEqual(['FreeTSA', 'DigiCert']);
    expect(settings.redaction).toBe('contacts');
    expect(settings.language).toBe('auto');
  });

  it('lists exactly the platforms the extension knows', () => {
    expect([...KNOWN_PLATFORM_IDS].sort()).toEqual(KNOWN_PLATFORMS.map((p) => p.id).sort());
  });

  it('keeps every valid field and names each invalid one, which takes its default', () => {
    const { settings, rejected } = readSettings({
      platforms: { douyin: false, weibo: true, tiktok: 'yes' },
      screenshotIntervalSec: 5,
      retentionDays: 7,
      timestamps: { enabled: true, intervalMin: 5, authorities: [{ name: 'x', url: 'javascript:alert(1)' }] },
      redaction: 'names',
      language: 'fr',
    });
    expect(settings.platforms.douyin).toBe(false);
    expect(settings.platforms.tiktok).toBe(true);
    expect(settings.retentionDays).toBe(7);
    expect(settings.redaction).toBe('names');
    expect(settings.screenshotIntervalSec).toBe(60);
    expect(settings.timestamps).toEqual(DEFAULT_SETTINGS.timestamps);
    expect(settings.language).toBe('auto');
    expect(rejected.sort()).toEqual(
      ['language', 'platforms.tiktok', 'platforms.weibo', 'screenshotIntervalSec', 'timestamps'].sort(),
    );
  });

  it('accepts 0 for "no periodic pictures" and "keep until I delete"', () => {
    const { settings, rejected } = readSettings({ screenshotIntervalSec: 0, retentionDays: 0 });
    expect(rejected).toEqual([]);
    expect(settings).toMatchObject({ screenshotIntervalSec: 0, retentionDays: 0 });
  });

  it('round-trips through an exported file, and refuses a file that is not one', () => {
    const mine = readSettings({ retentionDays: 90, language: 'en' }).settings;
    const back = parseSettingsFile(settingsFile(mine, '0.1.0'));
    expect(back).toEqual({ settings: mine, rejected: [] });
    expect(parseSettingsFile('not json')).toBeNull();
    expect(parseSettingsFile('{"retentionDays": 5}')).toBeNull();
    expect(parseSettingsFile('[]')).toBeNull();
  });
});
