/** Serves the simulated live room (`demo-site/`) on 127.0.0.1 at a free port. */
import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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

export interface DemoServerOptions {
  port?: number;
  /** Serve HTTPS with this key and certificate (tests that pose as a real platform's host). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * Pages served instead of the room for some requests (tests that pose as a platform serve that
   * platform's fixture page under its own host name and path). Return undefined for the room.
   */
  route?: (host: string, pathAndQuery: string) => { body: string | Buffer; type?: string } | undefined;
}

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const handler: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const routed = opts.route?.((req.headers.host ?? '').replace(/:\d+$/, ''), req.url ?? '/');
    if (routed) {
      res.writeHead(200, { 'content-type': routed.type ?? TYPES['.html']! }).end(routed.body);
      return;
    }
    // Any path without a file extension is the live room, so the room can pose under a platform's own paths.
    const file = normalize(join(SITE, extname(path) ? path : 'index.html'));
    if (!file.startsWith(SITE)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  };
  const server = opts.tls ? createHttpsServer(opts.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const origin = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    roomUrl: (params = {}) => {
      const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
      return `${origin}/live/880123456${q.size ? `?${q}` : ''}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
