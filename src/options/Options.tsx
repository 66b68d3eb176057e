/**
 * The options page: which platforms are preserved by themselves, periodic pictures, how long
 * sessions are kept, trusted time, what exports blur, the language, and settings files. Every
 * change is saved at once to `storage.local`; the background and open tabs follow it without a
 * reload.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { lang, langFor, t } from '../i18n';
import { translator, type MessageKey } from '../core/i18n';
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  parseSettingsFile,
  readSettings,
  settingsFile,
  type Settings,
} from '../core/settings';
import { KNOWN_PLATFORM_IDS } from '../core/platform-ids';

const INTERVALS = [0, 30, 60, 120, 300, 600] as const;
const TSA_INTERVALS = [1, 5, 10, 30, 60] as const;

export function Options() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const [, rerender] = useState(0);

  useEffect(() => {
    void browser.storage.local
      .get(SETTINGS_KEY)
      .then((r) => setSettings(readSettings(r[SETTINGS_KEY]).settings));
  }, []);

  if (!settings) return <p class="page">{t('popupLoading')}</p>;

  const save = async (next: Settings, message: MessageKey = 'optionsSaved') => {
    setSettings(next);
    await browser.storage.local.set({ [SETTINGS_KEY]: next });
    if (next.language !== settings.language) {
      // The page speaks the new language at once.
      const { initLanguage } = await import('../i18n');
      await initLanguage();
      rerender((n) => n + 1);
      setNotice({ text: translator(langFor(next.language))(message) });
      return;
    }
    setNotice({ text: t(message) });
  };

  return (
    <main class="page" lang={lang === 'en' ? 'en' : 'zh-CN'}>
      <h1>{t('optionsTitle')}</h1>
      <p class="muted">{t('optionsIntro')}</p>

      <fieldset>
        <legend>{t('optionsPlatforms')}</legend>
        <p class="hint">{t('optionsPlatformsHint')}</p>
        {KNOWN_PLATFORM_IDS.map((id) => (
          <label class="check" key={id}>
            <input
              type="checkbox"
              name={`platform-${id}`}
              checked={settings.platforms[id]}
              onChange={(e) =>
                save({ ...settings, platforms: { ...settings.platforms, [id]: e.currentTarget.checked } })
              }
            />
            {t(`platformName_${id}` as MessageKey)}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('optionsScreenshots')}</legend>
        <label class="field">
          {t('optionsScreenshotInterval')}
          <select
            name="screenshot-interval"
            value={String(settings.screenshotIntervalSec)}
            onChange={(e) =>
              save({
                ...settings,
                screenshotIntervalSec: Number(e.currentTarget.value) as Settings['screenshotIntervalSec'],
              })
            }
          >
            {INTERVALS.map((s) => (
              <option value={String(s)} key={s}>
                {s === 0
                  ? t('optionsIntervalOff')
                  : s < 60
                    ? t('optionsEverySeconds', s)
                    : t('optionsEveryMinutes', s / 60)}
              </option>
            ))}
          </select>
        </label>
        <p class="hint">{t('optionsScreenshotsHint')}</p>
      </fieldset>

      <fieldset>
        <legend>{t('optionsRetention')}</legend>
        <label class="field">
          {t('optionsRetentionDays')}
          <input
            type="number"
            name="retention-days"
            min={0}
            max={3650}
            value={settings.retentionDays}
            onChange={(e) => {
              const n = Number(e.currentTarget.value);
              if (Number.isInteger(n) && n >= 0 && n <= 3650) void save({ ...settings, retentionDays: n });
              else setNotice({ text: t('optionsRetentionInvalid'), error: true });
            }}
          />
        </label>
        <p class="hint">{t('optionsRetentionHint')}</p>
      </fieldset>

      <Timestamps settings={settings} save={save} onError={(text) => setNotice({ text, error: true })} />

      <fieldset>
        <legend>{t('optionsRedaction')}</legend>
        {(['none', 'contacts', 'names'] as const).map((r) => (
          <label class="check" key={r}>
            <input
              type="radio"
              name="redaction"
              value={r}
              checked={settings.redaction === r}
              onChange={() => save({ ...settings, redaction: r })}
            />
            {t(`optionsRedaction_${r}` as MessageKey)}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('optionsLanguage')}</legend>
        {(['auto', 'zh_CN', 'en'] as const).map((l) => (
          <label class="check" key={l}>
            <input
              type="radio"
              name="language"
              value={l}
              checked={settings.language === l}
              onChange={() => save({ ...settings, language: l })}
            />
            {l === 'auto' ? t('optionsLanguageAuto') : l === 'zh_CN' ? '中文' : 'English'}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('optionsFile')}</legend>
        <div class="row">
          <button type="button" onClick={() => download(settings)}>
            {t('optionsExport')}
          </button>
          <label class="button">
            {t('optionsImport')}
            <input
              type="file"
              accept="application/json,.json"
              class="visually-hidden"
              onChange={async (e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (!file) return;
                const parsed = file.size <= 100_000 ? parseSettingsFile(await file.text()) : null;
                if (!parsed) {
                  setNotice({ text: t('optionsImportNotSettings'), error: true });
                  return;
                }
                await save(
                  parsed.settings,
                  parsed.rejected.length ? 'optionsImportedPartly' : 'optionsImported',
                );
                if (parsed.rejected.length)
                  setNotice({ text: t('optionsImportedPartly', parsed.rejected.join(', ')) });
              }}
            />
          </label>
          <button type="button" onClick={() => save(structuredClone(DEFAULT_SETTINGS), 'optionsReset')}>
            {t('optionsResetButton')}
          </button>
        </div>
      </fieldset>

      <p role="status" aria-live="polite" class={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text ?? ''}
      </p>
    </main>
  );
}

function Timestamps(props: {
  settings: Settings;
  save: (s: Settings) => Promise<void>;
  onError: (text: string) => void;
}) {
  const { settings, save } = props;
  const ts = settings.timestamps;
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const add = (e: Event) => {
    e.preventDefault();
    const candidate = readSettings({
      ...settings,
      timestamps: { ...ts, authorities: [...ts.authorities, { name: name.trim(), url: url.trim() }] },
    });
    if (candidate.rejected.length || ts.authorities.some((a) => a.url === url.trim())) {
      props.onError(t('optionsTsaInvalid'));
      return;
    }
    setName('');
    setUrl('');
    void save(candidate.settings);
  };
  return (
    <fieldset>
      <legend>{t('optionsTimestamps')}</legend>
      <p class="hint">{t('optionsTimestampsHint')}</p>
      <label class="check">
        <input
          type="checkbox"
          name="timestamps-enabled"
          checked={ts.enabled}
          onChange={(e) => save({ ...settings, timestamps: { ...ts, enabled: e.currentTarget.checked } })}
        />
        {t('optionsTimestampsEnabled')}
      </label>
      <label class="field">
        {t('optionsTimestampsInterval')}
        <select
          name="timestamps-interval"
          value={String(ts.intervalMin)}
          disabled={!ts.enabled}
          onChange={(e) =>
            save({ ...settings, timestamps: { ...ts, intervalMin: Number(e.currentTarget.value) } })
          }
        >
          {TSA_INTERVALS.map((m) => (
            <option value={String(m)} key={m}>
              {t('optionsEveryMinutes', m)}
            </option>
          ))}
        </select>
      </label>
      <ul class="tsa-list" aria-label={t('optionsTsaList')}>
        {ts.authorities.map((a) => (
          <li key={a.url}>
            <span>
              <strong>{a.name}</strong> <code>{a.url}</code>
            </span>
            <button
              type="button"
              aria-label={t('optionsTsaRemove', a.name)}
              onClick={() =>
                save({
                  ...settings,
                  timestamps: { ...ts, authorities: ts.authorities.filter((x) => x !== a) },
                })
              }
            >
              {t('optionsRemove')}
            </button>
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={add}>
        <label class="field">
          {t('optionsTsaName')}
          <input
            name="tsa-name"
            value={name}
            maxLength={80}
            required
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field grow">
          {t('optionsTsaUrl')}
          <input
            name="tsa-url"
            type="url"
            value={url}
            required
            placeholder="https://"
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{t('optionsTsaAdd')}</button>
      </form>
    </fieldset>
  );
}

function download(settings: Settings): void {
  const blob = new Blob([settingsFile(settings, browser.runtime.getManifest().version)], {
    type: 'application/json',
  });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'liveproof-settings.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
