/**
 * Statements to capture: promises (§2.2), extreme words (§2.3), health claims (§2.4), and the
 * auxiliary tags pressure (§2.1 "Pressure cues") and sob-story (§2.5). Phrase tables are data;
 * zh sources run on the skeleton, en sources on the normalised text.
 */
import type { Category, Hit } from './types';
import type { Prepared, Span } from './text';
import { anyOf, anyOfAll, asked, exemptSpans, fromSkel, negated, overlaps } from './text';

interface PhraseRule {
  rule: string;
  zh?: readonly string[];
  en?: readonly string[];
  /** A promise that excludes the buyer's rights (§2.2 "Negative or unfair terms"). */
  unfair?: true;
}

interface PhraseCategory {
  category: Category;
  rules: readonly PhraseRule[];
  /** Exempt spans (SAMR 2023 guideline, composition labels …): a hit inside one is dropped. */
  exempt?: { zh?: readonly string[]; en?: readonly string[] };
  /** Drop hits that are asked about (有运费险吗) rather than stated. */
  skipQuestions: boolean;
}

const N = '(?:\\d+|[一二两三四五六七八九十几百]+)';

/** §2.2 Promise phrases (authenticity, returns, after-sales, price protection, gifts, efficacy, delivery). */
export const PROMISES: PhraseCategory = {
  category: 'promise',
  skipQuestions: true,
  rules: [
    {
      rule: 'promise/unfair',
      unfair: true,
      zh: [
        '(?:一经|一旦)?售出(?:后)?(?:概)?不(?:退换|退货|退款|退|换)',
        '概不退换',
        '不退不换',
        '(?:定制|拆封|拆开|开封|特价|清仓|福利)(?:商品)?(?:的)?(?:概)?不(?:退|退换|退款|支持退换)',
        '不支持(?:七天|7天)?(?:无理由)?(?:退货|退换|退款)',
        '不支持(?:七天|7天)无理由',
        '签收(?:后)?不(?:退|退换|退款)',
        '售后不(?:管|负责)',
        '(?:拍下|下单)(?:后)?不(?:退|退换|退款)',
      ],
      en: [
        '\\bno returns?\\b',
        '\\ball sales? (?:are )?final\\b',
        '\\bfinal sale\\b',
        '\\bnon[- ]refundable\\b',
        '\\bno refunds?\\b',
      ],
    },
    {
      rule: 'promise/authenticity',
      zh: [
        '假一(?:赔|罚)(?:十|三|万|百|一万|\\d+)',
        '正品保证',
        '保证正品',
        '保真',
        '专柜正品',
        '官方正品',
        '原装正品',
        '(?:百分百|百分之百|100%)正品',
        '支持(?:专柜)?验货',
        '先验货后付款',
        '假货包退',
      ],
      en: [
        '\\b100% (?:authentic|genuine|original|real)\\b',
        '\\bauthentic(?:ity)? guaranteed\\b',
        '\\bguaranteed (?:authentic|genuine|original)\\b',
      ],
    },
    {
      rule: 'promise/return',
      zh: [
        '(?:七|7)天无理由(?:退换货?|退货|退款)?',
        '无理由退(?:换|货|款)',
        '包退(?:包换|换)?',
        '随时退',
        '(?:不满意|不合适|不喜欢)(?:就|可以|直接|随时)?(?:包)?退',
      ],
      en: [
        '\\bfree returns?\\b',
        '\\b\\d+[- ]day (?:returns?|refunds?|money[- ]back)\\b',
        '\\bmoney[- ]back guarantee(?:d)?\\b',
        '\\bfull refund if\\b',
      ],
    },
    { rule: 'promise/shipping-insurance', zh: ['运费险', '退货包运费', '退货运费我(?:们)?出'] },
    { rule: 'promise/damage', zh: ['(?:坏果|破损|坏单|烂果|坏了|碎了)包赔', '坏(?:一|1)赔(?:一|二|十|\\d)'] },
    {
      rule: 'promise/warranty',
      zh: ['终身(?:保修|质保|维修)', '全国联保', '三包', '售后无忧', '保修' + N + '年', '质保' + N + '年'],
      en: ['\\blifetime warranty\\b', '\\b\\d+[- ]year warranty\\b'],
    },
    {
      rule: 'promise/price-protection',
      zh: ['全网最低(?:价)?', '买贵(?:了)?退差(?:价)?', '保价' + N + '?天', '价保', '价格保护'],
      en: ['\\bprice match(?:ing)?\\b', '\\blowest price guaranteed\\b'],
    },
    {
      rule: 'promise/gift',
      zh: [
        '买' + N + '(?:件|个|盒|瓶)?送' + N,
        '拍' + N + '(?:件|个|盒|瓶)?发' + N,
        '加赠',
        '赠品',
        '下单(?:就)?送',
        '送(?:礼品|小样|好礼)',
        '(?:再|还|都|额外)送',
        '送(?:一|两|二|\\d)(?:瓶|个|支|盒|件|套|份|包|袋)',
      ],
      en: ['\\bbuy one,? get one\\b', '\\bbogo\\b', '\\bfree gift with\\b'],
    },
    {
      rule: 'promise/efficacy',
      zh: [
        '无效(?:全额)?退款',
        '无效全额退',
        '没(?:有)?效果(?:全额)?退',
        '不见效(?:全额)?退',
        '包治',
        N + '天见效',
      ],
      en: ['\\bguaranteed results\\b', '\\bor your money back\\b'],
    },
    {
      rule: 'promise/delivery',
      zh: [
        '当天发(?:货)?',
        '(?:24|48|72)小时(?:内)?发(?:货)?',
        '顺丰包邮',
        '次日达',
        '今天(?:下单)?(?:就)?发货',
        '现货秒发',
        '秒发',
      ],
      en: [
        '\\bships? (?:out )?(?:today|same day|within \\d+ ?(?:hours|hrs|days))\\b',
        '\\bsame[- ]day shipping\\b',
        '\\bi ship today\\b',
      ],
    },
  ],
};

