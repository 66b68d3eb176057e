/**
 * Whether there is room to keep evidence. Sealing stops before the disk is full, not when it is:
 * on a full disk Chromium's IndexedDB fails blob writes (`DataError … IOError`) and then stalls on
 * small ones, taking the browser with it (measured on a full tmpfs, docs/storage.md). So the guard
 * trips when a write fails for lack of space, or when `navigator.storage.estimate()` says less than
 * `floorBytes` is left (with `unlimitedStorage`, `quota − usage` is the disk's free space). It is
 * checked again on a timer, an alarm and the popup's "try again"; once there is room, it clears.
 */
export interface StorageEstimate {
  usage?: number;
  quota?: number;
}

export interface StorageGuardDeps {
  estimate(): Promise<StorageEstimate>;
  /** Stop when less than this is left. */
  floorBytes: number;
  /** How often (at most) a write asks for a fresh estimate while there is room. */
  checkEveryMs?: number;
  now?: () => number;
}

export interface StorageFull {
  /** When sealing stopped. */
  since: string;
  /** A write failed (`write-failed`) or the free space fell under the floor (`low-space`). */
  reason: 'write-failed' | 'low-space';
}

export const DEFAULT_FLOOR_BYTES = 64 * 1024 * 1024;

export class StorageGuard {
  private state: StorageFull | null = null;
  private lastCheck = -Infinity;
  private free: number | null = null;
  private checking: Promise<number | null> | null = null;
  private readonly listeners: ((full: StorageFull | null, was: StorageFull | null) => void)[] = [];

  constructor(private readonly deps: StorageGuardDeps) {}

  get full(): StorageFull | null {
    return this.state;
  }

  /** Free bytes at the last estimate (null before the first). */
  get freeBytes(): number | null {
    return this.free;
  }

  get floorBytes(): number {
    return this.deps.floorBytes;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private estimateFree(): Promise<number | null> {
    this.checking ??= this.deps
      .estimate()
      .then(
        ({ usage, quota }) =>
          typeof usage === 'number' && typeof quota === 'number' ? Math.max(0, quota - usage) : null,
        () => null,
      )
      .then((free) => {
        this.checking = null;
        this.lastCheck = this.now();
        this.free = free;
        return free;
      });
    return this.checking;
  }

  /** Whether a write may go ahead now (a fresh estimate at most every `checkEveryMs`). */
  async allows(): Promise<boolean> {
    if (this.state) return false;
    if (this.now() - this.lastCheck >= (this.deps.checkEveryMs ?? 5000)) {
      const free = await this.estimateFree();
      if (free !== null && free < this.deps.floorBytes) this.trip('low-space');
    }
    return !this.state;
  }

  /** Stops sealing: a write failed for lack of space, or too little is left. */
  trip(reason: StorageFull['reason'], since = new Date(this.now()).toISOString()): void {
    if (this.state) return;
    this.state = { since, reason };
    this.emit(null);
  }

  /** Looks again: when there is room (above the floor), sealing may go on. Returns whether it may. */
  async retry(): Promise<boolean> {
    const free = await this.estimateFree();
    if (!this.state) {
      if (free !== null && free < this.deps.floorBytes) this.trip('low-space');
      return !this.state;
    }
    if (free === null || free < this.deps.floorBytes) return false;
    const was = this.state;
    this.state = null;
    this.emit(was);
    return true;
  }

  onChange(cb: (full: StorageFull | null, was: StorageFull | null) => void): void {
    this.listeners.push(cb);
  }

  private emit(was: StorageFull | null): void {
    for (const l of this.listeners) l(this.state, was);
  }
}
