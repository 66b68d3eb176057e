/**
 * Prices and price traps, domain.md §2.1. Amounts are read on the normalised text with the kind
 * of price in front of (or, for fees and coupons, just after) them: 原价299, 券后三十九块九, 运费99.
 * A price trap is a headline of ¥1 or less with a fee of ¥20 or more, or a fee of ten times a
 * higher headline: the "1分钱 + 999运费" pattern.
 */
import type { Amount, Hit } from './types';
import type { Prepared, Span } from './text';
import { anyOf, asked, before, negated, overlaps } from './text';

/**
 * Kinds of price and the words that announce them (§2.1 "Price types", "Shipping and fees").
 * The kind ids are the `amount.kind` of a price detection.
 */
export const PRICE_KINDS: Readonly<Record<string, { zh: readonly string[]; en: readonly string[] }>> = {
  original: {
    zh: [
      '原价',
      '划线价',
      '日常价',
      '专柜价',
      '市场价',
      '吊牌价',
      '门店价',
      '官网价',
      '零售价',
      '以前卖',
      '平时卖',
      '平时',
      '外面卖',
      '外面',
      '之前',
    ],
    en: ['was', 'originally', 'retail', 'msrp', 'regular price', 'reg', 'compare at'],
  },
  final: {
    zh: [
      '到手价',
      '到手',
      '现价',
      '售价',
      '只要',
      '仅需',
      '仅售',
      '只需',
      '直播间价',
      '专享价',
      '活动价',
      '福利价',
      '宠粉价',
      '特价',
      '现在',
      '只卖',
      '就卖',
      '卖',
      '才',
      '仅',
    ],
    en: ['now', 'only', 'today', 'sale price', 'deal', 'just', 'for'],
  },
  'after-coupon': { zh: ['券后价', '券后', '用券后', '领券后', '用券'], en: ['after coupon', 'with coupon'] },
  'flash-sale': { zh: ['秒杀价', '秒杀', '限时价', '抢购价'], en: ['flash sale', 'flash deal'] },
  cost: { zh: ['工厂价', '出厂价', '成本价', '批发价'], en: ['factory price', 'wholesale'] },
  coupon: { zh: ['无门槛券', '优惠券', '领券', '券'], en: ['coupon'] },
  discount: { zh: ['立减', '直降', '优惠', '便宜', '省'], en: ['off', 'save'] },
  shipping: {
    zh: ['补运费', '运费', '邮费', '快递费', '邮资', '补邮'],
    en: ['shipping', 'postage', 'delivery fee', 'delivery'],
  },
  fee: {
    zh: ['手续费', '服务费', '包装费', '保证金', '工本费', '激活费', '安装费', '配送费'],
    en: ['fees', 'fee', 'handling'],
  },
  deposit: { zh: ['定金', '订金', '押金'], en: ['deposit'] },
  balance: { zh: ['尾款'], en: [] },
  price: { zh: ['价格', '价钱', '单价', '一件', '每件'], en: ['price', 'priced at', 'costs', 'cost'] },
};

/** Kinds that can be the headline of a trap, and kinds that are what the buyer pays on top. */
export const HEADLINE_KINDS: ReadonlySet<string> = new Set([
  'final',
  'flash-sale',
  'after-coupon',
  'price',
  'cost',
]);
export const FEE_KINDS: ReadonlySet<string> = new Set(['shipping', 'fee']);

/** The trap rule of §2.1; amounts in the same currency unit (¥ figures also applied to $). */
export function isTrap(headline: number, fee: number): boolean {
  if (fee <= 0) return false;
  return headline <= 1 ? fee >= 20 : fee >= 10 * headline;
}

const KIND_OF = new Map<string, string>();
for (const [kind, words] of Object.entries(PRICE_KINDS))
  for (const w of [...words.zh, ...words.en]) KIND_OF.set(w, kind);
const EN_WORD = /^[a-z ]+$/;
const asSource = (w: string) => (EN_WORD.test(w) ? `\\b${w}\\b` : w);
/** Final-price words that are also fillers: in 券后只要19.9 the kind is 券后, not 只要. */
const WEAK_KINDS = [
  '只要',
  '仅需',
  '仅售',
  '只需',
  '只卖',
  '就卖',
  '卖',
  '才',
  '仅',
  '现在',
  'only',
  'just',
  'now',
  'for',
  'today',
];
const STRONG_KINDS = [...KIND_OF.keys()].filter((w) => !WEAK_KINDS.includes(w));
const KIND_WORDS = [...KIND_OF.keys()].map(asSource);
const FILLER = `\\s*(?:is|are|at|of|:|是|为|只要|仅需?|只需|才|就|要|都|只|也就|低至|仅仅|也|only|just|[\\u4e00-\\u9fff]{1,3}?)?\\s*(?:is|only|just)?\\s*$`;
/**
 * A kind word ending right before an amount, with the usual fillers (到手价：只要 99, 运费居然要49):
 * the nearest strong kind, else the nearest weak one.
 */