/** §2.3 Extreme words by category (practice lists [P:S1,S2,S3,S11,S12][C:C17]), claims to capture. */
export const EXTREME_CLAIMS: PhraseCategory = {
  category: 'extreme-claim',
  skipQuestions: true,
  rules: [
    {
      rule: 'extreme-claim/most',
      zh: [
        '最(?:佳|具|赚|优秀?|奢侈|便宜|流行|受欢迎|时尚|聚拢|符合|舒适|先进|先享受|后一波)',
        '最好(?=的|用|吃|喝|看|穿|卖)',
        '最大(?!码|号|尺码|的码|容量)',
        '最高(?:级|档)?(?!可|减|返|抵|优惠|\\d|温|气温|到)',
        '最低(?:价|级)?(?![\\d温气])',
        '最底价?',
        '最新(?:科技|科学|技术)',
        '史上最',
        '没有之一',
        '(?:质量|效果|口碑|品质|全网|全国|世界|行业)最好',
        '(?:大家|宝宝|姐妹|女生|男生|粉丝|网友|明星|妈妈|全网|网红|年轻人)们?(?:的)?最爱',
        '(?:全网|全国|全球|全世界|世界|行业|史上|市面上|网上)最[\\u4e00-\\u9fff]{1,2}',
      ],
      en: [
        '\\bbest (?:in the world|ever|on the market|quality in the world|price ever|deal ever)\\b',
        '\\bthe best [a-z]+ ever\\b',
        "\\bworld'?s (?:best|cheapest|lowest|#1|number one)\\b",
        '\\bcheapest (?:anywhere|on (?:tiktok|the market|the internet)|price ever|in the world|ever)\\b',
        '\\blowest price (?:anywhere|ever|on tiktok|in the world)\\b',
        '\\bunbeatable\\b',
      ],
    },
    {
      rule: 'extreme-claim/first',
      zh: [
        '(?:中国|全网|销量|排名|全国|全球|世界|行业|天下|同类|类目|品类|全省|亚洲|全市|市场占有率)第一(?:名|品牌)?',
        '第一品牌',
        '(?<![a-z])no1(?!\\d)(?!号?链接)',
        '(?<![a-z])top1(?!\\d)',
        '唯一(?!的(?:缺点|问题|遗憾|要求))',
        '独一无二',
        '一流',
        '仅此一次',
        '全国' + N + '大(?:品牌|名牌)之一',
        N + '大品牌',
        '首个',
        '首选',
        '首家',
        '(?:全球|全网|全国)?首发',
        '首创',
      ],
      en: [
        '(?:#|\\bno\\.? ?|\\bnumber )1 (?:brand|seller|selling|rated|in the (?:world|us|country))\\b',
        '\\bnumber one (?:brand|seller)\\b',
        '\\bfirst in the world\\b',
      ],
    },
    {
      rule: 'extreme-claim/level',
      zh: [
        '国家级',
        '全球级',
        '宇宙级',
        '世界级',
        '国际级',
        '顶级',
        '顶尖',
        '尖端',
        '极品',
        '极佳',
        '绝佳',
        '终极',
        '极致',
        '至尊',
        '巅峰',
      ],
      en: ['\\bworld[- ]class\\b', '\\btop[- ]tier\\b'],
    },
    {
      rule: 'extreme-claim/brand-status',
      zh: [
        '王牌',
        '领袖品牌',
        '领导品牌',
        '(?:世界|遥遥)?领先',
        '领跑',
        '金牌',
        '名牌',
        '(?:销量)?冠军',
        '掌门人',
        '巨星',
        '著名',
        '驰名商标',
        '中国驰名',
        '老字号',
      ],
      en: ['\\bmarket leader\\b', '\\bbest[- ]selling brand\\b'],
    },
    {
      rule: 'extreme-claim/state-authority',
      zh: [
        '(?:国家)?领导人(?:推荐|专用|同款)',
        '国家机关(?:推荐|专供|特供)',
        '机关(?:专供|特供)',
        '国宴(?:专供|特供|指定|同款)?',
        '(?:专供|特供)(?:国家|机关|部队|军队)',
        '(?:质量)?免检产品',
        '质量免检',
        '免抽检',
        '无需国家质量检测',
        '人民大会堂(?:专供|指定)',
        '国家(?:认证|推荐|指定)(?:产品)?',
      ],
      en: ['\\bgovernment[- ]approved\\b', '\\bendorsed by the government\\b'],
    },
    {
      rule: 'extreme-claim/absolute',
      zh: [
        '绝对(?!值)',
        '百分百',
        '百分之百',
        '100%',
        '永久',
        '万能(?!胶|充|表|钥匙|贴|扳手|插座|遥控器|锅)',
        '绝无仅有',
        '史无前例',
        '前无古人',
        '空前绝后',
        '填补国内空白',
        '精确(?!到)',
        '零风险',
      ],
      en: ['\\bzero risk\\b', '\\brisk[- ]free\\b'],
    },
    {
      // §2.3 item 7: deceptive wording from platform lists [C:C17] (the urgency ones are under pressure).
      rule: 'extreme-claim/platform-banned',
      zh: ['点击领奖', '恭喜(?:您)?获奖', '全民免单', '点击有惊喜', '万人疯抢', '抢疯了'],
    },
  ],
  exempt: {
    zh: [
      // SAMR 2023: usage tips (最佳食用期 …) [P:S8,S9].
      '最佳(?:食用|赏味|饮用|使用|保存|佩戴|观赏|冲泡|服用)(?:期|时间|方法|温度|时段|日期)?',
      // Self-comparison within one brand or shop [P:S8].
      '(?:本店|我家|我们家|店里|店铺|自家|本品牌|本系列|我们店)(?:的)?.{0,4}?(?:最新|最受欢迎|最好卖|最热销|销量最高|销量第一|卖得最好|最畅销|最便宜|最好)',
      // Awards and graded standards granted under state rules [P:S8].
      '国家级(?:非遗|非物质|传承人|高新|专精特新|重点|示范|保护|自然保护区|开发区|景区|贫困县|一级|二级)',
      // Service attitude, business philosophy and goals are out of scope [P:S8].
      '(?:服务|态度|客服|售后)(?:最好|第一|一流|最优|最棒)',
      '(?:最好|一流|顶级|金牌)的?(?:服务|态度|客服|售后)',
      '(?:争做|争创|致力于成为|致力于|力争|立志成为|立志|目标是).{0,6}?(?:第一|最\\S|一流|领先|顶级)',
      // Statements limited in time or place (2022年12月1日10点整首发).
      '(?:\\d+年)?\\d+月\\d+[日号].{0,8}?首发',
      '(?:今晚|今天|明天|本周|周[一二三四五六日])?\\d+点(?:整)?首发',
      // Composition labels are facts (domain.md N13): 100%棉.
      '(?:100%|百分百|百分之百)(?:纯)?(?:棉|羊毛|羊绒|真丝|蚕丝|桑蚕丝|涤纶|聚酯|亚麻|锦纶|含量|纯度|纯棉)',
      '(?:含量|成分|棉|纯度)(?:为|是)?(?:100%|百分百)',
      // Promise phrases listed elsewhere: 全网最低价 is both; 百分百正品 is a promise.
      '(?:100%|百分百|百分之百)(?:正品|好评|退款)',
    ],
    en: [
      '\\bbest (?:before|by)\\b',
      '\\b100% (?:cotton|wool|silk|polyester|linen|authentic|genuine|original|real)\\b',
    ],
  },
};

