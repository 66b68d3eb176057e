/**
 * Loads the bundled simulated live room (src/cli/demo-site) into the happy-dom document and runs its
 * real stream.js, so adapter tests read exactly the rows the demo shows. Its timers are faked, so
 * rows appear only when a test calls `emit(k)`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';

const SITE = join(import.meta.dirname, '../../../src/cli/demo-site/');

export interface DemoMessage {
  author: string;
  text: string;
  kind: 'chat' | 'host';
}

export interface DemoRoom {
  chat: HTMLElement;
  /** Every message the page has shown so far, in order (the demo's own record). */
  emitted: DemoMessage[];
  /** Shows `k` more messages at once. */
  emit(k: number): number;
}

interface DemoGlobal {
  __demo: { emitted: DemoMessage[]; emitNow(k: number): number };
}

/** `query`: stream.js parameters such as `keep=5` or `burst=3`. Call `vi.useRealTimers()` after. */
export function loadDemoRoom(query = ''): DemoRoom {
  // Neither the stylesheet nor the script is fetched: the script is run below, with its timers faked.
  const html = readFileSync(SITE + 'index.html', 'utf8').replace(
    /<link\b[^>]*>|<script\b[^>]*><\/script>/g,
    '',
  );
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.title = parsed.title;
  document.body.innerHTML = parsed.body.innerHTML;
  history.replaceState(null, '', `/live/880123456${query ? `?${query}` : ''}`);

  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'requestAnimationFrame'] });
  // happy-dom has no 2D canvas; the demo only paints its moving picture with it.
  const paint = new Proxy({}, { get: () => () => ({ addColorStop() {} }) });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(
    paint as unknown as CanvasRenderingContext2D,
  );
  new Function(readFileSync(SITE + 'stream.js', 'utf8'))();

  const demo = (window as unknown as DemoGlobal).__demo;
  return {
    chat: document.getElementById('chat')!,
    emitted: demo.emitted,
    emit: (k) => demo.emitNow(k),
  };
}
