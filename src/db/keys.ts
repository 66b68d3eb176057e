/**
 * The installation's signing key: made on first use (by whichever extension context asks first),
 * kept in IndexedDB, never exported. Two contexts asking at once agree on one key: the first write
 * wins and the other reads it back.
 */
import {
  exportSpki,
  formatFingerprint,
  generateInstallKey,
  keyFingerprint,
  signerOf,
  type PackageSigner,
} from '../core/sign';
import { isoTime } from '../core/time';
import type { EvidenceDb, KeyRow } from './schema';

export const INSTALL_KEY_ID = 'install';

export interface InstallKeyInfo {
  /** SHA-256 of the public key's SPKI DER, hex. */
  fingerprint: string;
  /** The same in groups of four, as the locker, the popup and the complaint letter show it. */
  formatted: string;
  createdAt: string;
}

/** The key row, made now when there is none yet. */
export async function installKey(db: EvidenceDb): Promise<KeyRow> {
  const existing = await db.keys.get(INSTALL_KEY_ID);
  if (existing) return existing;
  // WebCrypto runs outside the IndexedDB transaction (an await on it would end the transaction).
  const pair = await generateInstallKey();
  const spki = await exportSpki(pair.publicKey);
  const row: KeyRow = {
    id: INSTALL_KEY_ID,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    spki,
    fingerprint: await keyFingerprint(spki),
    createdAt: isoTime(),
  };
  try {
    await db.keys.add(row);
    return row;
  } catch (err) {
    const winner = await db.keys.get(INSTALL_KEY_ID);
    if (winner) return winner;
    throw err;
  }
}

/** The signer the package builder uses. */
export async function installSigner(db: EvidenceDb): Promise<PackageSigner> {
  const row = await installKey(db);
  return signerOf(row.privateKey, row.spki);
}

/** What the popup and the locker show (for the popup, through a background message). */
export async function installKeyInfo(db: EvidenceDb): Promise<InstallKeyInfo> {
  const row = await installKey(db);
  return {
    fingerprint: row.fingerprint,
    formatted: formatFingerprint(row.fingerprint),
    createdAt: row.createdAt,
  };
}