/** §2.4 Health and food claims (Ad Law Arts. 17/18; Food Safety Law Art. 73). */
const DISEASES =
  '(?:(?:腰|腿|头|关节|颈|肩|胃|牙|膝盖)(?:疼|痛)|糖尿病|高血压|高血脂|三高|癌症?|肿瘤|关节炎|风湿|失眠|便秘|痛风|颈椎病|腰椎|前列腺|妇科病|脱发|近视|老花|心脑血管|中风|脑梗|冠心病|胃病|肝病|肾病|湿疹|皮肤病|痔疮|鼻炎|咽炎|哮喘|不孕|阳痿|早泄|病)';

export const HEALTH_CLAIMS: PhraseCategory = {
  category: 'health-claim',
  skipQuestions: true,
  exempt: {
    // Someone's own illness in a sob story is not a claim about the product.
    zh: ['(?:等钱|没钱|花钱|攒钱|借钱|凑钱|钱)(?:给.{0,3})?治病', '(?:去医院|看医生|住院)治疗'],
  },
  rules: [
    {
      rule: 'health-claim/medical',
      zh: [
        '治疗',
        '治好[\\u4e00-\\u9fff]{0,8}?' + DISEASES,
        '(?:清除|清理|疏通|软化)血管',
        '血管垃圾',
        '排毒',
        '治愈',
        '根治',
        '药到病除',
        '疗效',
        '处方',
        '复方',
        '消炎',
        '抗炎',
        '杀菌',
        '活血化瘀',
        '止咳',
        '解毒',
        '防治',
        '防癌',
        '抗癌',
        '抗肿瘤',
        '降(?:血压|血糖|血脂|三高|压|糖)',
        '溶栓',
        '增高(?!鞋|垫)',
        '益智',
        '补肾',
        '壮阳',
        '包治百病',
        '(?:替代|代替|取代)(?:药物|[\\u4e00-\\u9fff]{0,3}?药|胰岛素|打针|吃药)',
        '(?:血糖|血压|血脂|尿酸|胆固醇)[\\u4e00-\\u9fff]{0,3}?(?:降|下降|降低)',
        '降[\\u4e00-\\u9fff]{0,2}?(?:血糖|血压|血脂|尿酸|胆固醇)',
        '可以停药',
        '不用吃药',
        '(?:治|调理|缓解|改善|预防|根除|消除|告别|专治|治好)[\\u4e00-\\u9fff]{0,3}?' + DISEASES,
      ],
      en: [
        '\\b(?:cures?|cured|treats?|heals?|reverses?|prevents?)\\b[^.!?]{0,20}?\\b(?:cancer|diabetes|arthritis|insomnia|hypertension|high blood pressure|covid|disease|acne|hair loss|anxiety|depression)\\b',
        '\\bmiracle (?:cure|pill)\\b',
        '\\bfda[- ]approved\\b',
      ],
    },
    {
      rule: 'health-claim/exaggeration',
      zh: [
        '特效(?:药|产品|配方|成分|保证)',
        '有特效',
        '神效',
        '奇效',
        '速效',
        '强效',
        '全效',
        '高效(?=治|降|减|瘦|美白|祛|抗|消|止|除|去|补|修复)',
      ],
    },
    { rule: 'health-claim/false-origin', zh: ['祖传', '秘制', '(?:宫廷|祖传)?秘方'] },
    {
      rule: 'health-claim/cosmetic',
      zh: [
        '速白',
        '一洗白',
        N + '天(?:见效|美白|变白|瘦)',
        '几天见效',
        '见效快',
        '立竿见影',
        '瘦身',
        '溶脂',
        '燃脂',
        '祛斑',
        '去斑',
        '去皱',
        '祛痘',
        '丰胸',
        '丰乳',
        '生发',
        '防脱',
      ],
      en: ['\\blose \\d+ ?(?:lbs|pounds|kg) in\\b', '\\bburns? fat\\b', '\\bmelts? fat\\b'],
    },
    {
      rule: 'health-claim/safety',
      zh: ['无毒副作用', '无副作用', '没有(?:任何)?(?:毒)?副作用', '纯天然无害'],
      en: ['\\bno side effects\\b'],
    },
  ],
};

