import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CATALOGS,
  DEFAULT_LANG,
  LANGS,
  format,
  pickLang,
  translator,
  type MessageKey,
} from '../../../src/core/i18n';

const [zh, en] = [CATALOGS.zh_CN, CATALOGS.en];

/** `$1`…`$9` a message uses, directly or through its named placeholders, as a sorted list. */
function positional(key: string, lang: 'zh_CN' | 'en'): string[] {
  const entry = CATALOGS[lang][key]!;
  const texts = [entry.message, ...Object.values(entry.placeholders ?? {}).map((p) => p.content)];
  return [...new Set(texts.flatMap((t) => t.match(/\$[1-9]/g) ?? []))].sort();
}

const named = (key: string, lang: 'zh_CN' | 'en') =>
  (CATALOGS[lang][key]!.message.match(/\$[A-Za-z0-9_@]+\$/g) ?? []).map((n) => n.toLowerCase()).sort();

describe('the zh_CN and en message files', () => {
  it('have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('take the same substitutions per message in both languages', () => {
    for (const key of Object.keys(zh)) {
      expect(positional(key, 'en'), `${key}: $n`).toEqual(positional(key, 'zh_CN'));
      expect(named(key, 'en'), `${key}: $name$`).toEqual(named(key, 'zh_CN'));
      expect(Object.keys(en[key]!.placeholders ?? {}).sort(), `${key}: placeholders`).toEqual(
        Object.keys(zh[key]!.placeholders ?? {}).sort(),
      );
    }
  });

  it('every named placeholder a message uses is defined', () => {
    for (const lang of LANGS)
      for (const [key, entry] of Object.entries(CATALOGS[lang]))
        for (const name of named(key, lang))
          expect(entry.placeholders?.[name.slice(1, -1)], `${lang} ${key} ${name}`).toBeDefined();
  });

  it('choose a plural word only by a substitution the message takes, and never where chrome.i18n reads them', () => {
    for (const [key, entry] of Object.entries(en))
      for (const [, n] of entry.message.matchAll(/\{\$([1-9])\|/g))
        expect(positional(key, 'zh_CN'), `${key}: {$${n}|…}`).toContain(`$${n}`);
    // The manifest's own strings are filled in by Chromium, which knows nothing of `{$n|…|…}`.
    const manifest = readFileSync(join(__dirname, '../../../manifest.json'), 'utf8');
    const keys = [...manifest.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(3);
    for (const lang of LANGS)
      for (const key of keys) expect(CATALOGS[lang][key]?.message).not.toContain('{$');
  });

  it('no message is empty', () => {
    for (const lang of LANGS)
      for (const [key, entry] of Object.entries(CATALOGS[lang]))
        expect(entry.message.trim(), `${lang} ${key}`).not.toBe('');
  });
});

/** Every .tsx file under src/. */
function components(dir = join(__dirname, '../../../src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? components(join(dir, d.name)) : d.name.endsWith('.tsx') ? [join(dir, d.name)] : [],
  );
}

describe('buttons that name their item for screen readers', () => {
  it('keep their visible text in the spoken name, in both languages (WCAG 2.5.3, axe label-content-name-mismatch)', () => {
    // `<button aria-label={t('A', …)} …>{t('B')}</button>`: the visible B must be part of A.
    const pairs: [string, string][] = [];
    for (const file of components()) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/<button\b[^]*?<\/button>/g)) {
        const label = /aria-label=\{t\('(\w+)'/.exec(m[0]);
        const texts = [...m[0].matchAll(/\{t\('(\w+)'\)\}/g)].map((x) => x[1]!);
        if (label && texts.length) pairs.push([label[1]!, texts.at(-1)!]);
      }
    }
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    for (const lang of LANGS) {
      const t = translator(lang);
      for (const [label, text] of pairs)
        expect(t(label as MessageKey, 'X', 'Y'), `${lang}: ${label} / ${text}`).toContain(
          t(text as MessageKey),
        );
    }
  });
});

describe('pickLang', () => {
  it.each([
    undefined,
    null,
    '',
    'C',
    'POSIX',
    'zh-CN',
    'zh_CN.UTF-8',
    'zh-TW',
    'fr-FR',
    'ja',
    'eng',
    'english',
  ])('%j → zh_CN (the default)', (tag) => {
    expect(pickLang(tag)).toBe('zh_CN');
  });

  it.each(['en', 'en-US', 'en-GB', 'en_US.UTF-8', 'EN-us', 'en.UTF-8'])('%j → en', (tag) => {
    expect(pickLang(tag)).toBe('en');
  });

  it('defaults to Chinese', () => {
    expect(DEFAULT_LANG).toBe('zh_CN');
  });
});

describe('translator and format', () => {
  it('fills $1, $2, … in order, in each language', () => {
    expect(translator('en')('lockerCounts', 3, 1, 5)).toBe('3 chat · 1 screenshot · 5 records');
    expect(translator('zh_CN')('lockerCounts', 3, 1, 5)).toBe('聊天 3 条 · 截图 1 张 · 记录共 5 条');
    expect(translator('en')('reportMeta', 'liveproof-x', '2026-11-28T10:30:00.000Z', '0.1.0')).toBe(
      'Package liveproof-x · created 2026-11-28T10:30:00.000Z (UTC) · LiveProof 0.1.0',
    );
  });

  it('inserts text containing $ signs literally, without expanding it again', () => {
    expect(translator('en')('lockerExported', 'evil$2$$.zip', '3 MB')).toBe(
      'Exported evil$2$$.zip (3 MB). Keep this file as it is; do not edit what is inside.',
    );
  });

  it('says "1 change" and "0 changes", "2 changes" in English', () => {
    const en = translator('en');
    expect(en('lockerCountsDetail', 1, 1)).toBe('1 product card change · 1 risky statement');
    expect(en('lockerCountsDetail', 0, 2)).toBe('0 product card changes · 2 risky statements');
    expect(format({ message: '$1 {$1|day|days}' }, ['1'])).toBe('1 day');
    expect(format({ message: '$1 {$1|day|days}' }, [11])).toBe('11 days');
    // Anything else in braces is text, and a substituted value is never read as a plural.
    expect(format({ message: '{a|b} {$x|y|z} $1' }, ['{$1|no|yes}'])).toBe('{a|b} {$x|y|z} {$1|no|yes}');
  });

  it('writes nothing for a missing substitution and $ for $$', () => {
    expect(format({ message: 'a $1 b $2 c $$1' }, ['x'])).toBe('a x b  c $1');
  });

  it('expands named placeholders case-insensitively, as chrome.i18n does', () => {
    const entry = {
      message: 'Saved $COUNT$ of $Total$ ($$)',
      placeholders: { count: { content: '$1' }, total: { content: '$2' } },
    };
    expect(format(entry, [3, 7])).toBe('Saved 3 of 7 ($)');
    expect(format({ message: 'keep $unknown$ as is' })).toBe('keep $unknown$ as is');
  });

  it('inserts text through a named placeholder only once', () => {
    const entry = { message: 'Hello $NAME$, $1', placeholders: { name: { content: '$1' } } };
    expect(format(entry, ['$1 $$'])).toBe('Hello $1 $$, $1 $$');
  });

  it('answers with the key for a message that exists in neither language', () => {
    expect(translator('en')('noSuchMessage' as MessageKey)).toBe('noSuchMessage');
  });
});
