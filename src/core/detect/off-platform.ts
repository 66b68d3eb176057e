/**
 * Off-platform solicitation (站外引流 / 私下交易), domain.md §1. Two tiers, after [C:C5]:
 * - block: a contact value (WeChat ID, QQ, phone, Telegram/WhatsApp handle or number, e-mail, link),
 *   a transfer or payment instruction outside the platform, a QR code or group invite;
 * - flag: hints (私聊, 看主页, 加我微信 without a value, other platforms' euphemisms).
 * Chinese cues run on the skeleton (so 微 信 and 加.我.薇.信 close up); values and English run on
 * the normalised text, where word boundaries survive ("add my wechat for more" has no ID).
 */
import type { Hit, Tier } from './types';
import type { Prepared, Span } from './text';
import { anyOf, anyOfAll, before, fromSkel, negated, originalOf, overlaps } from './text';

// ---------------------------------------------------------------------------------------------
// Contact values: a cue on the skeleton, then the value on the normalised text right after it.
// ---------------------------------------------------------------------------------------------

/** Verbs that put a channel in play: 加V, +V, 私V, 找我 … (§1.1 A, D [C:C5,C10]). */
const ADD = '(?:加|\\+|私|找|搜|留|联系|给你|添加)';

/**
 * The WeChat cue after folding (威信/薇信/V信/vx/wechat/🛰 are 微信 by now, §1.1 A):
 * 微信(号), 加微 / 私微 (加个微), V with an add verb (加V, ➕V, 私V) or V号 / V: .
 * 微信支付 / 微信付款 are checkout options, not a channel (§0.1 [C:C8]).
 */
const WECHAT_CUE = new RegExp(
  `(?:${ADD}(?:我|个|一下|下)?的?)?微信(?!支付|付款|收款|转账|红包|扫码|群)(?:号码?|id)?` +
    `|(?:${ADD}|的)(?:我|个|一下|下)?的?[微薇威徽溦嶶](?=号|是|[a-z0-9:+]|$)号?` +
    `|(?<![a-z])v(?:号|id|:)`,
  'g',
);
/**
 * The bare-V cue (加V, ➕V, 私V, 我的v是) on the normalised text, where "v" must stand alone: on
 * the skeleton "加 vip" and "+v xiaoman520" would both read "v" followed by letters.
 */
const S = '[\\s\\p{P}\\p{S}]{0,2}';
const V_CUE = new RegExp(`(?:${ADD}|的)${S}(?:我|个|一下|下)?${S}的?${S}v(?![a-z])(?:号|信)?`, 'gu');
/** QQ cue (§1.1 B [C:C5,C12]): QQ号, QQ群, Q号, 加Q; 扣扣/企鹅号/🐧 are folded to qq. */
const QQ_CUE = new RegExp(`qq(?:号码?|群号?)?|(?<![a-z])q(?:号|群号?|:)|${ADD}(?:我|个)?q(?![a-z])`, 'g');
/** Telegram cue (§1.1 B [C:C7,C10]): 纸飞机/飞机号/电报/TG/✈️ are folded to telegram. */
const TELEGRAM_CUE = /telegram(?:号|id|群|:)?/g;
/** WhatsApp cue (§1.1 F); "whats app" is folded to whatsapp. */
const WHATSAPP_CUE = /whatsapp|(?<![a-z])wa(?=\+?\d|:)/g;
/** Bank card or account (§1.1 E). */
const BANK_CUE = /(?:银行)?卡号|银行卡|(?:收款|转账)?账号|账户|iban|account(?:number|no)/g;
/** Other social handles (§1.1 F, "IG handle"): a value only counts after ':' or '@'. */
const HANDLE_CUE =
  /(?<![a-z])(?:ig|insta(?:gram)?|snap(?:chat)?|facebook|fb|kik|signal|discord|line(?=id|:))/g;