/** §2.1 Pressure cues (auxiliary tag), with SAMR/中消协's 限量秒杀 / 5秒下链接 [P:S14]. */
export const PRESSURE: PhraseCategory = {
  category: 'pressure',
  skipQuestions: false,
  rules: [
    {
      rule: 'pressure/scarcity',
      zh: [
        '最后' + N + '(?:单|件|个|套|份)',
        '只剩(?:最后)?' + N + '?(?:件|单|个|套|份)',
        '仅剩',
        '库存(?:告急|不多|紧张)',
        '前' + N + '(?:名|单|位)',
        '限量',
        '(?:抢|卖)完(?:就)?没(?:有)?了',
        '最后一波',
      ],
      en: [
        '\\bonly \\d+ (?:left|remaining|in stock)\\b',
        '\\blast (?:one|few|chance)\\b',
        '\\blimited (?:stock|quantity|edition)\\b',
        '\\bselling (?:out )?fast\\b',
        "\\bbefore (?:it'?s|they'?re) gone\\b",
        '\\bwhile (?:stocks?|supplies) last\\b',
      ],
    },
    {
      rule: 'pressure/deadline',
      zh: [
        '倒计时',
        '倒数',
        '最后一天',
        '限时',
        '(?:马上|即将|立刻)下(?:架|链接|播)',
        '(?:只|仅)(?:放|上|卖|开)' + N + '(?:分钟|秒|小时)',
        '抓紧(?:时间|下单|拍|抢|上车)',
        '赶紧(?:拍|下单|抢|上车)',
        N + '秒(?:上|下|改)(?:链接|价)',
        '321上链接',
        '手慢无',
        '拼手速',
        '仅此一次',
        '只有这一次',
        '过了这村没这店',
        '(?:今天|现在)不买明天(?:就)?涨',
        '明天(?:就)?涨价',
        '马上涨价',
        '恢复原价',
        '错过(?:就)?(?:没有|不再|再等一年|等一年)',
        '不会再便宜',
      ],
      en: [
        '\\blimited time\\b',
        '\\bhurry\\b',
        '\\bends (?:in|tonight|soon|at)\\b',
        "\\bdon'?t miss (?:out|it)\\b",
        '\\btoday only\\b',
        '\\bcountdown\\b',
        '\\bprice goes up\\b',
        '\\blast chance\\b',
      ],
    },
  ],
};

