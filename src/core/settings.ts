/**
 * The user's settings: one object in `storage.local` under `SETTINGS_KEY`, validated wherever it is
 * read (the options page, the background, content scripts, an imported file). Missing or unknown
 * fields fall back to the defaults, so an older or hand-edited file never breaks anything.
 */
import * as v from 'valibot';
import { KNOWN_PLATFORM_IDS } from './platform-ids';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 1;

export const DEFAULT_TSAS: readonly { name: string; url: string }[] = [
  { name: 'FreeTSA', url: 'https://freetsa.org/tsr' },
  { name: 'DigiCert', url: 'http://timestamp.digicert.com' },
];

const Authority = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  url: v.pipe(v.string(), v.trim(), v.maxLength(500), v.regex(/^https?:\/\/[^\s/]+(\/\S*)?$/i)),
});

export const Settings = v.strictObject({
  version: v.literal(SETTINGS_VERSION),
  /** Known platforms preserved as soon as a live room opens; off: only when started by hand. */
  platforms: v.record(v.picklist(KNOWN_PLATFORM_IDS), v.boolean()),
  /** A picture of the preserved tab while it is on screen, every N seconds; 0: none. */
  screenshotIntervalSec: v.union([
    v.literal(0),
    v.pipe(v.number(), v.integer(), v.minValue(30), v.maxValue(3600)),
  ]),
  /** Sessions that are not part of a case are deleted after N days; 0: kept until deleted by hand. */
  retentionDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3650)),
  /** Trusted time: the chain heads (hashes only) are sent to these authorities every N minutes. */
  timestamps: v.strictObject({
    enabled: v.boolean(),
    intervalMin: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)),
    authorities: v.pipe(v.array(Authority), v.maxLength(10)),
  }),
  /** What exports blur by default: nothing, other viewers' contact details, or their names too. */
  redaction: v.picklist(['none', 'contacts', 'names']),
  /** The language of LiveProof's pages, banner, report and letters. */
  language: v.picklist(['auto', 'zh_CN', 'en']),
});
export type Settings = v.InferOutput<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  platforms: Object.fromEntries(KNOWN_PLATFORM_IDS.map((id) => [id, true])) as Settings['platforms'],
  screenshotIntervalSec: 60,
  retentionDays: 30,
  timestamps: { enabled: true, intervalMin: 5, authorities: DEFAULT_TSAS.map((a) => ({ ...a })) },
  redaction: 'contacts',
  language: 'auto',
};

export interface SettingsResult {
  settings: Settings;
  /** Fields that were invalid and fell back to their default (dotted paths). */
  rejected: string[];
}

/**
 * Reads settings from anything (storage, an imported file): every valid field is kept, every
 * invalid or missing one takes its default and invalid ones are named.
 */
export function readSettings(raw: unknown): SettingsResult {
  const rejected: string[] = [];
  const src = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (raw !== undefined && (raw === null || typeof raw !== 'object')) rejected.push('(file)');
  const field = <K extends keyof Settings>(key: K, schema: v.GenericSchema): Settings[K] => {
    if (!(key in src)) return structuredClone(DEFAULT_SETTINGS[key]);
    const r = v.safeParse(schema, src[key]);
    if (r.success) return r.output as Settings[K];
    rejected.push(String(key));
    return structuredClone(DEFAULT_SETTINGS[key]);
  };
  const platforms = { ...DEFAULT_SETTINGS.platforms };
  if ('platforms' in src) {
    const p = src.platforms;
    if (p && typeof p === 'object')
      for (const [id, on] of Object.entries(p as Record<string, unknown>)) {
        if ((KNOWN_PLATFORM_IDS as readonly string[]).includes(id) && typeof on === 'boolean')
          platforms[id as keyof typeof platforms] = on;
        else rejected.push(`platforms.${id}`);
      }
    else rejected.push('platforms');
  }
  const settings: Settings = {
    version: SETTINGS_VERSION,
    platforms,
    screenshotIntervalSec: field('screenshotIntervalSec', Settings.entries.screenshotIntervalSec),
    retentionDays: field('retentionDays', Settings.entries.retentionDays),
    timestamps: field('timestamps', Settings.entries.timestamps),
    redaction: field('redaction', Settings.entries.redaction),
    language: field('language', Settings.entries.language),
  };
  return { settings, rejected };
}

/** The file a user exports: the settings and what wrote them. */
export function settingsFile(settings: Settings, toolVersion: string): string {
  return (
    JSON.stringify({ liveproofSettings: SETTINGS_VERSION, tool: toolVersion, ...settings }, null, 2) + '\n'
  );
}

/** Reads an exported settings file; `null` when it is not one. */
export function parseSettingsFile(text: string): SettingsResult | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (
    !json ||
    typeof json !== 'object' ||
    (json as Record<string, unknown>).liveproofSettings !== SETTINGS_VERSION
  )
    return null;
  const rest: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  delete rest.liveproofSettings;
  delete rest.tool;
  return readSettings({ ...rest, version: SETTINGS_VERSION });
}
