/**
 * The language of the extension's pages. Strings live in `_locales/<lang>/messages.json` and are
 * looked up through `core/i18n`, so the same catalogue serves pages, the report and the CLI.
 *
 * The browser's language is used until `initLanguage()` has read the user's choice (options:
 * follow the browser, 中文, English); pages await it before they render.
 */
import browser from 'webextension-polyfill';
import { pickLang, translator, type Lang, type Translate } from '../core/i18n';
import { SETTINGS_KEY, readSettings } from '../core/settings';

export let lang: Lang = pickLang(browser.i18n.getUILanguage());
let current = translator(lang);
export const t: Translate = (key, ...subs) => current(key, ...subs);

/** The language for a setting: `auto` follows the browser. */
export function langFor(setting: 'auto' | Lang): Lang {
  return setting === 'auto' ? pickLang(browser.i18n.getUILanguage()) : setting;
}

function use(next: Lang): void {
  lang = next;
  current = translator(next);
}

/** Reads the language setting (once, before rendering); a failure leaves the browser's language. */
export async function initLanguage(): Promise<Lang> {
  try {
    const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
    use(langFor(readSettings(stored).settings.language));
  } catch {
    // storage unavailable: keep the browser's language
  }
  applyDocumentLanguage();
  return lang;
}

export function applyDocumentLanguage(): void {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}
