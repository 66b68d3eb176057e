import { describe, expect, it } from 'vitest';
import { ProductTracker, QUIET_MS, RoomTracker, cardData } from '../../../src/content/page-facts';
import type { ProductCard } from '../../../src/adapters/types';

const nest: ProductCard = {
  id: 'sku-1',
  title: '即食燕窝 6 瓶',
  price: '¥99',
  originalPrice: '¥399',
  shipping: '包邮',
  stock: '仅剩 50 件',
  countdown: '05:00',
  featured: true,
};

describe('ProductTracker: the price timeline of each card', () => {
  it('seals a card when it appears, and nothing while it stays the same', () => {
    const t = new ProductTracker();
    expect(t.update([nest], 0)).toEqual([{ ...nest, state: 'shown' }]);
    expect(t.update([nest], 1000)).toEqual([]);
  });

  it('seals the whole card with the fields that changed: ¥99, then ¥1 with ¥99 shipping', () => {
    const t = new ProductTracker();
    t.update([nest], 0);
    const trap = { ...nest, price: '¥1', shipping: '运费 ¥99' };
    expect(t.update([trap], 1000)).toEqual([{ ...trap, state: 'changed', changed: ['price', 'shipping'] }]);
  });

  it('a ticking countdown or selling stock alone is sealed at most once per 30 s, and then with its value', () => {
    const t = new ProductTracker();
    t.update([nest], 0);
    expect(t.update([{ ...nest, countdown: '04:59' }], 1000)).toEqual([]);
    expect(t.update([{ ...nest, countdown: '04:58', stock: '仅剩 49 件' }], 2000)).toEqual([]);
    const later = { ...nest, countdown: '04:29', stock: '仅剩 40 件' };
    expect(t.update([later], QUIET_MS + 1)).toEqual([
      { ...later, state: 'changed', changed: ['stock', 'countdown'] },
    ]);
    // A price change is sealed at once, ticking fields included.
    const cut = { ...later, price: '¥59', countdown: '04:28' };
    expect(t.update([cut], QUIET_MS + 1000)).toEqual([
      { ...cut, state: 'changed', changed: ['price', 'countdown'] },
    ]);
  });

  it('a card missing for three polls in a row is gone; missing once is a re-render', () => {
    const t = new ProductTracker();
    t.update([nest], 0);
    expect(t.update([], 1000)).toEqual([]);
    expect(t.update([nest], 2000)).toEqual([]);
    expect(t.update([], 3000)).toEqual([]);
    expect(t.update([], 4000)).toEqual([]);
    expect(t.update([], 5000)).toEqual([{ ...nest, state: 'gone' }]);
    expect(t.update([nest], 6000)).toEqual([{ ...nest, state: 'shown' }]);
  });

  it('keeps hostile text within the limits and well-formed, so the batch is never refused', () => {
    const d = cardData({ id: 'x'.repeat(1000), title: '\ud800燕窝' + 'a'.repeat(1000), price: '¥1' });
    expect(d.id).toHaveLength(300);
    expect(d.title).toHaveLength(300);
    expect(d.title.startsWith('\ufffd燕窝')).toBe(true);
  });
});

describe('RoomTracker', () => {
  it('seals the room when its facts change, not when only the viewer count moves', () => {
    const t = new RoomTracker();
    expect(t.update({ anchorName: '小美', viewers: '1万' }, 'live')).toEqual({
      anchorName: '小美',
      viewers: '1万',
      state: 'live',
    });
    expect(t.update({ anchorName: '小美', viewers: '1.1万' }, 'live')).toBeNull();
    expect(t.update({ anchorName: '小美', viewers: '1.1万', pinned: '加群领券' }, 'live')).toEqual({
      anchorName: '小美',
      viewers: '1.1万',
      pinned: '加群领券',
      state: 'live',
    });
    expect(t.update({ anchorName: '小美', pinned: '加群领券' }, 'ended')).toMatchObject({ state: 'ended' });
  });
});
