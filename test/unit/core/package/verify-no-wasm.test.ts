/**
 * A receiver whose browser refuses WebAssembly (disabled, or a policy without 'wasm-unsafe-eval')
 * still verifies with verify.html and the locker: the web defaults fall back to WebCrypto and give
 * the same findings. This file refuses WebAssembly before its first verification, as such a browser
 * would (hash-wasm's module compiled or not, `WebAssembly.compile` and `instantiate` reject).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventsPath, verifyPackage, webHashing } from '../../../../src/core/package';
import { SESSION_A, eventsOf, filesOf, reseal, samplePackage, writeEvents, zipFiles } from './fixtures';

let intact: Uint8Array;
let forged: Uint8Array;

beforeAll(async () => {
  // Built first: the package builder itself hashes with hash-wasm.
  intact = await zipFiles(filesOf(await samplePackage()));
  const files = filesOf(await samplePackage());
  const events = eventsOf(files, SESSION_A);
  events[2]!.data.text = '今天直播间只要 199 元，不退不换';
  writeEvents(files, SESSION_A, events);
  reseal(files);
  forged = await zipFiles(files);
  const refuse = () =>
    Promise.reject(new WebAssembly.CompileError('Wasm code generation disallowed by embedder'));
  vi.stubGlobal('WebAssembly', { ...WebAssembly, compile: refuse, instantiate: refuse });
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('verifyPackage in a browser without WebAssembly', () => {
  it('verifies with WebCrypto: the intact package is intact, the forged chain is named', async () => {
    const report = await verifyPackage(intact);
    expect((await webHashing()).engine).toBe('webcrypto');
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.sessions.every((s) => s.chainOk)).toBe(true);

    const broken = await verifyPackage(forged);
    const path = eventsPath(SESSION_A);
    expect(broken.problems).toEqual([{ code: 'chain-hash', params: [path, '2'], path, seq: 2 }]);
  });
});
