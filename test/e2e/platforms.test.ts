/**
 * Each platform's fixture pages, served under the platform's real host name over HTTPS (a
 * throw-away certificate, `--host-resolver-rules` to 127.0.0.1), so the manifest's own match
 * patterns start preservation and the platform's adapter reads the page in real Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openPopup, readPopup, tabIdOf } from '../../src/cli/automation';
import { KNOWN_PLATFORMS, isKnownLivePage } from '../../src/adapters/platforms';
import type { AdapterCase } from '../../src/adapters/types';
import { ARTIFACTS, chatOf, launch, openPackage, waitForChatCount } from './harness';

const modules = import.meta.glob<{ CASES: AdapterCase[] }>('../../src/adapters/*/cases.ts', { eager: true });
const FIXTURES = join(import.meta.dirname, '../fixtures/adapters');

/** Every live case on a page the manifest matches, with its adapter's id. */
const LIVE_CASES = Object.entries(modules).flatMap(([path, m]) => {
  const id = /adapters\/([^/]+)\/cases\.ts$/.exec(path)![1]!;
  return m.CASES.filter(
    (c) => c.expect.state === 'live' && c.expect.chat?.length && isKnownLivePage(c.url),
  ).map((c) => ({ id, c }));
});
const HOSTS = [
  ...new Set(KNOWN_PLATFORMS.flatMap((p) => p.livePages.map((u) => new URL(u.replace('*', 'x')).host))),
];

/** Which fixture a request gets: the case whose URL has this host, path and query. */
let current: { host: string; pathAndQuery: string; body: string }[] = [];

let server: DemoServer;
let b: ExtensionBrowser;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveproof-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=liveproof-test',
      '-addext',
      `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  current = LIVE_CASES.map(({ id, c }) => {
    const u = new URL(c.url);
    return {
      host: u.host,
      pathAndQuery: u.pathname + u.search,
      body: readFileSync(join(FIXTURES, id, c.fixture), 'utf8'),
    };
  });
  server = await startDemoServer({
    tls: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    route: (host, pathAndQuery) => current.find((r) => r.host === host && r.pathAndQuery === pathAndQuery),
  });
  const port = new URL(server.origin).port;
  b = await launch({
    extraArgs: [
      `--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(',')}`,
      '--ignore-certificate-errors',
    ],
  });
});
afterAll(async () => {
  await b?.close();
  await server?.close();
});

describe('every platform, under its own host name', () => {
  it('has a live fixture page for each known platform', () => {
    expect(new Set(LIVE_CASES.map((x) => x.id))).toEqual(new Set(KNOWN_PLATFORMS.map((p) => p.id)));
  });

  it.each(LIVE_CASES.map(({ id, c }) => [id, c.name, c] as const))(
    '%s: %s — preserved without asking, chat, room and products kept',
    async (id, _name, c) => {
      const page = await b.context.newPage();
      await page.goto(c.url);
      const tabId = await tabIdOf(b, page);
      const popup = await openPopup(b, tabId);
      await popup.locator('.status[data-state="preserving"]').waitFor({ timeout: 15_000 });
      const { sessionId } = await readPopup(popup);
      await popup.close();

      const chat = c.expect.chat!.filter((r) => r.kind === 'chat' || r.kind === 'host');
      await waitForChatCount(b, tabId, chat.length);
      await page.waitForTimeout(1500); // room and product cards are read once a second

      const out = join(ARTIFACTS, `platform-${id}.zip`);
      await exportFromLocker(b, [sessionId!], out);
      const pkg = await openPackage(out);
      expect(pkg.report.ok, JSON.stringify(pkg.report.problems)).toBe(true);
      const events = pkg.sessions.get(sessionId!)!;
      expect(events[0]).toMatchObject({ type: 'page', data: { platform: id, adapter: id } });
      expect(chatOf(events)).toEqual(chat.map(({ author, text, kind }) => ({ author, text, kind })));
      if (c.expect.products?.length) {
        const shown = events
          .filter((e) => e.type === 'product' && e.data.state === 'shown')
          .map((e) => e.data.title);
        expect(shown).toEqual(c.expect.products.map((p) => p.title));
      }
      if (c.expect.room?.anchorName) {
        const room = events.find((e) => e.type === 'room');
        expect(room?.data.anchorName).toBe(c.expect.room.anchorName);
      }
      await page.close();
    },
  );
});
