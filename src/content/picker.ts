/**
 * "Point at the chat area": an overlay that outlines the list under the pointer (the list around the
 * row, not the word: `listAround`) with a short instruction; a click chooses it, Escape or the
 * cancel button gives up. Same-origin frames are listened to as well, so a chat in a frame can be
 * chosen too.
 *
 * Like the warning banner it lives in a closed shadow root on a host element of our own whose box is
 * fixed by inline `!important` rules; the overlay lets the pointer through (`pointer-events: none`)
 * except on its instruction bar. While it is up, clicks on the page do nothing else.
 */
import type { Translate } from '../core/i18n';
import { alikeRows, hostOf, listAround, nestedRoots } from '../adapters/generic';

const HOST_STYLE = [
  'all: initial',
  'position: fixed',
  'inset: 0',
  'z-index: 2147483647',
  'display: block',
  'visibility: visible',
  'opacity: 1',
  'pointer-events: none',
  'transform: none',
  'filter: none',
  'clip-path: none',
]
  .map((r) => `${r} !important`)
  .join('; ');

const CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.box { position: fixed; display: none; border: 3px solid #1d4ed8; background: rgba(29, 78, 216, .12);
  border-radius: 6px; box-shadow: 0 0 0 9999px rgba(15, 23, 42, .25); transition: all 60ms ease-out; }