/** Filler between a cue and its value: separators and a few words (微信号是：, my wechat is …). */
const GAP = `(?:[\\s\\p{P}\\p{S}]|[号码是为就哦呢啊呀同搜加]|(?:id|is|at|on|me|my|username|handle|user)\\b){0,8}?`;
/** Words that follow a cue but are not IDs: "add me on wechat please", "telegram group". */
const NOT_AN_ID =
  '(?!(?:please|thanks|thank|group|channel|account|friend|friends|number|message|again|first|later|today|tonight|anyone|everyone|people|hello|there|right|about|because|would|could|should|cheaper|price|prices|order|orders|direct|directly|faster|status|sister|video|email|phone|quick|users|only|xiexie|haode|zhubo|baobao)(?![-_a-z0-9]))';
const ID_VALUE = `${NOT_AN_ID}[a-z][-_a-z0-9]{5,19}(?![-_a-z0-9])`;
const DIGITS = (min: number, max: number) => `\\d(?:[\\s\\-.]?\\d){${min - 1},${max - 1}}(?!\\d)`;

interface ValueRule {
  rule: string;
  /** On the skeleton, unless `cueOnNorm`. */
  cue: RegExp;
  cueOnNorm?: true;
  /** Sticky, on the normalised text, from the end of the cue; group `v` is the value. */
  value: RegExp;
  /** The normalised value, e.g. 'wechat:meimei_2025'. */
  name: (v: string) => string;
}

const compact = (v: string) => v.replace(/[\s\-.()]/g, '');
/** The value right after the cue, or after a colon a few words on (加V看更多款式：mojito_studio). */
const WECHAT_VALUE = new RegExp(
  `(?:${GAP}|[^\\n:：]{0,12}?[:：]\\s*)(?<v>${ID_VALUE}|${DIGITS(6, 20)})`,
  'yu',
);

/** Contact-value rules (block). Value formats after §1.2 [C:C3,C4,C13]. */
export const CONTACT_VALUES: readonly ValueRule[] = [
  {
    rule: 'off-platform/contact-wechat',
    cue: WECHAT_CUE,
    value: WECHAT_VALUE,
    name: (v) => `wechat:${/^[a-z]/.test(v) ? v : compact(v)}`,
  },
  {
    rule: 'off-platform/contact-wechat',
    cue: V_CUE,
    cueOnNorm: true,
    value: WECHAT_VALUE,
    name: (v) => `wechat:${/^[a-z]/.test(v) ? v : compact(v)}`,
  },
  {
    rule: 'off-platform/contact-qq',
    cue: QQ_CUE,
    value: new RegExp(`${GAP}(?<v>[1-9](?:[\\s\\-.]?\\d){4,11}(?!\\d))`, 'yu'),
    name: (v) => `qq:${compact(v)}`,
  },
  {
    rule: 'off-platform/contact-telegram',
    cue: TELEGRAM_CUE,
    value: new RegExp(`${GAP}@?(?<v>${NOT_AN_ID}[a-z][a-z0-9_]{4,31}(?![a-z0-9_]))`, 'yu'),
    name: (v) => `telegram:${v}`,
  },
  {
    rule: 'off-platform/contact-whatsapp',
    cue: WHATSAPP_CUE,
    value: new RegExp(`${GAP}(?<v>\\+?\\d(?:[\\s\\-.()]{0,2}\\d){6,14})(?!\\d)`, 'yu'),
    name: (v) => `whatsapp:${compact(v)}`,
  },
  {
    // A bank card or account number to transfer to (§1.1 E "打我卡上, 银行卡"): 12–19 digits.
    rule: 'off-platform/bank-account',
    cue: BANK_CUE,
    value: new RegExp(`${GAP}(?<v>${DIGITS(12, 19)})`, 'yu'),
    name: (v) => `bank:${compact(v)}`,
  },
  {
    rule: 'off-platform/contact-handle',
    cue: HANDLE_CUE,
    value: /\s*(?:(?:id|is|handle|username)\s*)?[:：@]\s*@?(?<v>[a-z][a-z0-9_.]{2,29})(?![a-z0-9_])/y,
    name: (v) => `handle:${v}`,
  },
];

