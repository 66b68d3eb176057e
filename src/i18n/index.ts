/**
 * The language of the extension's pages. Strings live in `_locales/<lang>/messages.json` and are
 * looked up through `core/i18n`, so the same catalogue serves pages, the report and the CLI.
 */
import browser from 'webextension-polyfill';
import { pickLang, translator, type Lang } from '../core/i18n';

export const lang: Lang = pickLang(browser.i18n.getUILanguage());
export const t = translator(lang);

export function applyDocumentLanguage(): void {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}
