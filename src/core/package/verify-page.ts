/**
 * `verify.html`: the offline verifier that travels inside every package. One self-contained page:
 * the verifier's own code inline (bundled at build time, see src/locker/verify-page/), its styles
 * inline, and a Content-Security-Policy that allows exactly that script and that style by their
 * hashes and nothing else: no network, no other script, no frames. The receiver picks the package's
 * ZIP (a page opened from file:// cannot read the file it came in). Event lines are hashed with
 * hash-wasm, compiled from bytes in the script (`'wasm-unsafe-eval'`), files mostly with WebCrypto;
 * where WebAssembly is refused everything goes to WebCrypto (core/package/verify.ts `webHashing`).
 */
import { escapeHtml } from '../html';
import { translator, type Lang } from '../i18n';
import { toBase64 } from '../sign';

export const VERIFY_PAGE_CSS = `
:root{color-scheme:light;--ok:#1b6e2c;--bad:#b3261e;--muted:#5f6368;--line:#d6d6d6}
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2rem auto;max-width:60rem;color:#1a1a1a;line-height:1.5;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.muted{color:var(--muted)}.mono{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
.drop{border:2px dashed #8a8a8a;border-radius:8px;padding:1.5rem;text-align:center;margin:1rem 0;background:#fafafa}
.drop.over{border-color:#b3261e;background:#fff4f2}
.file-button{display:inline-block;position:relative;font-weight:600;border:1px solid #8a8a8a;border-radius:6px;padding:.4rem .9rem;background:#fff;cursor:pointer}
.file-button input{position:absolute;inset:0;width:1px;height:1px;opacity:0;overflow:hidden;clip-path:inset(50%)}
.file-button:has(input:focus-visible),button:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
.lang{float:right}.lang button{margin-left:.25rem;font:inherit;border:1px solid #8a8a8a;border-radius:6px;background:#fff;padding:.15rem .6rem;cursor:pointer}
.lang button[aria-pressed="true"]{background:#1a1a1a;border-color:#1a1a1a;color:#fff}
.verdict{font-size:1.2rem;font-weight:600;padding:.6rem .8rem;border-radius:6px;margin:1rem 0}
.verdict.ok{background:#eef7ef;border:1px solid #b6dcbc;color:var(--ok)}
.verdict.bad{background:#fdecea;border:1px solid #f3b8b3;color:var(--bad)}
table{border-collapse:collapse;width:100%;font-size:.92rem;table-layout:fixed}col.c-label{width:16rem}col.c-mark{width:1.6rem}
td,th{overflow-wrap:anywhere}th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
th{font-weight:600}.mark-ok{color:var(--ok)}.mark-bad{color:var(--bad);font-weight:600}.mark-unchecked{color:#8a5a00}
ul.problems li{color:var(--bad)}.scope{border-top:2px solid #b3261e;margin-top:1.5rem;padding-top:.5rem}
@media (max-width:40rem){col.c-label{width:40%}}
progress{width:100%}.term{white-space:nowrap}.id-part{overflow-wrap:anywhere}
`;

export interface VerifyPageInput {
  /** The bundled verifier (an IIFE); it must not contain `</script` or `<!--`. */
  script: string;
  /** The language the page opens in; the reader can switch. */
  lang: Lang;
  /** The package this page came in, so it can say when another package is checked. */
  name: string;
}

async function cspHash(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${toBase64(new Uint8Array(digest))}'`;
}

export async function renderVerifyPage(input: VerifyPageInput): Promise<string> {
  if (/<\/script|<!--/i.test(input.script))
    throw new Error('the verifier script contains </script or <!--, which would end it early');
  const t = translator(input.lang);
  const en = translator('en');
  const csp = [
    "default-src 'none'",
    // WebAssembly (hash-wasm's SHA-256 for event lines) may be compiled, from bytes inside the
    // script above; no script source is added. Browsers without it verify with WebCrypto.
    `script-src ${await cspHash(input.script)} 'wasm-unsafe-eval'`,
    `style-src ${await cspHash(VERIFY_PAGE_CSS)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const lang = input.lang === 'en' ? 'en' : 'zh-CN';
  // Plain concatenation, not the `html` template: a formatter must never touch the script or the
  // style, whose exact bytes the policy above hashes.
  return [
    '<!doctype html>',
    `<html lang="${lang}" data-lang="${escapeHtml(input.lang)}" data-package="${escapeHtml(input.name)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    // Our own constants and base64 only: nothing in it needs escaping.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(t('verifyPageTitle', input.name))}</title>`,
    `<style>${VERIFY_PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<main id="app">',
    `<h1>${escapeHtml(t('verifyPageHeading'))}</h1>`,
    `<noscript><p>${escapeHtml(t('verifyPageNoScript'))}</p><p lang="en">${escapeHtml(en('verifyPageNoScript'))}</p></noscript>`,
    '</main>',
    `<script>${input.script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