/** Mainland mobile (§1.2): on the skeleton so 139-1234-5678 and 1 3 9… close up. */
const CN_MOBILE = /(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)/g;
/** A landline needs a cue. */
const CN_LANDLINE = /(?:电话|座机|tel|热线|call)[:]?(0\d{2,3}\d{7,8})(?!\d)/g;
/** US/Canada number (§1.2), only with an English contact cue before it. */
const US_PHONE = /(?<!\d)(?:\+?1)?([2-9]\d{2}[2-9]\d{6})(?!\d)/g;
const US_PHONE_CUE =
  /\b(?:call|text|txt|whatsapp|phone|number|cell|sms|reach|contact|dm|msg|message|signal|telegram)\b/;
/**
 * Digit runs that are not contacts when these come just before (§1.2: "whitelist them when
 * 订单号/单号/快递 is nearby"): order, tracking, product and coupon codes.
 */
const CODE_CUE =
  /(?:订单|单号|运单|快递|物流|编号|货号|型号|条码|条形码|sku|批号|序列号|券码|兑换码|工号|追踪|tracking|order|尾号|房间号|直播间号|会员|卡号|账单)/;
/** Eight to twelve digits (spaces allowed) with no cue: flag only (numCheckLen 8 [C:C1]). */
const LONG_DIGITS = /(?<![\d.,¥$])(?<!\d )\d(?: ?\d){7,}(?! ?\d)(?![.]| ?(?:元|块|件|个|人|次|w|万))/g;

// Bounded repetitions keep hostile input (a.a.a.… × 2000) linear.
const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,4}\.[a-z]{2,10}/g;
const EMAIL_SPELLED =
  /(?<![a-z0-9._-])([a-z0-9._-]{3,64})\s*(?:@|\(at\)|\[at\]|\bat\b)\s*(gmail|yahoo|hotmail|outlook|icloud|qq|163|126|proton(?:mail)?)\s*(?:\.|\bdot\b|\(dot\)|\[dot\]|点)\s*(com|net|cn)\b/g;
/** Links (§1.2): on the normalised text, which keeps the dots and slashes. */
const LINK =
  /(?:https?:\/\/|www\.)[^\s，。]{1,200}|(?<![\w@.-])(?:[a-z0-9-]{1,63}\.){1,4}(?:com|cn|net|org|top|xyz|vip|shop|store|site|online|cc|me|io|co|ly|link|club|app)(?![a-z0-9-])(?:\/[^\s，。]{0,200})?|\b[a-z0-9-]{3,63}\s*(?:\bdot\b|\(dot\)|\[dot\])\s*(?:com|net|shop|store|cn)\b/g;
/** The platforms' own domains are not off-platform (§1.2). */
const PLATFORM_DOMAINS =
  /(?:^|\.)(?:douyin\.com|iesdouyin\.com|kuaishou\.com|gifshow\.com|taobao\.com|tmall\.com|tb\.cn|tiktok\.com|youtube\.com|youtu\.be|bilibili\.com|b23\.tv)$/;

// ---------------------------------------------------------------------------------------------
// Phrases: instructions (block) and hints (flag). zh on the skeleton, en on the normalised text.
// ---------------------------------------------------------------------------------------------

interface PhraseRule {
  rule: string;
  tier: Tier;
  zh?: readonly string[];
  en?: readonly string[];
  /**
   * Cheap tests the text must pass before the rule's own patterns run, for rules whose patterns
   * start with common words (有, 要, pay, with …) and would be tried at nearly every position.
   */
  guardZh?: string;
  guardEn?: string;
}

