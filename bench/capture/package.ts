/** Reads the chat of one session out of an exported complaint package, after verifying the package. */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { verifyPackage } from '../../src/core/package';
import type { SealedEvent } from '../../src/core/evidence';
import type { ChatMessage } from './compare';

export interface PackageChat {
  ok: boolean;
  problems: string[];
  chat: ChatMessage[];
  /** Chat events the content script marked as backlog (rows already shown when preserving started). */
  backlog: number;
  events: number;
}

export async function readPackageChat(path: string, sessionId: string): Promise<PackageChat> {
  const bytes = new Uint8Array(readFileSync(path));
  const report = await verifyPackage(bytes);
  const zip = await JSZip.loadAsync(bytes);
  const file = zip.file(`sessions/${sessionId}/events.jsonl`);
  const events: SealedEvent[] = file
    ? (await file.async('string'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as SealedEvent)
    : [];
  const chat = events.filter((e) => e.type === 'chat');
  return {
    ok: report.ok && !!file,
    problems: [
      ...report.problems.map((p) => [p.code, ...p.params].join(' ')),
      ...(file ? [] : [`no events for session ${sessionId}`]),
    ],
    chat: chat.map((e) => ({
      author: String(e.data.author),
      text: String(e.data.text),
      kind: String(e.data.kind),
    })),
    backlog: chat.filter((e) => e.data.backlog === true).length,
    events: events.length,
  };
}
