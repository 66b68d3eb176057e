/**
 * Runs in the locker page of the real extension (bundled by test/e2e/export-case.test.ts): a sealed
 * session with pictures (bench/export/seed.ts) and a case about it with one PDF receipt attached
 * through the locker's own `attachReceipt`, of a size no picture has (to find its file on disk).
 */
import '../../../bench/export/seed';
import { EvidenceDb, attachReceipt, createCase } from '../../../src/db';

export interface SeededCase {
  sessionId: string;
  caseId: string;
  receiptName: string;
}

async function seedCase(
  chat: number,
  shots: number,
  shotBytes: number,
  receiptBytes: number,
): Promise<SeededCase> {
  const seed = (globalThis as unknown as { __seed: (c: number, s: number, b: number) => Promise<string> })
    .__seed;
  const sessionId = await seed(chat, shots, shotBytes);
  const db = new EvidenceDb();
  try {
    const kase = await createCase(db, '不粘锅虚假宣传', [sessionId]);
    // A PDF as the sniffer judges one: its signature first, its end marker last; random between.
    const pdf = new Uint8Array(receiptBytes);
    for (let at = 0; at < pdf.length; at += 65536) crypto.getRandomValues(pdf.subarray(at, at + 65536));
    const enc = new TextEncoder();
    pdf.set(enc.encode('%PDF-1.4\n'), 0);
    pdf.set(enc.encode('\n%%EOF\n'), pdf.length - 7);
    const receiptName = '付款凭证.pdf';
    const attached = await attachReceipt(db, kase.id, { name: receiptName, bytes: pdf });
    if (!attached.ok) throw new Error(`the receipt was refused: ${JSON.stringify(attached.sniff)}`);
    return { sessionId, caseId: kase.id, receiptName };
  } finally {
    db.close();
  }
}

(globalThis as unknown as { __seedCase: unknown }).__seedCase = seedCase;
