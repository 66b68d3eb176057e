import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import { inputsHash, writeBuildStamp } from './src/cli/build';
import { verifyScriptPlugin } from './src/locker/verify-page/bundle';

/** Stamps `dist/` with a hash of its inputs, so the CLI and the tests know when it is stale. */
function buildStamp(): Plugin {
  let inputs = '';
  return {
    name: 'liveproof-build-stamp',
    apply: 'build',
    buildStart() {
      inputs = inputsHash();
    },
    closeBundle() {
      writeBuildStamp(inputs);
    },
  };
}

export default defineConfig({
  publicDir: 'src/public',
  plugins: [
    preact(),
    crx({
      manifest,
      // One self-contained IIFE: no async loader, and no chunk exposed to pages as web-accessible
      // (a page could fetch such a chunk to detect that LiveProof is watching).
      contentScripts: { standaloneFiles: ['src/content/index.ts'] },
    }),
    // verify.html's inline verifier, bundled from src/locker/verify-page/ for the locker's export.
    verifyScriptPlugin(),
    buildStamp(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome120',
    // The locker (Preact, Dexie, the PKI library that checks time-stamps, the package builder) is one
    // ~700 kB chunk, read from the extension's own files, never over a network.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // Extension pages that the manifest does not name.
      input: {
        locker: 'src/locker/index.html',
        welcome: 'src/welcome/index.html',
        offscreen: 'src/background/offscreen/index.html',
      },
      // Escapes non-ASCII (Dexie's U+FFFF) in emitted chunks; Chrome rejects noncharacters in scripts.
      output: { charset: 'ascii' },
    },
  },
});