/** Phrase rules, each with its source in domain.md. All can be negated (谨防私下转账). */
export const OFF_PLATFORM_PHRASES: readonly PhraseRule[] = [
  {
    // §1.1 E "Direct transfer" [P:S14,S15][C:C6]; "V我50" = send me ¥50 on WeChat.
    rule: 'off-platform/transfer',
    tier: 'block',
    zh: [
      '转账',
      '(?:直接)?转(?:给)?我(?!们|的直播|发)',
      '打款',
      '打钱(?:给我|过来)?',
      '打(?:到|给)?我(?:的)?(?:卡|账户|账号|银行卡|支付宝)',
      '银行卡号',
      '卡号(?:发你|给你)',
      '(?:转|打)(?:到)?(?:我的)?(?:银行卡|卡上|卡里)',
      '支付宝(?:转|账号|付给我|扫码)',
      '微信(?:转|扫码付|收款)',
      '收款码',
      '扫码付款?',
      '二维码(?:付款|支付|收款)',
      '(?:给我|发我|给我发)(?:个)?红包',
      '红包(?:发|转)(?:给)?我',
      '(?<![a-z])v我\\d+',
      '付(?:定金|押金|订金|尾款)(?:给我|到我)',
      '付款(?:给我|到我)',
      '(?:支付宝|微信|银行卡)(?:直接)?(?:付|转|打)(?:钱)?(?:给)?我(?!们)',
      '(?:交|付|转|打)(?:定金|押金|订金|尾款|钱|款)?(?:到|给)我(?:的)?(?:支付宝|微信|卡|银行卡|账户)',
      '付(?:钱)?给?我(?!们|的|家)',
    ],
  },
  {
    // §1.1 E "Avoiding the platform" and the order-then-refund trick [C:C5,C6][K].
    rule: 'off-platform/avoid-platform',
    tier: 'block',
    zh: [
      '不走平台',
      '不经过平台',
      '绕(?:开|过)平台',
      '脱离平台',
      '平台外(?:交易|付款|下单|购买|联系)?',
      '站外(?:交易|付款|下单|购买|联系|链接)',
      '线下交易',
      '线下(?:给你)?发货?',
      '私下(?:交易|给你(?:便宜|优惠)|便宜|优惠|发|转|买|卖|出|拿货|成交|付款|(?:找|联系|加)我)',
      '不(?:在|用在|要在|走)(?:直播间|平台|小黄车|橱窗)(?:里)?(?:下单|拍|买)',
      '平台(?:扣点|抽成|手续费)(?:太|很|比较)?高',
      '走平台(?:要|有|得|还要)?(?:手续费|扣点|抽成)',
      '拍下(?:后)?(?:申请)?(?:仅)?退款.{0,8}?(?:私下|我)发',
      '仅退款.{0,6}?私下发',
    ],
    en: [
      '\\b(?:outside|off) (?:of )?(?:tiktok|the app|the platform|youtube|the shop|tiktok shop)\\b',
      '\\boff[- ](?:the )?(?:app|platform|tiktok)\\b',
      '\\bcheaper on (?:my|our) (?:own )?(?:website|site|store|shop|page)\\b',
      '\\bcheaper than (?:here|on tiktok|tiktok|on the app|the app)\\b',
      '\\b(?:order|buy|purchase)\\w* (?:on|from|through|at) (?:my|our) (?:own )?(?:website|site|store|shop|page)\\b',
      '\\bbuy direct(?:ly)? from me\\b',
      '\\bskip (?:the )?(?:tiktok|app|platform) fees?\\b',
      '\\bavoid (?:the )?(?:tiktok |app |platform )?fees\\b',
    ],
  },
  {
    // §1.1 F: Zelle, Cash App ($cashtag), Venmo, PayPal friends & family, gift cards, crypto [P:S20].
    rule: 'off-platform/pay-outside',
    tier: 'block',
    guardEn:
      'zelle|cash ?app|venmo|chime|western union|moneygram|wire transfer|bitcoin|btc|usdt|crypto|gift ?card|paypal|f ?& ?f|friends (?:and|&) family|\\$[a-z]',
    en: [
      '(?<![\\w$])\\$(?=[a-z])[a-z][a-z0-9_]{1,19}\\b',
      "\\b(?:pay|paying|paid|send|sent|transfer|use|using|via|through|by|with|accept|accepts|take|takes|prefer|to my|my)\\b[\\w\\s,'&]{0,20}?\\b(?:zelle|cash ?app|venmo|chime|western union|moneygram|wire transfer|bitcoin|btc|usdt|crypto|gift ?cards?)\\b",
      '\\b(?:zelle|cash ?app|venmo|chime)\\b\\s*(?:me|only|@|\\$|to|at|is|:|accepted|preferred|works|ok)',
      '\\bpaypal\\b[^.!?]{0,20}\\b(?:f ?& ?f|friends (?:and|&) family|ff)\\b',
      '\\b(?:f ?& ?f|friends (?:and|&) family)\\b(?: only)?',
      '\\bpaypal(?:\\.me)?\\b\\s*(?:me\\s*)?[@:/]\\s*[a-z0-9._-]{3,}',
    ],
  },
  {
    // §1.1 C and Douyin's rule text "二维码" [P:S13].
    rule: 'off-platform/qr-code',
    tier: 'block',
    zh: [
      '扫(?:描)?(?:一下|我的|这个|屏幕上的|图上的|图片上的|图片)?(?:二维码|码)(?:加|进|入|付|支付|转|领|关注)',
      '扫码(?:加|进群|入群|付|转|关注|领)',
      '加.{0,2}二维码',
      '看.{0,3}二维码',
      '二维码(?:加|进群|在主页|在头像|发你)',
      '发你二维码',
    ],
    en: ['\\bscan (?:the|my|this) qr\\b', '\\bqr code (?:in|on) (?:my )?(?:bio|profile)\\b'],
  },
  {
    // §1.1 E "Other": 进群领福利 / 拉你进群, private-domain rooms [P:S16,S17]; channel groups.
    rule: 'off-platform/group-invite',
    tier: 'block',
    zh: [
      '(?:微信|qq|telegram|whatsapp|discord)群',
      '群号',
      '拉(?:你|大家|你们)?进群',
      '进群(?:领|抢|拿|送|有|享)',
      '(?:进|加|入)(?:我的?|我们的?)[\\u4e00-\\u9fff]{0,4}?群(?!聊天?记录)',
      '加(?:我的?)?群',
      '入群',
      '扫码进群',
    ],
    en: [
      '\\bjoin (?:my|our) (?:telegram|whatsapp|discord|facebook|fb|微信|signal)(?: group| channel| chat| server)?\\b',
    ],
  },
  {
    // §1.1 A, B, F without a value: 加我微信, V我, "add me on WhatsApp" (flag, the block needs the value).
    rule: 'off-platform/channel-invite',
    tier: 'flag',
    guardZh: '微|qq|telegram|whatsapp|v|加我',
    zh: [
      '(?:加|\\+|找|搜|联系|私|留|给个?|有没有|有|要|换|互加|加个|发)(?:我|个|一下|下|你)?的?(?:微信(?!支付|付款|付|收款|扫码)|qq(?!音乐|空间|飞车|邮箱)|telegram|whatsapp|(?<![a-z])v(?![a-z0-9])|微(?=号|$))',
      '(?<![a-z])v我(?!\\d)',
      '加我(?:好友)?(?=另外|单独|私下|私聊|发你|给你发|详聊)',
      '微信(?:聊|联系|私聊|详聊|发你|找我|上说|多少)',
      '微信号?(?:是多少|是什么|是啥|给一个)',
    ],
    en: [
      '\\b(?:(?:add|find|reach|contact|message|msg|text|follow|hit|dm)\\s+me(?:\\s+up)?|hmu)\\s+(?:on|at|via)\\s+(?:whatsapp|telegram|微信|signal|snap(?:chat)?|ig|insta(?:gram)?|facebook|fb|line|kik|discord)\\b',
      '\\b(?:whatsapp|telegram|signal)\\s+me\\b',
      '\\bmy\\s+(?:whatsapp|telegram|signal|微信)\\b',
    ],
  },
  {
    // §1.1 D "Moving the conversation" [C:C5,C7,C10]; 私信 is on-platform on Douyin, hence flag only.
    rule: 'off-platform/private-chat',
    tier: 'flag',
    zh: [
      '私聊',
      '私信(?!客服|官方|平台|小助手)(?:我|发你|你|了)?',
      '私我',
      '厮聊',
      '滴滴我',
      '详聊',
      '细聊',
      '右下角聊',
      '联系我',
      '找我(?:买|拿|要|下单|聊)',
      '留(?:个|下)?联系方式',
      '联系方式',
      '怎么联系(?!客服|官方|平台|售后)',
      '单独聊',
      '私下聊',
      '(?<![a-z])[dp]m我',
      '(?<=[的要想])私$',
    ],
    en: [
      '\\b(?:dm|pm|inbox|message|msg)\\s+me\\b',
      '\\bdm\\s+(?:for|to)\\b',
      '\\bsend (?:me )?an? (?:dm|pm|message)\\b',
      '\\bslide (?:into|in) my dms?\\b',
      '\\btext me\\b',
      '\\bcall me\\b',
      '\\bhit me up\\b',
      '\\bcontact me\\b',
      '\\bdms? (?:are )?open\\b',
    ],
  },
  {
    // §1.1 C pointers [P:S13][C:C6], including the "evasion advisor" phrases (看图二右下角暗号 …).
    rule: 'off-platform/pointer',
    tier: 'flag',
    zh: [
      '看(?:我的?)?主页',
      '主页(?:有|看|联系|留|置顶|简介)',
      '看(?:我的?)?(?:个性)?签名',
      '看(?:我的?)?简介',
      '看(?:我的?)?头像',
      '看(?:我的?)?背景(?:图|墙)?',
      '图二右下角',
      '看图二',
      '暗号',
      '私信发你',
      '搜我(?:名字|昵称|id|抖音号)',
      '留意主页',
      '主页背景墙',
      '(?:v|微信|联系方式)在(?:主页|头像|简介|签名|背景)',
    ],
    en: [
      '\\blink (?:is )?in (?:my |the )?bio\\b',
      '\\b(?:check|see|look at|visit) (?:out )?(?:my |the )?(?:bio|profile)\\b',
      '\\bin my (?:bio|profile)\\b',
    ],
  },
  {
    // §1.1 B "Other platforms named as places to buy", in their euphemisms; WeChat surfaces (§6.5: flag).
    rule: 'off-platform/other-platform',
    tier: 'flag',
    zh: [
      '某宝',
      '某多多',
      '某东',
      '某猫',
      '某鱼',
      '拼夕夕',
      '狗东',
      '(?<![a-z])pdd(?![a-z])',
      '橙色软件',
      '大厂同源',
      '小红[书薯](?:搜|下单|买|店|私信|找)',
      '(?:去|到)(?:淘宝|拼多多|京东|闲鱼)(?:搜|买|下单|找我)',
      '小程序(?:下单|购买|买|里买|链接)',
      '公众号',
      '视频号',
      '企业微信',
      '企微',
      '(?<![a-z])gzh(?![a-z])',
    ],
  },
  {
    // §1.1 E "好评返现", which needs an off-platform payment [C:C6].
    rule: 'off-platform/review-cashback',
    tier: 'flag',
    zh: ['好评返现', '晒图返现', '返现(?:加|找|联系)'],
  },
];