/** §2.5 Sob-story and scripted selling (卖惨带货) cues (auxiliary tag) [P:S44,S45,S46]. */
export const SOB_STORY: PhraseCategory = {
  category: 'sob-story',
  skipQuestions: false,
  rules: [
    {
      rule: 'sob-story/hardship',
      zh: [
        '滞销',
        '卖不(?:出去|掉|动)',
        '贫困(?:山区|户|县|地区|家庭)',
        '全靠(?:这个|卖这个)(?:过日子|吃饭|生活|养家)',
        '烂在(?:地|树|家|仓库)',
        '帮帮(?:老人|我们|我|大爷|奶奶|爷爷|果农|农民|孩子|我家|老乡|他|她)',
        '求求(?:大家|你们|各位)',
        '求(?:大家|你们|各位)(?:帮|支持|买)',
        '帮帮忙',
        '(?:再不卖|卖不完)(?:就)?(?:坏|烂)',
        '家里有病人',
        '(?:家人|老人|孩子|妈|爸|老公|老婆|父亲|母亲)(?:住院|生病|重病|得了)',
        '等钱治病',
        '看病(?:的)?钱',
        '救命钱',
        '(?:孩子|娃)(?:上学|学费|读书)',
        '父母双亡',
        '单亲妈妈',
        '残疾',
        '卖完(?:就)?回家',
      ],
      en: [
        '\\bhelp (?:my|our) (?:family|farm|kids|mom|dad)\\b',
        '\\bmedical bills?\\b',
        '\\blost my job\\b',
        '\\bplease support (?:my|our|us)\\b',
      ],
    },
    {
      rule: 'sob-story/loss',
      zh: [
        '亏本(?:也要)?(?:卖|清仓|甩|大甩卖)',
        '赔本(?:清仓|卖|甩|赚吆喝)',
        '血亏',
        '(?:厂子|工厂|厂家|公司)倒闭',
        '老板跑路',
        '良心价',
        '不赚钱',
        '交个朋友',
        '助农',
        '老板不同意',
        '自掏腰包',
        '(?:我|自己)(?:补贴|贴钱)',
      ],
      en: [
        '\\bgoing out of business\\b',
        '\\bclosing down\\b',
        '\\blosing money\\b',
        '\\bselling at a loss\\b',
      ],
    },
  ],
};

