/** Serves the simulated live room (`demo-site/`) on 127.0.0.1 at a free port. */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const SITE = fileURLToPath(new URL('./demo-site/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface DemoServer {
  origin: string;
  /** The live room's address, with query parameters for the stream (`rate`, `count`, `seed`, …). */
  roomUrl(params?: Record<string, string | number>): string;
  close(): Promise<void>;
}

export async function startDemoServer(port = 0): Promise<DemoServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(SITE, path === '/' || path.startsWith('/live/') ? 'index.html' : path));
    if (!file.startsWith(SITE)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    roomUrl: (params = {}) => {
      const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
      return `${origin}/live/880123456${q.size ? `?${q}` : ''}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