interface CompiledPhrase {
  rule: string;
  tier: Tier;
  zh?: RegExp;
  en?: RegExp;
  guardZh?: RegExp;
  guardEn?: RegExp;
}

const PHRASES: readonly CompiledPhrase[] = OFF_PLATFORM_PHRASES.map((r) => ({
  rule: r.rule,
  tier: r.tier,
  ...(r.zh ? { zh: new RegExp(anyOf(r.zh), 'g') } : {}),
  ...(r.en ? { en: new RegExp(anyOf(r.en), 'g') } : {}),
  ...(r.guardZh ? { guardZh: new RegExp(r.guardZh) } : {}),
  ...(r.guardEn ? { guardEn: new RegExp(r.guardEn) } : {}),
}));
/** One test for "could any phrase rule match": guards stand in for their rules' patterns. */
const ANY_PHRASE_ZH = anyOfAll(OFF_PLATFORM_PHRASES.flatMap((r) => (r.guardZh ? [r.guardZh] : (r.zh ?? []))));
const ANY_PHRASE_EN = anyOfAll(OFF_PLATFORM_PHRASES.flatMap((r) => (r.guardEn ? [r.guardEn] : (r.en ?? []))));
/** Cues that are Latin after folding (qq, telegram, whatsapp, handles, V): skipped without Latin. */
const LATIN_CUES: ReadonlySet<RegExp> = new Set([QQ_CUE, TELEGRAM_CUE, WHATSAPP_CUE, HANDLE_CUE, V_CUE]);

