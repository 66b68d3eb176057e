import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

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
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome120',
    rolldownOptions: {
      // Extension pages that the manifest does not name.
      input: { locker: 'src/locker/index.html' },
      // Escapes non-ASCII (Dexie's U+FFFF) in emitted chunks; Chrome rejects noncharacters in scripts.
      output: { charset: 'ascii' },
    },
  },
});
