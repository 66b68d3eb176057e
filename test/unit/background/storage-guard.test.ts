import { describe, expect, it } from 'vitest';
import { StorageGuard, type StorageEstimate } from '../../../src/background/storage-guard';

const MB = 1024 * 1024;

function guard(start: StorageEstimate, checkEveryMs = 5000) {
  let estimate = start;
  let now = 1_000_000;
  let asked = 0;
  const changes: (string | null)[] = [];
  const g = new StorageGuard({
    estimate: async () => {
      asked++;
      return estimate;
    },
    floorBytes: 64 * MB,
    checkEveryMs,
    now: () => now,
  });
  g.onChange((full) => changes.push(full ? full.reason : null));
  return {
    g,
    changes,
    asked: () => asked,
    setFree: (free: number) => (estimate = { usage: 10 * MB, quota: 10 * MB + free }),
    setEstimate: (e: StorageEstimate) => (estimate = e),
    advance: (ms: number) => (now += ms),
  };
}

describe('the storage guard', () => {
  it('lets writes through while more than the floor is free, asking the browser at most every few seconds', async () => {
    const s = guard({ usage: 10 * MB, quota: 10_000 * MB });
    expect(await s.g.allows()).toBe(true);
    expect(await s.g.allows()).toBe(true);
    expect(s.asked()).toBe(1);
    s.advance(5000);
    expect(await s.g.allows()).toBe(true);
    expect(s.asked()).toBe(2);
    expect(s.g.full).toBeNull();
    expect(s.g.freeBytes).toBe(9990 * MB);
  });

  it('stops when less than the floor is left, and says so once', async () => {
    const s = guard({ usage: 10 * MB, quota: 10_000 * MB });
    await s.g.allows();
    s.setFree(30 * MB);
    s.advance(5000);
    expect(await s.g.allows()).toBe(false);
    expect(await s.g.allows()).toBe(false);
    expect(s.g.full?.reason).toBe('low-space');
    expect(s.changes).toEqual(['low-space']);
  });

  it('stops at once when a write failed for lack of space, whatever the estimate says', async () => {
    const s = guard({ usage: 10 * MB, quota: 10_000 * MB });
    s.g.trip('write-failed', '2026-11-29T09:00:00.000Z');
    s.g.trip('low-space');
    expect(await s.g.allows()).toBe(false);
    expect(s.g.full).toEqual({ since: '2026-11-29T09:00:00.000Z', reason: 'write-failed' });
    expect(s.changes).toEqual(['write-failed']);
  });

  it('stays stopped while there is still too little room, and goes on once there is', async () => {
    const s = guard({ usage: 10 * MB, quota: 10 * MB + 20 * MB });
    expect(await s.g.allows()).toBe(false);
    expect(await s.g.retry()).toBe(false);
    expect(s.g.full).not.toBeNull();
    s.setFree(500 * MB);
    expect(await s.g.retry()).toBe(true);
    expect(s.g.full).toBeNull();
    expect(s.changes).toEqual(['low-space', null]);
    expect(await s.g.allows()).toBe(true);
  });

  it('a look that finds too little room stops, even when nothing was being written', async () => {
    const s = guard({ usage: 10 * MB, quota: 10 * MB + 20 * MB });
    expect(await s.g.retry()).toBe(false);
    expect(s.g.full?.reason).toBe('low-space');
    expect(s.changes).toEqual(['low-space']);
  });

  it('does not stop when the browser will not say how much is free', async () => {
    const s = guard({});
    expect(await s.g.allows()).toBe(true);
    expect(s.g.freeBytes).toBeNull();
    const failing = new StorageGuard({
      estimate: () => Promise.reject(new Error('no storage manager')),
      floorBytes: 64 * MB,
    });
    expect(await failing.allows()).toBe(true);
  });
});