const LATIN_ONLY = /^[a-z]+$/;
const CJK_OR_COLON = /[\u4e00-\u9fff:：]/;

function valueHits(p: Prepared, out: Hit[]): void {
  const skel = p.skel.text;
  const norm = p.norm.text;
  for (const r of CONTACT_VALUES) {
    if (!p.latin && LATIN_CUES.has(r.cue)) continue;
    const source = r.cueOnNorm ? norm : skel;
    r.cue.lastIndex = 0;
    for (let m = r.cue.exec(source); m; m = r.cue.exec(source)) {
      const end = m.index + m[0].length;
      const cue = r.cueOnNorm ? { ns: m.index, ne: end } : fromSkel(p, m.index, end);
      r.value.lastIndex = cue.ne;
      const v = r.value.exec(norm);
      if (!v?.groups?.v) continue;
      const value = v.groups.v;
      // A bare word after a Latin cue ("wechat anytime") is too weak; after 微信 or a colon it is an ID.
      if (LATIN_ONLY.test(value)) {
        const [a, b] = originalOf(p, { ns: cue.ns, ne: cue.ne + v[0].length - value.length });
        if (!CJK_OR_COLON.test(p.original.slice(a, b))) continue;
      }
      out.push({
        category: 'off-platform',
        tier: 'block',
        rule: r.rule,
        span: { ns: cue.ns, ne: cue.ne + v[0].length },
        normalized: r.name(value),
      });
    }
  }
}

