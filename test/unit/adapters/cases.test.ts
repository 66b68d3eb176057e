/**
 * Runs every adapter's embedded cases (`src/adapters/<id>/cases.ts`) against its fixture pages, and
 * holds the adapters to the conventions: registered, with cases, positive and negative pages, and
 * no orphan fixtures.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor } from '../../../src/adapters/registry';
import { KNOWN_PLATFORMS } from '../../../src/adapters/platforms';
import type { AdapterCase } from '../../../src/adapters/types';
import { FIXTURES, openFixture, type FixturePage } from './fixture-dom';

const modules = import.meta.glob<{ CASES: AdapterCase[] }>('../../../src/adapters/*/cases.ts', {
  eager: true,
});
const CASES = new Map(
  Object.entries(modules).map(([path, m]) => [/adapters\/([^/]+)\/cases\.ts$/.exec(path)![1]!, m.CASES]),
);
const SRC = join(import.meta.dirname, '../../../src/adapters');

const open: FixturePage[] = [];
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
});

for (const adapter of ADAPTERS) {
  const cases = CASES.get(adapter.id) ?? [];
  describe(`${adapter.id} adapter`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      if (adapter.id !== 'generic') expect(adapterFor(c.url).id, `${c.url} is claimed by`).toBe(adapter.id);
      const page = openFixture(adapter.id, c.fixture, c.url);
      open.push(page);
      const doc = page.document;
      expect(adapter.pageState(doc), 'page state').toBe(c.expect.state);
      const list = adapter.findChatList(doc);
      if (c.expect.noChatList) expect(list, 'there is no chat list on this page').toBeNull();
      if (c.expect.chat) {
        expect(list, 'chat list').not.toBeNull();
        const rows = [...list!.children].map((r) => adapter.parseRow(r)).filter((r) => r !== null);
        expect(rows).toEqual(c.expect.chat);
      }
      if (c.expect.room) expect(adapter.readRoom(doc, c.url)).toEqual(c.expect.room);
      if (c.expect.products) expect(adapter.readProducts(doc)).toEqual(c.expect.products);
    });
  });
}

describe('adapter conventions', () => {
  it('every adapter folder is registered, and every registered adapter has its folder', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual(ADAPTERS.map((a) => a.id).sort());
  });

  it('every known platform has its own adapter', () => {
    for (const p of KNOWN_PLATFORMS) expect(ADAPTERS.map((a) => a.id)).toContain(p.id);
  });

  it.each(ADAPTERS.map((a) => [a.id]))('%s has cases on live pages and on pages that are not', (id) => {
    const cases = CASES.get(id) ?? [];
    expect(cases.length, `${id} has no cases`).toBeGreaterThan(0);
    expect(cases.some((c) => c.expect.state === 'live' && (c.expect.chat?.length ?? 0) > 0)).toBe(true);
    if (id !== 'generic') expect(cases.some((c) => c.expect.state !== 'live')).toBe(true);
  });

  it.each(ADAPTERS.map((a) => [a.id]))('%s has no orphan or missing fixtures', (id) => {
    const dir = join(FIXTURES, id);
    const files = existsSync(dir) ? readdirSync(dir).sort() : [];
    const used = [...new Set((CASES.get(id) ?? []).map((c) => c.fixture))].sort();
    expect(files).toEqual(used);
  });
});
