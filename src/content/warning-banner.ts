/**
 * The in-page warning: a closed shadow root on a host element of our own, so the page can neither
 * read nor restyle what is inside; the host's own box is fixed with inline `!important` rules,
 * which beat any style sheet of the page, and it is put back if the page removes it.
 *
 * It says what was said, by whom, why it is risky and that it was saved; it can be dismissed, and
 * after `COLLAPSE_MS` it shrinks to a small pill in the corner so it never covers the buy button for
 * long. Text comes from `_locales` in the shopper's language.
 */
import type { Translate } from '../core/i18n';
import type { PageWarning } from '../core/protocol';

/** A warning as the background sends it to the page. */
export type Warning = PageWarning;

/** What the banner says about preservation itself (not a warning about the stream). */
export type PreservationNotice = 'storage-full' | 'storage-resumed';

export const COLLAPSE_MS = 12_000;
const MAX_SHOWN = 3;
/**
 * Warnings that come in quick succession are drawn together, at most this often: the first at once,
 * a flood (a room where every twentieth message pushes WeChat) twice a second, which is as fast as
 * anyone reads a card and spares the page a drawing per warning.
 */
export const REDRAW_MS = 500;

const HOST_STYLE = [
  'all: initial',
  'position: fixed',
  'top: 12px',
  'right: 12px',
  'z-index: 2147483647',
  'display: block',
  'visibility: visible',
  'opacity: 1',
  'pointer-events: auto',
  'width: auto',
  'height: auto',
  'transform: none',
  'filter: none',
  'clip-path: none',
]
  .map((r) => `${r} !important`)
  .join('; ');

const CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.card { width: min(380px, calc(100vw - 24px)); background: #fff8e6; color: #1f1a12; border: 2px solid #b42318;
  border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.25); padding: 12px 14px; font-size: 14px; line-height: 1.5; }