function phoneHits(p: Prepared, out: Hit[]): void {
  const skel = p.skel.text;
  for (const re of [CN_MOBILE, CN_LANDLINE]) {
    re.lastIndex = 0;
    for (let m = re.exec(skel); m; m = re.exec(skel)) {
      const prefix = skel.slice(Math.max(0, m.index - 12), m.index);
      if (CODE_CUE.test(prefix) || /[¥$]$/.test(prefix)) continue;
      if (/^(?:元|块)/.test(skel.slice(m.index + m[0].length))) continue;
      out.push({
        category: 'off-platform',
        tier: 'block',
        rule: 'off-platform/contact-phone',
        span: fromSkel(p, m.index, m.index + m[0].length),
        normalized: `phone:${m[1]}`,
      });
    }
  }
  US_PHONE.lastIndex = 0;
  for (let m = US_PHONE.exec(skel); m; m = US_PHONE.exec(skel)) {
    const span = fromSkel(p, m.index, m.index + m[0].length);
    const near = p.norm.text.slice(Math.max(0, span.ns - 40), span.ns);
    if (!US_PHONE_CUE.test(near) || CODE_CUE.test(near)) continue;
    out.push({
      category: 'off-platform',
      tier: 'block',
      rule: 'off-platform/contact-phone',
      span,
      normalized: `phone:+1${m[1]}`,
    });
  }
}

