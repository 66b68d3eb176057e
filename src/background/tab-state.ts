/**
 * Which tabs the user started or stopped by hand. Kept in `storage.session` so it survives the
 * service worker being stopped, and forgotten when the browser closes (tab ids are reused).
 */
export type TabMode = { mode: 'manual'; origin: string } | { mode: 'stopped' };

export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export class TabState {
  constructor(private readonly area: KeyValueArea) {}

  private key(tabId: number) {
    return `tab:${tabId}`;
  }

  async get(tabId: number): Promise<TabMode | undefined> {
    const k = this.key(tabId);
    return (await this.area.get(k))[k] as TabMode | undefined;
  }

  set(tabId: number, mode: TabMode): Promise<void> {
    return this.area.set({ [this.key(tabId)]: mode });
  }

  forget(tabId: number): Promise<void> {
    return this.area.remove(this.key(tabId));
  }
}
