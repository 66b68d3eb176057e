/**
 * Terms and ids that must not be broken at their hyphens. Browsers may break a line after a hyphen,
 * so a verdict or paragraph could end with "SHA-" and start the next line with "256", or a session id
 * `20261128-174012-3f9a2c1b` could read `20261128-174012-` on one line: a reader who copies it by hand
 * cannot tell a line's end from the id's. Pages keep such a term on one line by wrapping it (a span
 * with `white-space: nowrap`, class `term`); its text stays as it is, so a reader who copies or
 * searches for "SHA-256" or the id finds it.
 *
 * An id (letters and digits joined by hyphens, with a digit in it: session ids, package names, dates)
 * can be longer than a phone's line; only its hyphens are kept together with the characters on
 * either side (`…0-0…`, terms), and the rest of it (`id` pieces, class `id-part`: `overflow-wrap:
 * anywhere`) may break between two of its letters or digits where the line cannot hold it whole.
 * So an id stays whole where it fits and never breaks at a hyphen, and the text around it keeps its
 * own rules (no line starts with "。").
 */
const TERMS = /SHA-256|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+/g;

/** A piece of a text: plain, a term to keep on one line, or a piece of an id that may break. */
export interface TermPart {
  text: string;
  kind: 'text' | 'term' | 'id';
}

/** `text` cut into pieces, each a term, a piece of an id between its terms, or the text around them. */
export function splitTerms(text: string): TermPart[] {
  const parts: TermPart[] = [];
  let at = 0;
  const push = (to: number, kind: TermPart['kind']) => {
    const last = parts[parts.length - 1];
    if (to > at && kind === 'text' && last?.kind === 'text') last.text += text.slice(at, to);
    else if (to > at) parts.push({ text: text.slice(at, to), kind });
    at = to;
  };
  for (const m of text.matchAll(TERMS)) {
    const word = m[0];
    push(m.index, 'text');
    if (word === 'SHA-256') push(m.index + word.length, 'term');
    // Hyphenated words without a digit ("time-stamp") may break at their hyphen like any word.
    else if (!/\d/.test(word)) push(m.index + word.length, 'text');
    else {
      // Each hyphen with its neighbours; neighbouring hyphens' pieces run together ("1-2-3").
      let from = -1;
      let to = -1;
      for (let i = word.indexOf('-'); i >= 0; i = word.indexOf('-', i + 1)) {
        const [a, b] = [m.index + i - 1, m.index + i + 2];
        if (a <= to) to = b;
        else {
          if (from >= 0) {
            push(from, 'id');
            push(to, 'term');
          }
          [from, to] = [a, b];
        }
      }
      push(from, 'id');
      push(to, 'term');
      push(m.index + word.length, 'id');
    }
  }
  push(text.length, 'text');
  if (!parts.length) parts.push({ text: '', kind: 'text' });
  return parts;
}
