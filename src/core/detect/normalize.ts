/**
 * Text normalisation before matching, in the order of domain.md §1.4, with an offset map back to the
 * original so every finding can be highlighted in the text the user saw.
 *
 * Three layers:
 * - `fold`: steps 1–5 (NFKC, invisible characters, dingbat digits, lower case, emoji aliases);
 *   per message, cached by the session so split messages can be joined without redoing it;
 * - `refine`: steps 6–7 (look-alikes and homophones behind a whitelist; numerals inside digit runs);
 *   `normalize()` returns fold + refine;
 * - `skeleton`: step 8, separators removed, where value and Chinese cue rules run.
 */
import {
  DIGIT_WORDS,
  DINGBATS,
  EMOJI_ALIASES,
  INVISIBLE,
  LOOKALIKES,
  LOOKALIKE_WHITELIST,
  NUMERAL_DIGITS,
} from './tables';

/** Text plus, for each UTF-16 unit, the original range [start, end) it came from. */
export interface Layer {
  text: string;
  start: number[];
  end: number[];
}

/** A layer derived from another keeps, per unit, the unit of its parent it came from. */
export interface Skeleton extends Layer {
  /** skeleton unit i came from parent-layer unit `src[i]`. */
  src: number[];
}

const MARK = /\p{M}/u;

function isInvisible(cp: number): boolean {
  return INVISIBLE.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/**
 * Steps 1–5 of §1.4, one grapheme-ish cluster (a code point and its combining marks) at a time, so
 * that each output unit knows which original cluster it came from.
 */
export function fold(original: string): Layer {
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  const n = original.length;
  let i = 0;
  while (i < n) {
    const cp = original.codePointAt(i)!;
    // Fast path: ASCII and the main CJK block are NFKC-stable (unless a mark follows, as in 1️⃣).
    const follows = original.charCodeAt(i + 1);
    const markNext =
      (follows >= 0x300 && follows <= 0x36f) ||
      (follows >= 0x20d0 && follows <= 0x20ff) ||
      (follows >= 0xfe00 && follows <= 0xfe0f);
    if (cp < 0x80 && !markNext) {
      text += cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : original[i];
      start.push(i);
      end.push(i + 1);
      i++;
      continue;
    }
    if (cp >= 0x4e00 && cp <= 0x9fff && !markNext) {
      text += original[i];
      start.push(i);
      end.push(i + 1);
      i++;
      continue;
    }
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < n) {
      const next = original.codePointAt(j)!;
      if (!MARK.test(String.fromCodePoint(next))) break;
      j += next > 0xffff ? 2 : 1;
    }
    let out: string;
    if (isInvisible(cp)) {
      out = '';
    } else {
      const table = DINGBATS.get(cp) ?? EMOJI_ALIASES.get(cp);
      if (table !== undefined) out = table;
      else {
        out = '';
        for (const ch of original.slice(i, j).normalize('NFKC')) {
          const c = ch.codePointAt(0)!;
          if (!isInvisible(c)) out += ch;
        }
        out = out.toLowerCase();
      }
    }
    for (let k = 0; k < out.length; k++) {
      start.push(i);
      end.push(j);
    }
    text += out;
    i = j;
  }
  return { text, start, end };
}

/**
 * Rebuilds a layer with some spans replaced. Each replacement's units map onto the replaced span:
 * the first unit to its first unit, the last to its last, the rest spread in between.
 */
function rewrite(layer: Layer, edits: Array<{ s: number; e: number; to: string }>): Layer {
  if (edits.length === 0) return layer;
  edits.sort((a, b) => a.s - b.s);
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  let at = 0;
  for (const { s, e, to } of edits) {
    if (s < at) continue; // overlapping edit: the earlier one wins
    text += layer.text.slice(at, s);
    for (let k = at; k < s; k++) {
      start.push(layer.start[k]!);
      end.push(layer.end[k]!);
    }
    const span = e - s;
    for (let k = 0; k < to.length; k++) {
      const from = to.length === 1 ? s : s + Math.round((k * (span - 1)) / (to.length - 1));
      start.push(layer.start[from]!);
      end.push(layer.end[from]!);
    }
    text += to;
    at = e;
  }
  text += layer.text.slice(at);
  for (let k = at; k < layer.text.length; k++) {
    start.push(layer.start[k]!);
    end.push(layer.end[k]!);
  }
  return { text, start, end };
}

