import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor } from '../../../src/adapters/registry';
import { generic } from '../../../src/adapters/generic';

describe('adapter registry', () => {
  it('falls back to the generic adapter for any page no site adapter claims', () => {
    expect(adapterFor('https://example.com/live')).toBe(generic);
    expect(adapterFor('http://127.0.0.1:8080/live/1')).toBe(generic);
  });

  it('lists generic last, so every site adapter comes before the fallback', () => {
    expect(ADAPTERS[ADAPTERS.length - 1]).toBe(generic);
    expect(ADAPTERS.filter((a) => a === generic)).toHaveLength(1);
  });

  it('follows the adapter conventions: unique id, URL patterns, and both readers', () => {
    const ids = ADAPTERS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ADAPTERS) {
      expect(a.id, a.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(
        a.matches.every((m) => m instanceof RegExp),
        a.id,
      ).toBe(true);
      expect(typeof a.findChatList, a.id).toBe('function');
      expect(typeof a.parseRow, a.id).toBe('function');
      if (a !== generic) expect(a.matches.length, `${a.id} serves no page`).toBeGreaterThan(0);
    }
  });
});
