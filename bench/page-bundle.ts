/** Bundles a benchmark's page script (run inside an extension page by `page.evaluate`) with vite. */
import { join } from 'node:path';
import { build, type Rolldown } from 'vite';
import { ROOT } from '../src/cli/build';

export async function bundlePageScript(entry: string, name: string): Promise<string> {
  const result = await build({
    root: ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'chrome120',
      minify: false,
      sourcemap: false,
      emptyOutDir: false,
      lib: { entry: join(ROOT, entry), formats: ['iife'], name },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the benchmark bundle produced no script');
  return chunk.code;
}
