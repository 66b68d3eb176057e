/** The signing key in IndexedDB: one per installation, made once, kept as a sealed CryptoKey. */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { EvidenceDb, INSTALL_KEY_ID, installKey, installKeyInfo, installSigner } from '../../../src/db';
import { formatFingerprint, keyFingerprint, signedStatement, verifySignature } from '../../../src/core/sign';
import { randomHex } from '../../../src/core/time';

const dbs: Dexie[] = [];
const fresh = (name = `liveproof-test-${randomHex(8)}`) => {
  const db = new EvidenceDb(name);
  dbs.push(db);
  return db;
};

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

describe('the installation key in IndexedDB', () => {
  it('is made on first use and is the same key afterwards, also from another connection', async () => {
    const db = fresh();
    expect(await db.keys.count()).toBe(0);
    const first = await installKey(db);
    expect(first.id).toBe(INSTALL_KEY_ID);
    expect(first.privateKey.extractable).toBe(false);
    expect(first.fingerprint).toBe(await keyFingerprint(first.spki));

    const other = fresh(db.name);
    const again = await installKey(other);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(await db.keys.count()).toBe(1);
  });

  it('comes back from the database as a working, still non-extractable CryptoKey', async () => {
    const db = fresh();
    const made = await installKey(db);
    db.close();
    const reopened = fresh(db.name);
    const row = (await reopened.keys.get(INSTALL_KEY_ID))!;
    expect(row.privateKey).toBeInstanceOf(CryptoKey);
    expect(row.privateKey.extractable).toBe(false);
    const statement = signedStatement(`sha256:${'cd'.repeat(32)}`);
    const signature = await (await installSigner(reopened)).sign(statement);
    expect(await verifySignature(made.spki, statement, signature)).toBe(true);
  });

  it('two contexts asking at once agree on one key', async () => {
    const db = fresh();
    const other = fresh(db.name);
    const [a, b] = await Promise.all([installKey(db), installKey(other)]);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(await db.keys.count()).toBe(1);
  });

  it('offers the fingerprint as the locker and the popup show it', async () => {
    const db = fresh();
    const info = await installKeyInfo(db);
    expect(info.formatted).toBe(formatFingerprint(info.fingerprint));
    expect(info.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('the database upgrade from version 1', () => {
  it('adds the keys store (2) and the case stores (3), and keeps what version 1 held', async () => {
    const name = `liveproof-test-${randomHex(8)}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({
      sessions: 'id, tabId, status, startedAt',
      events: '[sessionId+seq], &[sessionId+key]',
      blobs: 'sha256',
    });
    await v1
      .table('blobs')
      .put({ sha256: 'a'.repeat(64), mediatype: 'image/png', bytes: 1, blob: new Blob(['x']) });
    v1.close();

    const db = fresh(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'audit',
      'blobs',
      'cases',
      'keys',
      'marks',
      'pages',
      'receipts',
      'sessions',
      'videoChunks',
    ]);
    expect(await db.blobs.count()).toBe(1);
    await installKey(db);
    expect(await db.keys.count()).toBe(1);
  });
});
