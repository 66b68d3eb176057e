import { describe, expect, it } from 'vitest';
import { SavedPick, type PickArea } from '../../../src/content/saved-pick';
import { chatPickKey } from '../../../src/core/protocol';

/** `storage.local` as a map. */
function memoryArea(initial: Record<string, unknown> = {}): PickArea & { items: Record<string, unknown> } {
  const items = { ...initial };
  return {
    items,
    get: async (key) => (key in items ? { [key]: items[key] } : {}),
    set: async (more) => void Object.assign(items, more),
    remove: async (key) => void delete items[key],
  };
}

describe('SavedPick: the chat area chosen for one site', () => {
  it('keeps the path per origin, and forgets it', async () => {
    const area = memoryArea();
    const shop = new SavedPick(area, 'https://shop.example.com');
    const other = new SavedPick(area, 'https://other.example.com');
    expect(await shop.load()).toBeNull();
    await shop.save(['iframe.chat-frame', 'aside.side > ul']);
    expect(await shop.load()).toEqual(['iframe.chat-frame', 'aside.side > ul']);
    expect(await other.load()).toBeNull();
    expect(area.items[chatPickKey('https://shop.example.com')]).toMatchObject({
      v: 1,
      savedAt: expect.any(String),
    });
    await shop.forget();
    expect(await shop.load()).toBeNull();
  });

  it('ignores what is stored when it is not a path it wrote', async () => {
    const key = chatPickKey('https://shop.example.com');
    for (const bad of [
      'ul',
      { v: 1, path: [] },
      { v: 2, path: ['ul'], savedAt: 'x' },
      { v: 1, path: ['x'.repeat(2000)], savedAt: 'x' },
    ]) {
      const pick = new SavedPick(memoryArea({ [key]: bad }), 'https://shop.example.com');
      expect(await pick.load()).toBeNull();
    }
  });

  it('reads nothing, rather than failing, when storage cannot be read', async () => {
    const broken: PickArea = {
      get: () => Promise.reject(new Error('Extension context invalidated.')),
      set: () => Promise.resolve(),
      remove: () => Promise.resolve(),
    };
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      expect(await new SavedPick(broken, 'https://shop.example.com').load()).toBeNull();
    } finally {
      console.warn = warn;
    }
  });
});
