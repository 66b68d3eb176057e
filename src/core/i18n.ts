/**
 * Translation over the extension's own `_locales/<lang>/messages.json` files, usable where
 * `chrome.i18n` is not (Node CLI, report rendering) and where the user picked a language other than
 * the browser's. Implements the chrome.i18n message format: `$name$` placeholders and `$1`…`$9`,
 * plus one addition for English: `{$2|change|changes}` is the first word when substitution 2 is 1,
 * the second otherwise ("1 product card change", "3 product card changes"). Chinese needs none.
 * Messages the manifest names (`__MSG_…__`, read by chrome.i18n itself) must not use it.
 */
import zhCN from '../public/_locales/zh_CN/messages.json';
import en from '../public/_locales/en/messages.json';

export type Lang = 'zh_CN' | 'en';
export const LANGS: readonly Lang[] = ['zh_CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh_CN';

interface ChromeMessage {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Catalog = Record<string, ChromeMessage>;

export const CATALOGS: Record<Lang, Catalog> = { zh_CN: zhCN as Catalog, en: en as Catalog };
export type MessageKey = keyof typeof zhCN & keyof typeof en;

/** `{$n|one|other}`: the word for substitution n's number (English: "one" for exactly 1). */
const PLURAL = /\{\$([1-9])\|([^|{}]*)\|([^|{}]*)\}/g;

function plurals(text: string, subs: readonly string[]): string {
  if (!text.includes('{$')) return text;
  return text.replace(PLURAL, (_, d: string, one: string, other: string) =>
    Number(subs[Number(d) - 1]) === 1 ? one : other,
  );
}

function substitute(text: string, subs: readonly string[]): string {
  return text.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : (subs[Number(d) - 1] ?? '')));
}

export function format(entry: ChromeMessage, subs: readonly (string | number)[] = []): string {
  const s = subs.map(String);
  // Placeholders are expanded to their `$n` content first and substituted in one pass, so a value
  // that itself contains `$1` or `$$` is inserted as it is.
  const withPlaceholders = entry.message.replace(/\$([a-zA-Z0-9_@]+)\$/g, (whole, name: string) => {
    const ph = entry.placeholders?.[name.toLowerCase()] ?? entry.placeholders?.[name];
    return ph ? ph.content : whole;
  });
  return substitute(plurals(withPlaceholders, s), s);
}

export type Translate = (key: MessageKey, ...subs: (string | number)[]) => string;

export function translator(lang: Lang): Translate {
  const catalog = CATALOGS[lang];
  const fallback = CATALOGS[DEFAULT_LANG];
  return (key, ...subs) => {
    const entry = catalog[key] ?? fallback[key];
    return entry ? format(entry, subs) : key;
  };
}

/** Maps a BCP 47 tag or POSIX locale (`en-US`, `zh_CN.UTF-8`, `C`) to one of ours; Chinese by default. */
export function pickLang(tag: string | undefined | null): Lang {
  if (!tag) return DEFAULT_LANG;
  return /^en\b|^en[-_]/i.test(tag) ? 'en' : DEFAULT_LANG;
}