/** Replaces single units in place (the numeral and look-alike digit mappings are one unit to one). */
function substitute(layer: Layer, changes: Map<number, string>): Layer {
  if (changes.size === 0) return layer;
  const units = layer.text.split('');
  for (const [k, ch] of changes) units[k] = ch;
  return { text: units.join(''), start: layer.start, end: layer.end };
}

// Cheap guards so that most chat lines skip the regex passes of steps 6–7 entirely.
const LOOKALIKE_HINT = /[威薇徽维溦嶶矀微伩卫扣抠蔻寇叩企纸飞电绿vwtgx]/;
const NUMERAL_HINT = /[零〇一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖幺两兩洞拐勾]/;
const DIGIT_WORD_HINT = /(?:zero|one|two|three|four|five|six|seven|eight|nine)/;
const LOOKALIKE_DIGIT_HINT = /\d[lio|]|[lio|]\d/;

const NUM_CHARS = '0-9零〇一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖幺两兩洞拐勾';
const RUN_SEP = '[\\s\\-.·_,，、/|]';
/** Five or more numeral tokens, separators allowed between them (§1.3: "only inside digit-like runs"). */
const NUMERAL_RUN = new RegExp(`[${NUM_CHARS}](?:${RUN_SEP}*[${NUM_CHARS}]){4,}`, 'g');
const WORD_ALT = 'zero|oh|one|two|three|four|five|six|seven|eight|nine';
const DIGIT_WORD_RUN = new RegExp(
  `\\b(?:${WORD_ALT}|\\d+)\\b(?:[\\s,.\\-]+(?:${WORD_ALT}|\\d+)\\b){4,}`,
  'g',
);
const DIGIT_WORD = new RegExp(`\\b(?:${WORD_ALT})\\b`, 'g');
/** A token of digits and digit look-alikes (l, i, | for 1; o for 0) standing on its own. */
const LOOKALIKE_DIGIT_TOKEN = /(?<![a-z])[0-9lio|]{6,}(?![a-z])/g;

/** Steps 6–7 of §1.4 on a folded layer. */
export function refine(folded: Layer): Layer {
  let layer = folded;

  // 6. Look-alikes and homophones, with the whitelist masked first (安徽信息, 威信县 …).
  if (LOOKALIKE_HINT.test(layer.text)) {
    const masked: Array<[number, number]> = [];
    for (const re of LOOKALIKE_WHITELIST) {
      re.lastIndex = 0;
      for (let m = re.exec(layer.text); m; m = re.exec(layer.text))
        masked.push([m.index, m.index + m[0].length]);
    }
    const edits: Array<{ s: number; e: number; to: string }> = [];
    for (const [re, to] of LOOKALIKES) {
      re.lastIndex = 0;
      for (let m = re.exec(layer.text); m; m = re.exec(layer.text)) {
        const s = m.index;
        const e = s + m[0].length;
        if (m[0] === to) continue;
        if (masked.some(([a, b]) => s < b && e > a)) continue;
        edits.push({ s, e, to });
      }
    }
    layer = rewrite(layer, edits);
  }

  // 7a. Chinese and financial numerals, only inside runs of five or more numeral tokens.
  if (NUMERAL_HINT.test(layer.text)) {
    const changes = new Map<number, string>();
    NUMERAL_RUN.lastIndex = 0;
    for (let m = NUMERAL_RUN.exec(layer.text); m; m = NUMERAL_RUN.exec(layer.text)) {
      for (let k = 0; k < m[0].length; k++) {
        const d = NUMERAL_DIGITS.get(m[0][k]!);
        if (d !== undefined) changes.set(m.index + k, d);
      }
    }
    layer = substitute(layer, changes);
  }

  // 7b. Spelled-out English digits, only inside runs of five or more digit tokens.
  if (DIGIT_WORD_HINT.test(layer.text)) {
    const edits: Array<{ s: number; e: number; to: string }> = [];
    DIGIT_WORD_RUN.lastIndex = 0;
    for (let m = DIGIT_WORD_RUN.exec(layer.text); m; m = DIGIT_WORD_RUN.exec(layer.text)) {
      DIGIT_WORD.lastIndex = 0;
      for (let w = DIGIT_WORD.exec(m[0]); w; w = DIGIT_WORD.exec(m[0])) {
        const s = m.index + w.index;
        edits.push({ s, e: s + w[0].length, to: DIGIT_WORDS.get(w[0])! });
      }
    }
    layer = rewrite(layer, edits);
  }

  // 7c. Letters that pass for digits (l38l2345678), only in tokens that are mostly digits.
  if (LOOKALIKE_DIGIT_HINT.test(layer.text)) {
    const changes = new Map<number, string>();
    LOOKALIKE_DIGIT_TOKEN.lastIndex = 0;
    for (let m = LOOKALIKE_DIGIT_TOKEN.exec(layer.text); m; m = LOOKALIKE_DIGIT_TOKEN.exec(layer.text)) {
      const letters = m[0].replace(/\d/g, '').length;
      if (letters === 0 || letters > 2 || m[0].length - letters < 5) continue;
      for (let k = 0; k < m[0].length; k++) {
        const ch = m[0][k]!;
        if (ch === 'o') changes.set(m.index + k, '0');
        else if (ch === 'l' || ch === 'i' || ch === '|') changes.set(m.index + k, '1');
      }
    }
    layer = substitute(layer, changes);
  }
  return layer;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string | undefined) =>
  c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
