/**
 * One text ready for matching: its normalised layer and skeleton, and the context checks every rule
 * family shares (negation, warnings, questions, exemptions).
 */
import type { Layer, Skeleton } from './normalize';
import { refine, skeleton } from './normalize';

/** A text prepared for the rules. `original` may be several lines joined with '\n' (a split message). */
export interface Prepared {
  original: string;
  norm: Layer;
  skel: Skeleton;
  /** Has Latin letters: English rules and links are skipped without them. */
  latin: boolean;
}

export function prepare(original: string, folded: Layer): Prepared {
  const norm = refine(folded);
  return { original, norm, skel: skeleton(norm), latin: /[a-z]/.test(norm.text) };
}

/** Where a rule matched, in normalised-layer units. */
export interface Span {
  /** [ns, ne) in `norm` units. */
  ns: number;
  ne: number;
}

/** A skeleton match [s, e) as a span of the normalised layer. */
export function fromSkel(p: Prepared, s: number, e: number): Span {
  return { ns: p.skel.src[s]!, ne: p.skel.src[e - 1]! + 1 };
}

/** The original range [from, to) of a span. */
export function originalOf(p: Prepared, span: Span): [number, number] {
  return [p.norm.start[span.ns]!, p.norm.end[span.ne - 1]!];
}

/** Characters that end a clause: negation, questions and kinds do not reach across them. */
const CLAUSE_END = /[，。！？!?,;；\n]/;

/** The clause text just before a span (at most `max` units). */
export function before(p: Prepared, ns: number, max: number): string {
  const t = p.norm.text;
  let i = ns;
  while (i > 0 && ns - i < max && !CLAUSE_END.test(t[i - 1]!)) i--;
  return t.slice(i, ns);
}

/** The clause text just after a span (at most `max` units). */
export function after(p: Prepared, ne: number, max: number): string {
  const t = p.norm.text;
  let i = ne;
  while (i < t.length && i - ne < max && !CLAUSE_END.test(t[i]!)) i++;
  return t.slice(ne, i);
}

/**
 * Phrases that begin like a negation but are not one (别急 "don't worry"), removed before the test
 * so that "别急，私聊我" keeps its hint.
 */
const NOT_NEGATION =
  /别急|不要急|别慌|别走|不要走|别怕|不要怕|别担心|不用担心|别客气|不客气|不要错过|别错过|不是吧/g;
/** A negation or warning word close before the phrase, in the same clause (§1, "negation"). */
const NEGATION_ZH =
  /(?:不要|不用|不需要|不能|不可以|不可|不会|不得|不敢|不是|不支持|不接受|不提供|不在|不搞|不做|不走|别|勿|切勿|请勿|千万别|谨防|谨慎|小心|警惕|提防|严禁|禁止|拒绝|杜绝|防止|避免|没有|并非|绝不|从不|无需|不存在|举报).{0,6}$/;
const NEGATION_EN =
  /\b(?:never|don'?t|do not|doesn'?t|does not|not|no|avoid|beware(?: of)?|won'?t|will not|refuse|stop|without|isn'?t|aren'?t|cannot|can'?t|shouldn'?t|should not|report)\b(?:\W+[\w'&]+){0,5}\W*$/;
/** A warning after the phrase: 私下转账都是骗子, "paying off-app is a scam". */
const WARNING_AFTER_ZH =
  /^.{0,6}?(?:骗子|诈骗|骗局|骗人|假的|陷阱)|^.{0,8}?不受.{0,3}保护|^.{0,6}?(?:有风险|不安全|会被骗|容易被骗|违规|违法|不可信|不靠谱|要小心|需谨慎)/;
const WARNING_AFTER_EN = /^.{0,30}?\b(?:is|are)\s+(?:a\s+|always\s+a\s+)?scams?\b|^\W{0,3}scam/;

/** True when the phrase at `span` is negated or warned against, e.g. 谨防私下转账, "never pay outside". */
export function negated(p: Prepared, span: Span): boolean {
  const pre = before(p, span.ns, 40).replace(NOT_NEGATION, '');
  if (NEGATION_ZH.test(pre.slice(-10)) || NEGATION_EN.test(pre)) return true;
  const post = after(p, span.ne, 30);
  return WARNING_AFTER_ZH.test(post) || WARNING_AFTER_EN.test(post);
}

const QUESTION_AFTER = /^[^，。！!,;；\n]{0,5}?(?:吗|么|嘛|\?|？)/;
const QUESTION_BEFORE = /(?:有没有|是不是|能不能|支不支持|会不会|可不可以|是否|有无).{0,6}$/;
const QUESTION_BEFORE_EN = /\b(?:is|are|does|do|can|will|is it|is this)\b[^.!?]{0,25}$/;

/** True when the phrase is asked about rather than stated: 有运费险吗, 是不是全网最低价. */
export function asked(p: Prepared, span: Span): boolean {
  const post = p.norm.text.slice(span.ne, span.ne + 8);
  if (QUESTION_AFTER.test(post)) return true;
  const pre = before(p, span.ns, 12);
  if (QUESTION_BEFORE.test(pre)) return true;
  return QUESTION_BEFORE_EN.test(pre) && /^[^.!]{0,30}\?/.test(after(p, span.ne, 40));
}

/** Spans of a text matched by exemption patterns (zh on the skeleton, en on the normalised text). */
export function exemptSpans(p: Prepared, zh: RegExp | undefined, en: RegExp | undefined): Span[] {
  const spans: Span[] = [];
  if (zh) for (const m of p.skel.text.matchAll(zh)) spans.push(fromSkel(p, m.index, m.index + m[0].length));
  if (en) for (const m of p.norm.text.matchAll(en)) spans.push({ ns: m.index, ne: m.index + m[0].length });
  return spans;
}

export const overlaps = (a: Span, b: Span) => a.ns < b.ne && a.ne > b.ns;

/**
 * One regex that matches where any of the sources would: a cheap test before running them one by
 * one, as most chat lines match none.
 */
export const anyOfAll = (sources: readonly string[]) => new RegExp(anyOf(sources));

/** Alternation of regex sources, longest first, as a non-capturing group. */
export const anyOf = (sources: readonly string[]) =>
  `(?:${[...sources].sort((a, b) => b.length - a.length).join('|')})`;
