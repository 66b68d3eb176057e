/**
 * Every string people read comes from `_locales`: this test fails when a component holds words of
 * its own — JSX text, or a literal in an attribute people read (aria-label, title, placeholder,
 * alt) — in any page or in the in-page banner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');
const UI_DIRS = ['popup', 'locker', 'options', 'welcome', 'ui', 'content'];
const READ_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'label']);
/** Words that are the same in every language: language names in their own language, a URL scheme. */
const ALLOWED = new Set(['中文', 'English', 'LiveProof', 'https://', 'SHA-256']);
const WORDS = /[A-Za-z\u3400-\u9fff]/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

function literalsIn(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node) =>
    `${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isJsxText(n)) {
      const text = n.text.trim();
      if (text && WORDS.test(text) && !ALLOWED.has(text)) found.push(`${where(n)} ${JSON.stringify(text)}`);
    } else if (ts.isJsxAttribute(n) && n.initializer && ts.isStringLiteral(n.initializer)) {
      const name = n.name.getText(source);
      const text = n.initializer.text;
      if (READ_ATTRIBUTES.has(name) && WORDS.test(text) && !ALLOWED.has(text))
        found.push(`${where(n)} ${name}=${JSON.stringify(text)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

describe('words people read', () => {
  it('come from _locales, not from literals in components', () => {
    const all = UI_DIRS.flatMap((d) => files(join(SRC, d))).flatMap((f) => literalsIn(f));
    expect(all).toEqual([]);
  });

  it('the check itself finds a literal when there is one', () => {
    const probe = join(SRC, 'popup/probe.tsx');
    const found = literalsIn(
      probe,
      'export const X = () => <button aria-label="Close" class="x">关闭{t("ok")}</button>;',
    );
    expect(found).toEqual(['popup/probe.tsx:1 aria-label="Close"', 'popup/probe.tsx:1 "关闭"']);
  });
});
