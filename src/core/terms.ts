/**
 * Terms that must not be broken across lines. Browsers may break a line after a hyphen, so a verdict
 * or paragraph could end with "SHA-" and start the next line with "256". Pages keep such a term on one
 * line by wrapping it (a span with `white-space: nowrap`, class `term`); its text stays as it is, so a
 * reader who copies or searches for "SHA-256" finds it.
 */
const TERMS = /SHA-256/g;

/** `text` cut into pieces, each either a term to keep on one line or the text around it. */
export function splitTerms(text: string): { text: string; term: boolean }[] {
  const parts: { text: string; term: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(TERMS)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index), term: false });
    parts.push({ text: m[0], term: true });
    at = m.index + m[0].length;
  }
  if (at < text.length || !parts.length) parts.push({ text: text.slice(at), term: false });
  return parts;
}