const KIND_BEFORE = [
  new RegExp(`^.*(${anyOf(STRONG_KINDS.map(asSource))})${FILLER}`, 'd'),
  new RegExp(`^.*(${anyOf(WEAK_KINDS.map(asSource))})${FILLER}`, 'd'),
];
/** Kinds that may follow an amount: 20元运费, 十元无门槛券, $5 shipping. */
const KIND_AFTER =
  /^\s*(?:的)?(补运费|运费|邮费|快递费|手续费|服务费|无门槛券|优惠券|券|定金|尾款|shipping|fee|coupon|deposit|off)/;

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/** 三十九 → 39, 一百二 → 120 (colloquial: a trailing digit after 百 is tens), 两千 → 2000. */
export function parseChineseNumber(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = 0;
  for (const ch of s) {
    if (ch in CN_DIGIT) {
      digit = CN_DIGIT[ch]!;
    } else if (ch in CN_UNIT) {
      const unit = CN_UNIT[ch]!;
      if (unit === 10000) {
        total += (section + (digit ?? 0)) * unit;
        section = 0;
      } else section += (digit ?? (unit === 10 ? 1 : 0)) * unit;
      digit = undefined;
      lastUnit = unit;
    } else return undefined;
  }
  if (digit !== undefined) section += lastUnit >= 100 ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

/** What may follow 块 when it means yuan, not "a piece of": 九块九, 十块一件, 两块钱, 5块包邮. */
const KUAI_OK =
  '(?=$|[\\s,，。!！?？~]|钱|\\d|[一二三四五六七八九]|包邮|到手|一(?:件|个|瓶|盒|斤|单|套|份|条|双|支|袋|包)|秒|啊|哦|噢|喔|呀|吧|了|啦|的|就|还|都|起|左右|多|呢|嘛|哈|呐|哟)';
const NUM = '(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d{1,2}))?';
const CN_NUM = '([零〇一二两三四五六七八九十百千万]+)';
/** Units that make a bare number not a price: 3件, 38码, 20:30, 7天, 100ml … */
const NOT_PRICE_UNIT =
  /^\s*(?:件|个|单|号|%|折|天|小时|分钟|秒|人|斤|克|g\b|kg|ml|l\b|cm|mm|m\b|码|点|期|年|月|日|岁|次|瓶|盒|袋|包|支|条|双|套|份|片|粒|只|台|w\b|万|k\b|千|米|寸|度|升|p\b|楼|排|位|名|款|色|:|days?|hours?|hrs?|pcs|pieces|items?|left|people|min|minutes|sec|seconds|x\b|st\b|nd\b|rd\b|th\b|am\b|pm\b|in stock|sold|orders?|likes?|followers?|fans?)/;

interface AmountMatch {
  span: Span;
  value: number;
  currency: string;
}

const AMOUNT_FINDERS: ReadonlyArray<{ re: RegExp; read: (m: RegExpExecArray) => AmountMatch | undefined }> = [
  {
    // 9块9 → 9.9
    re: /(?<![\d.,])(\d+)块(\d)(?!\d)/g,
    read: (m) => amount(m, Number(m[1]) + Number(m[2]) / 10, 'CNY'),
  },
  {
    // ¥99, $19.99, ¥1.2万
    re: new RegExp(`(?:[¥￥]|rmb|cny|(?:us)?\\$|usd)\\s*${NUM}(?:\\s*(万|w|千|k)(?![a-z]))?`, 'g'),
    read: (m) =>
      amount(m, scaled(m[1]!, m[2], m[3]), m[0].includes('$') || m[0].startsWith('usd') ? 'USD' : 'CNY'),
  },
  {
    // 99元, 3.5万元, 20块钱, 5 bucks, 10 dollars
    re: new RegExp(
      `(?<![\\d.,])${NUM}\\s*(万|w|千|k)?\\s*(元(?![旦宵素气宝老首])|块钱|块${KUAI_OK}|rmb|美元|美金|刀(?![具片工])|dollars?\\b|bucks\\b|usd\\b|yuan\\b)`,
      'g',
    ),
    read: (m) => amount(m, scaled(m[1]!, m[2], m[3]), /美|刀|dollar|buck|usd/.test(m[4]!) ? 'USD' : 'CNY'),
  },
  {
    // 5毛, 3角
    re: /(?<![\d.,])(\d+)\s*(?:毛钱?|角)(?=钱|$|[\s,，。!！?？]|一|包邮|到手|秒)/g,
    read: (m) => amount(m, Number(m[1]) / 10, 'CNY'),
  },
  {
    // 1分钱, 99 cents
    re: /(?<![\d.,])(\d+)\s*(?:分钱|cents?\b)/g,
    read: (m) => amount(m, Number(m[1]) / 100, m[0].includes('cent') ? 'USD' : 'CNY'),
  },
  {
    // 三十九块九, 一分钱, 五毛钱, 十元
    re: new RegExp(
      `${CN_NUM}(块钱?${KUAI_OK}|元(?![旦宵素气宝老首])|毛钱?|角|分钱)([一二三四五六七八九](?![十百千万]))?`,
      'g',
    ),
    read: (m) => {
      const n = parseChineseNumber(m[1]!);
      if (n === undefined) return undefined;
      const unit = m[2]!;
      const tail = m[3] ? CN_DIGIT[m[3]]! : 0;
      if (unit.startsWith('分')) return amount(m, n / 100, 'CNY');
      if (unit.startsWith('毛') || unit === '角') return amount(m, n / 10 + tail / 100, 'CNY');
      return amount(m, n + tail / 10, 'CNY');
    },
  },
  {
    // a penny, one cent
    re: /\b(?:a penny|one cent)\b/g,
    read: (m) => amount(m, 0.01, 'USD'),
  },
];

function scaled(int: string, frac: string | undefined, mult: string | undefined): number {
  const base = Number(int.replace(/,/g, '') + (frac ? `.${frac}` : ''));
  const k = mult === '万' || mult === 'w' ? 10000 : mult === '千' || mult === 'k' ? 1000 : 1;
  return Math.round(base * k * 100) / 100;
}

function amount(m: RegExpExecArray, value: number, currency: string): AmountMatch {
  return { span: { ns: m.index, ne: m.index + m[0].length }, value: Math.round(value * 100) / 100, currency };
}

/** A bare number, read as a price only when a kind word stands right before it (原价299). */
const BARE_NUMBER = new RegExp(`(?<![\\d.,:])${NUM}(?![\\d])`, 'g');
/** The same in Chinese numerals, with a 十/百/千 so that 一 or 两 alone is not read (到手才四十九). */
const BARE_CN_NUMBER =
  /(?<![零〇一二两三四五六七八九十百千万])[零〇一二两三四五六七八九]*[十百千][零〇一二两三四五六七八九十百千]*(?![零〇一二两三四五六七八九十百千万])/g;
const KIND_HINT = new RegExp(anyOf(KIND_WORDS));

/** Phrases that state a price without an amount, or an amount by their words (§2.1 "Traps"). */
const FREE = /0元购|零元购|免费送|免费领|0元领|白送|免费拿|\bfree gifts?\b|\bfor free\b/g;
const FREE_SHIPPING =
  /(?<!不|不能|没有|不能够)(?:包邮|免运费|免邮|运费全免)|\bfree (?:shipping|delivery)\b|\bships? free\b/g;
const SHIPPING_EXTRA =
  /运费另计|邮费自理|邮费另付|运费自理|只需付邮费|只要付邮费|需付运费|付个?邮费|\bpay (?:for )?(?:the )?shipping\b|\bshipping not included\b|\bplus shipping\b/g;
const THRESHOLD = /满(\d+)减(\d+)/g;
const RATE =
  /(?<![\d.])(\d(?:\.\d)?|[1-9]\d)折(?!叠|扣|腾|纸|回|射|磨|算)|(?<![一二三四五六七八九十])([一二三四五六七八九])([一二三四五六七八九])?折(?!叠|扣|腾|纸|回|射|磨|算)/g;
const SECOND_ITEM = /第二件(?:半价|(\d)折)/g;
/** 20% off, 优惠20% */
const PERCENT_OFF = /(?<![\d.])(\d{1,2})\s*%\s*off\b|(?:优惠|减|省|便宜)(\d{1,2})%/g;

function kindBefore(p: Prepared, ns: number): { kind: string; start: number } | undefined {
  const pre = before(p, ns, 14);
  const m = KIND_BEFORE[0]!.exec(pre) ?? KIND_BEFORE[1]!.exec(pre);
  if (!m) return undefined;
  const word = m[1]!;
  return { kind: KIND_OF.get(word) ?? 'price', start: ns - pre.length + m.indices![1]![0] };
}

/** Price findings in one text (amounts with their kind, free shipping, discounts) and in-text traps. */
export function prices(p: Prepared): Hit[] {
  const text = p.norm.text;
  const hits: Hit[] = [];
  if (!/[\d一二两三四五六七八九十零包邮免折满费]|free|penny|cent/.test(text)) return hits;
  const found: AmountMatch[] = [];
  const taken = (span: Span) => found.some((a) => overlaps(a.span, span));

  const free: Span[] = [];
  FREE.lastIndex = 0;
  for (let m = FREE.exec(text); m; m = FREE.exec(text)) {
    const span = { ns: m.index, ne: m.index + m[0].length };
    if (negated(p, span)) continue;
    free.push(span);
    hits.push({
      category: 'price',
      rule: 'price/free',
      span,
      normalized: `final:0 ${/[a-z]/.test(m[0]) ? 'USD' : 'CNY'}`,
      amount: { value: 0, currency: /[a-z]/.test(m[0]) ? 'USD' : 'CNY', kind: 'final' },
    });
  }
  for (const f of AMOUNT_FINDERS) {
    f.re.lastIndex = 0;
    for (let m = f.re.exec(text); m; m = f.re.exec(text)) {
      const a = f.read(m);
      if (a && !taken(a.span) && !free.some((s) => overlaps(s, a.span))) found.push(a);
    }
  }
  if (KIND_HINT.test(text)) {
    BARE_NUMBER.lastIndex = 0;
    for (let m = BARE_NUMBER.exec(text); m; m = BARE_NUMBER.exec(text)) {
      const span = { ns: m.index, ne: m.index + m[0].length };
      if (taken(span) || NOT_PRICE_UNIT.test(text.slice(span.ne))) continue;
      const k = kindBefore(p, span.ns);
      if (!k) continue;
      const en = EN_WORD.test(text.slice(k.start, span.ns).trim().split(/\s/)[0] ?? '');
      found.push({ span, value: scaled(m[1]!, m[2], undefined), currency: en ? 'USD' : 'CNY' });
    }
    BARE_CN_NUMBER.lastIndex = 0;
    for (let m = BARE_CN_NUMBER.exec(text); m; m = BARE_CN_NUMBER.exec(text)) {
      const span = { ns: m.index, ne: m.index + m[0].length };
      if (taken(span) || NOT_PRICE_UNIT.test(text.slice(span.ne)) || !kindBefore(p, span.ns)) continue;
      const value = parseChineseNumber(m[0]);
      if (value !== undefined) found.push({ span, value, currency: 'CNY' });
    }
  }
  // Discounts that are their own amounts.
  const discounts: Span[] = [];
  const discount = (m: RegExpExecArray, rule: string, normalized: string, amount: Hit['amount']) => {
    const span = { ns: m.index, ne: m.index + m[0].length };
    discounts.push(span);
    hits.push({ category: 'price', rule, span, normalized, amount });
  };
  THRESHOLD.lastIndex = 0;
  for (let m = THRESHOLD.exec(text); m; m = THRESHOLD.exec(text))
    discount(m, 'price/threshold-discount', `discount:${m[2]} CNY over ${m[1]}`, {
      value: Number(m[2]),
      currency: 'CNY',
      kind: 'discount',
    });
  const rateOff = (m: RegExpExecArray, rate: number) =>
    discount(m, 'price/discount-rate', `discount-rate:${rate}`, {
      value: rate,
      currency: 'ratio',
      kind: 'discount-rate',
    });
  RATE.lastIndex = 0;
  for (let m = RATE.exec(text); m; m = RATE.exec(text)) {
    if (m[1]) rateOff(m, Number(m[1]) <= 10 ? Number(m[1]) / 10 : Number(m[1]) / 100);
    else rateOff(m, m[3] ? (CN_DIGIT[m[2]!]! * 10 + CN_DIGIT[m[3]]!) / 100 : CN_DIGIT[m[2]!]! / 10);
  }
  PERCENT_OFF.lastIndex = 0;
  for (let m = PERCENT_OFF.exec(text); m; m = PERCENT_OFF.exec(text))
    rateOff(m, Math.round(100 - Number(m[1] ?? m[2])) / 100);
  SECOND_ITEM.lastIndex = 0;
  for (let m = SECOND_ITEM.exec(text); m; m = SECOND_ITEM.exec(text)) {
    const rate = m[1] ? Number(m[1]) / 10 : 0.5;
    discount(m, 'price/second-item', `second-item:${rate}`, {
      value: rate,
      currency: 'ratio',
      kind: 'second-item',
    });
  }

  const amounts: Hit[] = [];
  for (const a of found.sort((x, y) => x.span.ns - y.span.ns)) {
    if (discounts.some((d) => overlaps(d, a.span))) continue;
    let kind = 'price';
    let ns = a.span.ns;
    let ne = a.span.ne;
    const tail = KIND_AFTER.exec(text.slice(a.span.ne));
    if (tail) {
      kind = KIND_OF.get(tail[1]!) ?? 'price';
      ne = a.span.ne + tail[0].length;
    } else {
      const k = kindBefore(p, a.span.ns);
      // The kind must not belong to an earlier amount: 原价299现价99.
      if (k && !amounts.some((h) => h.span.ne > k.start && h.span.ns < a.span.ns)) {
        kind = k.kind;
        ns = k.start;
      }
    }
    const hit: Hit = {
      category: 'price',
      rule: 'price/amount',
      span: { ns, ne },
      normalized: `${kind}:${a.value} ${a.currency}`,
      amount: { value: a.value, currency: a.currency, kind },
    };
    amounts.push(hit);
  }
  hits.push(...amounts);

  FREE_SHIPPING.lastIndex = 0;
  for (let m = FREE_SHIPPING.exec(text); m; m = FREE_SHIPPING.exec(text)) {
    const span = { ns: m.index, ne: m.index + m[0].length };
    if (asked(p, span) || negated(p, span)) continue;
    const currency = /[a-z]/.test(m[0]) ? 'USD' : 'CNY';
    hits.push({
      category: 'price',
      rule: 'price/free-shipping',
      span,
      normalized: `shipping:0 ${currency}`,
      amount: { value: 0, currency, kind: 'shipping' },
    });
  }
  SHIPPING_EXTRA.lastIndex = 0;
  for (let m = SHIPPING_EXTRA.exec(text); m; m = SHIPPING_EXTRA.exec(text)) {
    const span = { ns: m.index, ne: m.index + m[0].length };
    if (hits.some((h) => h.amount?.kind === 'shipping' && overlaps(h.span, span))) continue;
    hits.push({ category: 'price', rule: 'price/shipping-extra', span, normalized: 'shipping-extra' });
  }

  hits.push(...traps(hits));
  return hits;
}

/** In-text traps: a headline and a fee in the same text (§2.1). */
function traps(hits: readonly Hit[]): Hit[] {
  const heads = hits.filter((h) => h.amount && HEADLINE_KINDS.has(h.amount.kind));
  const fees = hits.filter((h) => h.amount && FEE_KINDS.has(h.amount.kind));
  for (const f of fees)
    for (const h of heads) {
      if (h.amount!.currency !== f.amount!.currency || !isTrap(h.amount!.value, f.amount!.value)) continue;
      return [
        {
          category: 'price-trap',
          tier: 'block',
          rule: 'price-trap/headline-fee',
          span: { ns: Math.min(h.span.ns, f.span.ns), ne: Math.max(h.span.ne, f.span.ne) },
          normalized: `headline:${h.amount!.value} fee:${f.amount!.value} ${f.amount!.currency}`,
          amount: f.amount!,
        },
      ];
    }
  return [];
}

/** The amount a product-card field shows ('¥0.01', '运费 ¥99', '包邮'), with the field's kind. */
export function fieldAmount(p: Prepared, kind: string): Amount | undefined {
  if (kind === 'shipping' && /包邮|免运费|免邮|free/.test(p.norm.text))
    return { value: 0, currency: 'CNY', kind };
  const hits = prices(p).filter((h) => h.rule === 'price/amount' || h.rule === 'price/free');
  const first = hits[0]?.amount;
  if (first) return { value: first.value, currency: first.currency, kind };
  const bare = /(\d+(?:\.\d{1,2})?)/.exec(p.norm.text);
  return bare ? { value: Number(bare[1]), currency: 'CNY', kind } : undefined;
}