.box.on { display: block; }
.box.chosen { border-color: #15803d; background: rgba(21, 128, 61, .15); }
.tag { position: absolute; left: -3px; top: -26px; background: #1d4ed8; color: #fff; font-size: 12px; line-height: 1;
  padding: 5px 8px; border-radius: 4px 4px 0 0; white-space: nowrap; }
.chosen .tag { background: #15803d; }
.bar { position: fixed; top: 12px; left: 50%; transform: translateX(-50%); pointer-events: auto; display: flex;
  align-items: center; gap: 12px; max-width: calc(100vw - 24px); background: #0f172a; color: #fff; padding: 10px 14px;
  border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.35); font-size: 15px; line-height: 1.4; }
.bar strong { font-weight: 700; }
.hint { color: #cbd5e1; font-size: 13px; }
kbd { font: inherit; font-size: 12px; border: 1px solid #94a3b8; border-radius: 4px; padding: 0 5px; }
button { font: inherit; font-size: 13px; padding: 4px 12px; border-radius: 6px; border: 1px solid #94a3b8;
  background: transparent; color: #fff; cursor: pointer; }
button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
`;

/** Pointer and key events the page must not see while the user is choosing. */
const SWALLOWED = [
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
];
/** How long the chosen area stays outlined before the overlay goes away. */
const DONE_MS = 1200;

export class ChatPicker {
  private host: HTMLElement | null = null;
  private box: HTMLElement | null = null;
  private tag: HTMLElement | null = null;
  private windows: Window[] = [];
  private resolve: ((el: Element | null) => void) | null = null;
  private frame = 0;
  private pending: Element | null = null;

  constructor(
    private readonly t: Translate,
    private readonly doc: Document = document,
  ) {}

  get active(): boolean {
    return this.resolve !== null;
  }

  /** Shows the overlay; resolves with the list the user chose, or null when they cancelled. */
  pick(): Promise<Element | null> {
    if (this.resolve) this.finish(null);
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.render();
      this.listen();
    });
  }

  cancel(): void {
    if (this.resolve) this.finish(null);
  }

  private render(): void {
    const { t, doc } = this;
    this.host = doc.createElement('liveproof-picker');
    this.host.setAttribute('style', HOST_STYLE);
    const root = this.host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = CSS;
    this.box = doc.createElement('div');
    this.box.className = 'box';
    this.tag = doc.createElement('span');
    this.tag.className = 'tag';
    this.box.append(this.tag);

    const bar = doc.createElement('div');
    bar.className = 'bar';
    bar.setAttribute('role', 'dialog');
    bar.setAttribute('aria-label', t('pickerTitle'));
    const title = doc.createElement('strong');
    title.textContent = t('pickerTitle');
    const hint = doc.createElement('span');
    hint.className = 'hint';
    const [before, after] = t('pickerEscHint').split('Esc');
    const kbd = doc.createElement('kbd');
    kbd.textContent = 'Esc';
    hint.append(before ?? '', ...(after !== undefined ? [kbd, after] : []));
    const cancel = doc.createElement('button');
    cancel.type = 'button';
    cancel.textContent = t('pickerCancel');
    cancel.addEventListener('click', () => this.finish(null));
    bar.append(title, hint, cancel);
    root.append(style, this.box, bar);
    doc.documentElement.append(this.host);
  }

  /** The top window and every same-origin frame: events in a frame never reach the top. */
  private listen(): void {
    const top = this.doc.defaultView;
    if (!top) return;
    const frames = nestedRoots(this.doc)
      .filter((r): r is Document => r.nodeType === 9)
      .map((d) => d.defaultView)
      .filter((w): w is Window & typeof globalThis => !!w);
    this.windows = [top, ...frames];
    for (const w of this.windows) {
      w.addEventListener('mousemove', this.onMove, true);
      w.addEventListener('keydown', this.onKey, true);
      for (const type of SWALLOWED) w.addEventListener(type, this.onPress, true);
    }
  }

  private unlisten(): void {
    for (const w of this.windows) {
      w.removeEventListener('mousemove', this.onMove, true);
      w.removeEventListener('keydown', this.onKey, true);
      for (const type of SWALLOWED) w.removeEventListener(type, this.onPress, true);
    }
    this.windows = [];
  }

  /** The page element an event is about; null for our own overlay. */
  private targetOf(e: Event): Element | null {
    const path = e.composedPath();
    if (this.host && path.includes(this.host)) return null;
    const first = path[0] as Node | undefined;
    if (!first) return null;
    const el = first.nodeType === 1 ? (first as Element) : first.parentElement;
    if (!el || el === el.ownerDocument.documentElement || el === el.ownerDocument.body) return null;
    return el;
  }

  private readonly onMove = (e: Event) => {
    const el = this.targetOf(e);
    if (!el || el === this.pending) return;
    this.pending = el;
    if (this.frame) return;
    const win = this.doc.defaultView;
    const draw = () => {
      this.frame = 0;
      if (this.pending && this.resolve) this.highlight(listAround(this.pending));
    };
    if (win?.requestAnimationFrame) this.frame = win.requestAnimationFrame(draw);
    else draw();
  };

  private readonly onPress = (e: Event) => {
    const el = this.targetOf(e);
    if (!el) return; // our own bar: its button works as usual
    e.preventDefault();
    e.stopImmediatePropagation();
    if (e.type !== 'click') return;
    const list = listAround(el);
    this.highlight(list, true);
    this.finish(list);
  };

  private readonly onKey = (e: Event) => {
    if ((e as KeyboardEvent).key !== 'Escape') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    this.finish(null);
  };

  private highlight(el: Element, chosen = false): void {
    if (!this.box || !this.tag) return;
    const r = rectOnTop(el, this.doc);
    Object.assign(this.box.style, {
      left: `${r.left}px`,
      top: `${r.top}px`,
      width: `${r.width}px`,
      height: `${r.height}px`,
    });
    this.box.className = chosen ? 'box on chosen' : 'box on';
    const rows = alikeRows(el);
    this.tag.textContent = chosen
      ? this.t('pickerChosen')
      : rows > 1
        ? this.t('pickerRows', rows)
        : this.t('pickerThis');
  }

  private finish(el: Element | null): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.unlisten();
    if (this.frame) this.doc.defaultView?.cancelAnimationFrame?.(this.frame);
    this.frame = 0;
    this.pending = null;
    const host = this.host;
    this.host = null;
    this.box = null;
    this.tag = null;
    // The chosen area stays outlined a moment, so the user sees what was taken.
    if (el && host) setTimeout(() => host.remove(), DONE_MS);
    else host?.remove();
    resolve?.(el);
  }
}

/** Where `el` is in the top window's viewport, through the frames it is in. */
function rectOnTop(el: Element, top: Document): { left: number; top: number; width: number; height: number } {
  const r = el.getBoundingClientRect();
  let left = r.left;
  let y = r.top;
  for (let doc = el.ownerDocument; doc !== top;) {
    const frame = hostOf(doc);
    if (!frame) break;
    const f = frame.getBoundingClientRect();
    left += f.left + frame.clientLeft;
    y += f.top + frame.clientTop;
    doc = frame.ownerDocument;
  }
  return { left, top: y, width: r.width, height: r.height };
}