function linkHits(p: Prepared, out: Hit[]): void {
  if (!p.latin) return;
  const norm = p.norm.text;
  EMAIL.lastIndex = 0;
  const emails: Span[] = [];
  for (const re of [EMAIL, EMAIL_SPELLED]) {
    re.lastIndex = 0;
    for (let m = re.exec(norm); m; m = re.exec(norm)) {
      const span = { ns: m.index, ne: m.index + m[0].length };
      emails.push(span);
      const address = m[2] ? `${m[1]}@${m[2]}.${m[3]}` : m[0];
      out.push({
        category: 'off-platform',
        tier: 'block',
        rule: 'off-platform/contact-email',
        span,
        normalized: `email:${address}`,
      });
    }
  }
  LINK.lastIndex = 0;
  for (let m = LINK.exec(norm); m; m = LINK.exec(norm)) {
    const span = { ns: m.index, ne: m.index + m[0].length };
    if (emails.some((e) => overlaps(e, span))) continue;
    const url = m[0].replace(/\s*(?:\bdot\b|\(dot\)|\[dot\])\s*/, '.');
    const host = url.replace(/^https?:\/\//, '').split(/[/?#]/)[0]!;
    if (PLATFORM_DOMAINS.test(host)) continue;
    if (/^\d+(?:\.\d+)*$/.test(host)) continue; // 9.9, 1.2.3
    const telegram = /^t\.me\/([a-z0-9_]{5,32})/.exec(url);
    const whatsapp = /^wa\.me\/\+?(\d{7,15})/.exec(url);
    out.push({
      category: 'off-platform',
      tier: 'block',
      rule: telegram
        ? 'off-platform/contact-telegram'
        : whatsapp
          ? 'off-platform/contact-whatsapp'
          : 'off-platform/link',
      span,
      normalized: telegram ? `telegram:${telegram[1]}` : whatsapp ? `whatsapp:${whatsapp[1]}` : `url:${url}`,
    });
  }
}

function phraseHits(p: Prepared, out: Hit[]): void {
  const zh = ANY_PHRASE_ZH.test(p.skel.text);
  const en = p.latin && ANY_PHRASE_EN.test(p.norm.text);
  if (!zh && !en) return;
  for (const r of PHRASES) {
    if (r.zh && zh && (!r.guardZh || r.guardZh.test(p.skel.text))) {
      r.zh.lastIndex = 0;
      for (let m = r.zh.exec(p.skel.text); m; m = r.zh.exec(p.skel.text)) {
        const span = fromSkel(p, m.index, m.index + m[0].length);
        if (negated(p, span)) continue;
        out.push({ category: 'off-platform', tier: r.tier, rule: r.rule, span, normalized: m[0] });
      }
    }
    if (r.en && en && (!r.guardEn || r.guardEn.test(p.norm.text))) {
      r.en.lastIndex = 0;
      for (let m = r.en.exec(p.norm.text); m; m = r.en.exec(p.norm.text)) {
        const span = { ns: m.index, ne: m.index + m[0].length };
        if (negated(p, span)) continue;
        out.push({ category: 'off-platform', tier: r.tier, rule: r.rule, span, normalized: m[0] });
      }
    }
  }
}

function longDigitHits(p: Prepared, out: Hit[]): void {
  const norm = p.norm.text;
  LONG_DIGITS.lastIndex = 0;
  for (let m = LONG_DIGITS.exec(norm); m; m = LONG_DIGITS.exec(norm)) {
    const span = { ns: m.index, ne: m.index + m[0].length };
    const digits = m[0].replace(/ /g, '');
    // 13 digits and more are order, tracking or card numbers far more often than contacts.
    if (digits.length > 12 || out.some((h) => overlaps(h.span, span))) continue;
    if (CODE_CUE.test(before(p, span.ns, 24))) continue;
    out.push({
      category: 'off-platform',
      tier: 'flag',
      rule: 'off-platform/long-digits',
      span,
      normalized: `digits:${digits}`,
    });
  }
}

/** Off-platform findings in one prepared text; a flag inside a block's span is left out. */
export function offPlatform(p: Prepared): Hit[] {
  const hits: Hit[] = [];
  valueHits(p, hits);
  phoneHits(p, hits);
  linkHits(p, hits);
  phraseHits(p, hits);
  longDigitHits(p, hits);
  const blocks = hits.filter((h) => h.tier === 'block');
  return hits.filter((h) => h.tier === 'block' || !blocks.some((b) => overlaps(b.span, h.span)));
}
