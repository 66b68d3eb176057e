/**
 * The script inside verify.html (bundled into one IIFE at build time, see ./bundle.ts). It lets the
 * receiver pick the package's ZIP, verifies it with the same core verifier as the CLI and the locker,
 * and shows the findings in Chinese or English. Everything is built with DOM calls and textContent:
 * nothing from the package is ever parsed as HTML.
 */
import {
  checkToken,
  describeFindings,
  verifyPackage,
  type Findings,
  type FindingRow,
  type VerifyReport,
} from '../../core/package';
import { translator, type Lang } from '../../core/i18n';
import { splitTerms } from '../../core/terms';

const root = document.documentElement;
const app = document.getElementById('app')!;
const expectedName = root.dataset.package ?? '';
let lang: Lang = root.dataset.lang === 'en' ? 'en' : 'zh_CN';
let t = translator(lang);

type State =
  | { kind: 'idle' }
  | { kind: 'working'; file: string; done: number; total: number }
  | { kind: 'done'; file: string; report: VerifyReport }
  | { kind: 'failed'; file: string; message: string };
let state: State = { kind: 'idle' };

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | null)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

/**
 * A text whose terms ("SHA-256") are kept on one line and whose ids are never broken at a hyphen (see
 * core/terms.ts); its text content is the text as it is.
 */
function termed(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const part of splitTerms(text))
    out.append(
      part.kind === 'text'
        ? part.text
        : el('span', { class: part.kind === 'term' ? 'term' : 'id-part', text: part.text }),
    );
  return out;
}

const MARK: Record<FindingRow['mark'], string> = { ok: '✓', bad: '✗', unchecked: '?', info: '' };

/** One table, so that the facts, the sessions and the time-stamps line up in the same columns. */
function findingsTable(groups: readonly (readonly FindingRow[])[]): HTMLTableElement {
  const testids = ['facts', 'sessions', 'timestamps'];
  return el(
    'table',
    {},
    el('colgroup', {}, el('col', { class: 'c-label' }), el('col', { class: 'c-mark' }), el('col', {})),
    ...groups.map((rows, i) =>
      el(
        'tbody',
        { attrs: { 'data-testid': testids[i]! } },
        ...rows.map((r) =>
          el(
            'tr',
            { attrs: { 'data-mark': r.mark } },
            el('th', { attrs: { scope: 'row' } }, termed(r.label)),
            el('td', { class: `mark-${r.mark}`, text: MARK[r.mark] }),
            el('td', { class: r.mono ? 'mono' : '' }, termed(r.value)),
          ),
        ),
      ),
    ),
  );
}

function findingsView(file: string, report: VerifyReport): HTMLElement {
  const f: Findings = describeFindings(report, t);
  const stamps: FindingRow[] = f.timestamps.length
    ? f.timestamps
    : [{ label: t('verifyRowTimestamps'), value: t('verifyTimestampsNone'), mark: 'info' }];
  return el(
    'section',
    { attrs: { id: 'result', 'data-ok': String(f.ok), 'data-testid': 'result' } },
    el('p', { class: `verdict ${f.ok ? 'ok' : 'bad'}`, attrs: { role: 'status' } }, termed(f.verdict)),
    el('p', { class: 'muted' }, termed(file)),
    report.name && expectedName && report.name !== expectedName
      ? el('p', { class: 'muted' }, termed(t('verifyPageOtherPackage', report.name, expectedName)))
      : null,
    f.rows.length ? findingsTable(report.name ? [f.rows, f.sessions, stamps] : [f.rows]) : null,
    f.problems.length
      ? el(
          'div',
          {},
          el('h2', { text: t('verifyProblemsHeading') }),
          el('ul', { class: 'problems' }, ...f.problems.slice(0, 50).map((p) => el('li', {}, termed(p)))),
          f.problems.length > 50 ? el('p', { text: t('verifyMoreProblems', f.problems.length - 50) }) : null,
        )
      : null,
    scope(),
  );
}

function scope(): HTMLElement {
  return el(
    'div',
    { class: 'scope', attrs: { 'data-testid': 'scope' } },
    el('p', { text: t('verifyProves') }),
    el('p', { text: t('verifyDoesNotProve') }),
    el('p', { class: 'muted', text: t('verifyPageSelfNote') }),
  );
}

async function verify(file: File): Promise<void> {
  state = { kind: 'working', file: file.name, done: 0, total: file.size };
  render();
  let last = 0;
  try {
    const report = await verifyPackage(file, {
      checkToken,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        state = { kind: 'working', file: file.name, done, total };
        render();
      },
    });
    state = { kind: 'done', file: file.name, report };
  } catch (err) {
    state = { kind: 'failed', file: file.name, message: err instanceof Error ? err.message : String(err) };
  }
  render();
}

function picker(): HTMLElement {
  const input = el('input', {
    attrs: { type: 'file', accept: '.zip,application/zip', 'data-testid': 'file', id: 'file' },
  });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void verify(file);
  });
  // The label is the button: the browser's own file button and its "no file chosen" speak the
  // browser's language, not the page's (the input stays focusable, out of sight; see the page's CSS).
  const zone = el(
    'div',
    { class: 'drop' },
    el('label', { class: 'file-button', text: t('verifyPagePick') }, input),
    el('p', { class: 'muted', text: t('verifyPageDrop') }),
  );
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void verify(file);
  });
  return zone;
}

function languageSwitch(): HTMLElement {
  const button = (to: Lang, label: string) => {
    const b = el('button', { text: label, attrs: { type: 'button', lang: to === 'en' ? 'en' : 'zh-CN' } });
    b.setAttribute('aria-pressed', String(lang === to));
    b.addEventListener('click', () => {
      lang = to;
      t = translator(lang);
      render();
    });
    return b;
  };
  return el(
    'div',
    { class: 'lang', attrs: { role: 'group', 'aria-label': t('verifyPageLanguage') } },
    button('zh_CN', '中文'),
    button('en', 'English'),
  );
}

function render(): void {
  root.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = t('verifyPageTitle', expectedName);
  const body: (Node | null)[] = [
    languageSwitch(),
    el('h1', { text: t('verifyPageHeading') }),
    el('p', {}, termed(t('verifyPageIntro', expectedName || 'liveproof'))),
    picker(),
  ];
  if (state.kind === 'working') {
    body.push(
      el('p', { attrs: { role: 'status' } }, termed(t('verifyPageWorking', state.file))),
      el('progress', { attrs: { max: String(state.total || 1), value: String(state.done) } }),
    );
  } else if (state.kind === 'done') body.push(findingsView(state.file, state.report));
  else if (state.kind === 'failed')
    body.push(
      el(
        'p',
        { class: 'verdict bad', attrs: { role: 'alert' } },
        termed(t('verifyPageFailed', state.message)),
      ),
    );
  else body.push(scope());
  app.replaceChildren(...body.filter((n): n is Node => n !== null));
}

render();
