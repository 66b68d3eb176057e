import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation. The one canonical JSON of the project:
 * every hash over structured data is taken over this string's UTF-8 bytes.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Replaces lone UTF-16 surrogates (which JCS rejects) with U+FFFD, so hostile page text can be sealed. */
export function wellFormed(text: string): string {
  // Most text has no surrogate at all (no emoji): nothing to look at more closely, nothing copied.
  if (!SURROGATE.test(text)) return text;
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * The first `max` UTF-16 units of `text`, well-formed: a cut never leaves half of a surrogate pair
 * (an emoji split at the limit), which canonical JSON would refuse.
 */
export function clipText(text: string, max: number): string {
  let out = text.length > max ? text.slice(0, max) : text;
  if (text.length > max && /[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return wellFormed(out);
}

/** `value` with every string in it made well-formed (lone surrogates become U+FFFD). */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map((v) => wellFormedDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = wellFormedDeep(v);
    return out as T;
  }
  return value;
}

/**
 * The same string as `canonicalJson` for a value already known to canonicalise — a sealed event read
 * back (its strings are well-formed, its numbers finite: sealing would have refused anything else) —
 * several times faster, for writing 100,000 lines of events.jsonl. Keys sort by UTF-16 code units
 * and primitives are written as `JSON.stringify` writes them, as RFC 8785 specifies.
 */
export function canonicalJsonOfSealed(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJsonOfSealed(v))).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  // Sealed objects are mostly written in one key order: sort only when it is not already sorted.
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  let out = '';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out +=
      (out ? ',' : '') +
      quotedKey(k) +
      ':' +
      (typeof v === 'string' ? JSON.stringify(v) : canonicalJsonOfSealed(v));
  }
  return '{' + out + '}';
}

/** Keys repeat on every line (`data`, `hash`, `seq`…): each is quoted once. */
const QUOTED_KEYS = new Map<string, string>();
function quotedKey(key: string): string {
  let q = QUOTED_KEYS.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (QUOTED_KEYS.size < 1024) QUOTED_KEYS.set(key, q);
  }
  return q;
}