/** What a skeleton keeps: letters and numbers of any script, currency, `+` (as in +V) and `%`. */
const KEEP = /[\p{L}\p{N}¥$€£+%]/u;

/**
 * Step 8: the skeleton without white space, punctuation, symbols or unmapped emoji, so 微 信, 微-信,
 * 1 3 8-1234-5678 close up. Kept where they carry meaning: `-`/`_` inside an ID (meimei-2025, not
 * between two digits), a decimal point (9.9, but not 138.1234.5678), a colon before a letter or digit.
 */
export function skeleton(layer: Layer): Skeleton {
  const t = layer.text;
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  const src: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    let keep: boolean;
    if (c === '-' || c === '_') {
      const a = t[i - 1];
      const b = t[i + 1];
      keep = isAlnum(a) && isAlnum(b) && !(isDigit(a) && isDigit(b));
    } else if (c === '.') {
      // A decimal point: a digit before, one or two digits after and no further digit.
      keep = isDigit(t[i - 1]) && isDigit(t[i + 1]) && !(isDigit(t[i + 2]) && isDigit(t[i + 3]));
    } else if (c === ':') {
      // 20:30, and the colon of 微信:meimei / v:meimei, which the cue rules read as "is".
      keep = isAlnum(t[i + 1]) && i > 0 && !/\s/.test(t[i - 1]!);
    } else {
      const code = c.charCodeAt(0);
      if (code >= 0x4e00 && code <= 0x9fff) keep = true;
      else if (code < 0x80) keep = isAlnum(c) || c === '$' || c === '+' || c === '%';
      else if (code >= 0xd800 && code <= 0xdfff)
        keep = false; // astral: unmapped emoji and the like
      else keep = KEEP.test(c);
    }
    if (!keep) continue;
    text += c;
    start.push(layer.start[i]!);
    end.push(layer.end[i]!);
    src.push(i);
  }
  return { text, start, end, src };
}

/**
 * Normalised text (steps 1–7 of domain.md §1.4) and its offset map: `map[i]` is the offset in the
 * original of the cluster normalised unit i came from. A cluster can be longer than one unit (a
 * surrogate pair, a keycap 1️⃣); `normalizeLayer` also gives each unit's end.
 */
export function normalize(text: string): { text: string; map: number[] } {
  const layer = refine(fold(text));
  return { text: layer.text, map: layer.start };
}

/** Like `normalize`, with both ends: normalised units [i, j) cover original [start[i], end[j - 1]). */
export function normalizeLayer(text: string): Layer {
  return refine(fold(text));
}