export const CLAIM_CATEGORIES: readonly PhraseCategory[] = [
  PROMISES,
  EXTREME_CLAIMS,
  HEALTH_CLAIMS,
  PRESSURE,
  SOB_STORY,
];

interface Compiled {
  category: Category;
  skipQuestions: boolean;
  anyZh: RegExp;
  anyEn: RegExp;
  rules: Array<{ rule: string; unfair?: true; zh?: RegExp; en?: RegExp }>;
  exemptZh?: RegExp;
  exemptEn?: RegExp;
}

const COMPILED: readonly Compiled[] = CLAIM_CATEGORIES.map((c) => ({
  category: c.category,
  skipQuestions: c.skipQuestions,
  anyZh: anyOfAll(c.rules.flatMap((r) => r.zh ?? [])),
  anyEn: anyOfAll(c.rules.flatMap((r) => r.en ?? [])),
  rules: c.rules.map((r) => ({
    rule: r.rule,
    ...(r.unfair ? { unfair: true as const } : {}),
    ...(r.zh ? { zh: new RegExp(anyOf(r.zh), 'g') } : {}),
    ...(r.en ? { en: new RegExp(anyOf(r.en), 'g') } : {}),
  })),
  ...(c.exempt?.zh ? { exemptZh: new RegExp(anyOf(c.exempt.zh), 'g') } : {}),
  ...(c.exempt?.en ? { exemptEn: new RegExp(anyOf(c.exempt.en), 'g') } : {}),
}));

/** Promise, extreme, health, pressure and sob-story findings in one text. */
export function claims(p: Prepared): Hit[] {
  const hits: Hit[] = [];
  for (const c of COMPILED) {
    const zh = c.anyZh.test(p.skel.text);
    const en = p.latin && c.anyEn.test(p.norm.text);
    if (!zh && !en) continue;
    const found: Hit[] = [];
    let exempt: Span[] | undefined;
    for (const r of c.rules) {
      for (const [re, onSkel] of [
        [zh ? r.zh : undefined, true],
        [en ? r.en : undefined, false],
      ] as const) {
        if (!re) continue;
        const source = onSkel ? p.skel.text : p.norm.text;
        re.lastIndex = 0;
        for (let m = re.exec(source); m; m = re.exec(source)) {
          const span = onSkel
            ? fromSkel(p, m.index, m.index + m[0].length)
            : { ns: m.index, ne: m.index + m[0].length };
          if (found.some((h) => overlaps(h.span, span) && h.unfair && !r.unfair)) continue;
          exempt ??= exemptSpans(p, c.exemptZh, c.exemptEn);
          if (exempt.some((e) => overlaps(e, span))) continue;
          if (negated(p, span) || (c.skipQuestions && asked(p, span))) continue;
          found.push({
            category: c.category,
            rule: r.rule,
            span,
            normalized: m[0],
            ...(r.unfair ? { unfair: true as const } : {}),
          });
        }
      }
    }
    hits.push(...found);
  }
  return hits;
}