.title { font-weight: 700; color: #b42318; font-size: 15px; margin: 0 0 6px; }
.said { margin: 4px 0; }
blockquote { margin: 4px 0 8px; padding: 6px 8px; background: #fff; border-left: 4px solid #b42318; word-break: break-word;
  max-height: 6em; overflow: auto; }
.why, .saved { margin: 6px 0 0; font-size: 13px; }
.saved { color: #205c2f; }
.row { display: flex; justify-content: flex-end; margin-top: 8px; }
button { font: inherit; font-size: 14px; padding: 6px 14px; border-radius: 6px; border: 1px solid #b42318; background: #b42318;
  color: #fff; cursor: pointer; }
button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.notice.above { margin: 0 0 8px; padding: 0 0 8px; border-bottom: 1px solid #e4c9a0; }
.notice.full .title { color: #8f1c13; }
.notice.ok .title { color: #205c2f; }
.notice p { margin: 4px 0 0; }
.pill { background: #b42318; color: #fff; border: none; border-radius: 999px; padding: 6px 12px; font-weight: 700; }
`;

export class WarningBanner {
  private host: HTMLElement | null = null;
  private root: ShadowRoot | null = null;
  private shown: Warning[] = [];
  private notice: PreservationNotice | null = null;
  private total = 0;
  private collapseTimer: ReturnType<typeof setTimeout> | null = null;
  private guard: MutationObserver | null = null;
  private box: HTMLElement | null = null;
  /** The card as last drawn: kept, and only what changed is put in or taken out of it. */
  private card: HTMLElement | null = null;
  /** The alert region's label as last set (setting it again costs the page a style pass). */
  private label = '';
  private noticePart: { key: string; node: HTMLElement } | null = null;
  private redrawTimer: ReturnType<typeof setTimeout> | null = null;
  private redrawWanted = false;
  /** Each shown warning's parts as last drawn, with the words they were drawn with. */
  private readonly parts = new WeakMap<Warning, { key: string; nodes: HTMLElement[] }>();
  private end: { key: string; nodes: HTMLElement[] } | null = null;
  /** When the card was last drawn (`Date.now()`). */
  private drawnAt = -Infinity;
  /** When the card is to shrink to the pill, while `collapsing`. */
  private collapseAt = 0;
  /** `collapseTimer` is the one `collapseLater` set (not a notice's). */
  private collapsing = false;

  constructor(
    private readonly t: Translate,
    private readonly doc: Document = document,
  ) {}

  /** Shows a new warning at the top of the card, expanded. */
  show(w: Warning): void {
    this.total++;
    this.shown = [w, ...this.shown].slice(0, MAX_SHOWN);
    this.ensureHost();
    this.drawCard();
    this.collapseLater();
  }

  /**
   * Shrinks the card to the pill `COLLAPSE_MS` after the latest warning. Warnings come on the
   * page's main thread, a busy room's several a second: the one timer is moved on when it fires
   * early rather than replaced on every warning.
   */
  private collapseLater(): void {
    this.collapseAt = Date.now() + COLLAPSE_MS;
    if (this.collapseTimer && this.collapsing) return;
    if (this.collapseTimer) clearTimeout(this.collapseTimer);
    this.collapsing = true;
    const due = () => {
      const left = this.collapseAt - Date.now();
      if (left > 0) {
        this.collapseTimer = setTimeout(due, left);
        return;
      }
      this.collapseTimer = null;
      this.collapsing = false;
      this.renderPill();
    };
    this.collapseTimer = setTimeout(due, COLLAPSE_MS);
  }

  /** Draws the card now, or once the last drawing is `REDRAW_MS` old (a burst is drawn once). */
  private drawCard(): void {
    if (this.redrawTimer) {
      this.redrawWanted = true;
      return;
    }
    const since = Date.now() - this.drawnAt;
    if (since < REDRAW_MS && since >= 0) {
      this.redrawWanted = true;
      this.redrawTimer = setTimeout(() => this.redrawDue(), REDRAW_MS - since);
      return;
    }
    this.renderCard();
    this.drawnAt = Date.now();
  }

  private redrawDue(): void {
    this.redrawTimer = null;
    if (!this.redrawWanted) return;
    this.redrawWanted = false;
    if (this.host) this.drawCard();
  }

  /**
   * Says that preservation stopped (the disk is nearly full) or goes on again. A stop stays until
   * it is dismissed or preservation resumes; "resumed" goes away by itself.
   */
  showNotice(notice: PreservationNotice): void {
    this.notice = notice;
    this.ensureHost();
    this.renderCard();
    if (this.collapseTimer) clearTimeout(this.collapseTimer);
    this.collapseTimer = null;
    this.collapsing = false;
    if (notice === 'storage-resumed')
      this.collapseTimer = setTimeout(() => {
        this.notice = null;
        if (this.shown.length) this.renderPill();
        else this.dismiss();
      }, COLLAPSE_MS);
  }

  dismiss(): void {
    if (this.collapseTimer) clearTimeout(this.collapseTimer);
    this.collapseTimer = null;
    this.collapsing = false;
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = null;
    this.redrawWanted = false;
    this.box = null;
    this.card = null;
    this.label = '';
    this.guard?.disconnect();
    this.guard = null;
    this.host?.remove();
    this.host = null;
    this.root = null;
    this.shown = [];
    this.notice = null;
  }

  private ensureHost(): void {
    if (this.host?.isConnected) return;
    if (!this.host) {
      this.host = this.doc.createElement('liveproof-warning');
      this.root = this.host.attachShadow({ mode: 'closed' });
    }
    this.host.setAttribute('style', HOST_STYLE);
    this.doc.documentElement.append(this.host);
    // The page may take the banner away or restyle its host: put it back as it was.
    this.guard?.disconnect();
    this.guard = new MutationObserver(() => {
      if (!this.host) return;
      if (!this.host.isConnected) this.doc.documentElement.append(this.host);
      if (this.host.getAttribute('style') !== HOST_STYLE) this.host.setAttribute('style', HOST_STYLE);
    });
    this.guard.observe(this.doc.documentElement, { childList: true });
    this.guard.observe(this.host, { attributes: true });
  }

  private el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    cls?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] {
    const e = this.doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** The style sheet and the alert region, made once; the region's label follows the language. */
  private frame(): HTMLElement {
    const label = this.t('warnLabel');
    if (this.box) {
      // The language may have changed since (the setting is followed without a reload).
      if (label !== this.label) this.box.setAttribute('aria-label', (this.label = label));
      return this.box;
    }
    const root = this.root!;
    const style = this.el('style');
    style.textContent = CSS;
    const box = this.el('div');
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-label', (this.label = label));
    root.replaceChildren(style, box);
    return (this.box = box);
  }

  /**
   * Draws the card. Warnings come on the page's main thread, several a second in a busy room: the
   * card and each warning's parts are kept, and a drawing only puts in what is new and takes out
   * what is no longer shown.
   */
  private renderCard(): void {
    const box = this.frame();
    const want: HTMLElement[] = [];
    const notice = this.noticeNode();
    if (notice) want.push(notice);
    for (const w of this.shown) want.push(...this.warningParts(w));
    want.push(...this.cardEnd());
    const card = this.card;
    if (card && card.parentNode === box && box.childNodes.length === 1) syncChildren(card, want);
    else {
      const fresh = (this.card ??= this.el('div', 'card'));
      fresh.replaceChildren(...want);
      box.replaceChildren(fresh);
    }
  }

  /** What the card says about preservation itself, above the warnings; made again only when its words change. */
  private noticeNode(): HTMLElement | null {
    if (!this.notice) return null;
    const { t } = this;
    const full = this.notice === 'storage-full';
    const cls = `notice ${full ? 'full' : 'ok'}${this.shown.length ? ' above' : ''}`;
    const title = (full ? '⚠ ' : '✓ ') + t(full ? 'bannerStorageFullTitle' : 'bannerStorageResumedTitle');
    const body = t(full ? 'bannerStorageFullText' : 'bannerStorageResumedText');
    const key = `${this.notice}\n${cls}\n${title}\n${body}`;
    if (this.noticePart?.key === key) return this.noticePart.node;
    const part = this.el('div', cls);
    part.setAttribute('data-notice', this.notice);
    part.append(this.el('p', 'title', title), this.el('p', undefined, body));
    this.noticePart = { key, node: part };
    return part;
  }

  /**
   * A shown warning's title, who said it and what, made when it is first drawn and put into each
   * later drawing as they are (a busy room's warnings come several a second, on the page's thread).
   */
  private warningParts(w: Warning): HTMLElement[] {
    const { t } = this;
    const title =
      '⚠ ' +
      (w.category === 'price-trap'
        ? t('warnTitlePriceTrap')
        : w.tier === 'flag'
          ? t('warnTitleOffPlatformHint')
          : t('warnTitleOffPlatform'));
    const said = w.author ? (w.host ? t('warnSaidByHost', w.author) : t('warnSaid', w.author)) : null;
    // The words depend on the language, which may have changed since the last drawing.
    const key = `${title}\n${said ?? ''}`;
    const made = this.parts.get(w);
    if (made?.key === key) return made.nodes;
    const nodes: HTMLElement[] = [this.el('p', 'title', title)];
    if (said !== null) nodes.push(this.el('p', 'said', said));
    nodes.push(this.el('blockquote', undefined, w.text));
    this.parts.set(w, { key, nodes });
    return nodes;
  }

  /** Why the latest warning matters, that it was saved, and the button; made again only when the words change. */
  private cardEnd(): HTMLElement[] {
    const { t } = this;
    const latest = this.shown[0];
    const why = latest
      ? [latest.category === 'price-trap' ? t('warnWhyPriceTrap') : t('warnWhyOffPlatform'), t('warnSaved')]
      : [];
    const button = latest ? t('warnDismiss') : t('bannerClose');
    const key = [...why, button].join('\n');
    if (this.end?.key === key) return this.end.nodes;
    const nodes: HTMLElement[] = [];
    if (why.length) nodes.push(this.el('p', 'why', why[0]), this.el('p', 'saved', why[1]));
    const row = this.el('div', 'row');
    const ok = this.el('button', undefined, button);
    ok.type = 'button';
    ok.addEventListener('click', () => this.dismiss());
    row.append(ok);
    nodes.push(row);
    this.end = { key, nodes };
    return nodes;
  }

  private renderPill(): void {
    if (!this.root) return;
    const box = this.frame();
    box.replaceChildren();
    const pill = this.el('button', 'pill', '⚠ ' + this.t('warnCollapsed', this.total));
    pill.type = 'button';
    pill.addEventListener('click', () => {
      this.drawCard();
      this.collapseLater();
    });
    box.append(pill);
  }
}

/**
 * Makes `parent`'s children exactly `want`, in order, touching only what differs: what is no longer
 * wanted is taken out, what is new (or out of place) is put in before the first child that follows.
 */
function syncChildren(parent: Element, want: readonly Node[]): void {
  const keep = new Set<Node>(want);
  for (let n = parent.firstChild; n;) {
    const next = n.nextSibling;
    if (!keep.has(n)) n.remove();
    n = next;
  }
  let at = parent.firstChild;
  for (const node of want) {
    if (node === at) at = at.nextSibling;
    else parent.insertBefore(node, at);
  }
}
