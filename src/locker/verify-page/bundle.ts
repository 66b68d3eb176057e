/**
 * The build step for verify.html (Node side): bundles ./main.ts with the core verifier and the
 * translation catalogues into one self-contained IIFE, offered to the extension's code as the
 * virtual module `virtual:liveproof/verify-script` (see vite.config.ts). The locker's export passes
 * it to the package builder, which inlines it in verify.html.
 */
import { join } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';

export const VERIFY_SCRIPT_ID = 'virtual:liveproof/verify-script';
const RESOLVED_ID = `\0${VERIFY_SCRIPT_ID}`;
export const VERIFY_PAGE_ENTRY = 'src/locker/verify-page/main.ts';

export async function bundleVerifyScript(root: string): Promise<string> {
  const result = await build({
    root,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'chrome103',
      minify: true,
      sourcemap: false,
      emptyOutDir: false,
      lib: { entry: join(root, VERIFY_PAGE_ENTRY), formats: ['iife'], name: 'LiveProofVerify' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the verifier bundle produced no script');
  return chunk.code.trim();
}

export function verifyScriptPlugin(): Plugin {
  let root = process.cwd();
  let code: Promise<string> | undefined;
  return {
    name: 'liveproof-verify-script',
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      return id === VERIFY_SCRIPT_ID ? RESOLVED_ID : null;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return null;
      code ??= bundleVerifyScript(root);
      return `export default ${JSON.stringify(await code)};`;
    },
  };
}
