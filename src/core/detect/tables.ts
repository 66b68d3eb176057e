/**
 * Normalisation tables (domain.md §1.3 and §1.4). Data only; `normalize.ts` applies them.
 * Sources are tagged as in domain.md: [V] checked by running Node, [C:Cxx] public code, [own].
 */

/**
 * Invisible characters stripped in step 2 (§1.3 "Zero-width / variation selectors" [C:C5][V]),
 * plus bidi isolates, tag characters and Hangul fillers used the same way. Inclusive ranges.
 */
export const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x115f, 0x1160], // Hangul choseong/jungseong fillers
  [0x180e, 0x180e], // Mongolian vowel separator
  [0x200b, 0x200f], // zero-width space/joiners, LRM/RLM
  [0x202a, 0x202e], // bidi embeddings and overrides
  [0x2060, 0x2064], // word joiner, invisible operators
  [0x2066, 0x2069], // bidi isolates
  [0x20e3, 0x20e3], // combining enclosing keycap (1️⃣)
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors (emoji presentation)
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
  [0xffa0, 0xffa0], // half-width Hangul filler
  [0xe0000, 0xe007f], // tag characters
  [0xe0100, 0xe01ef], // variation selectors supplement
];

function ranged(entries: Array<[first: number, count: number, values: (k: number) => string]>) {
  const map = new Map<number, string>();
  for (const [first, count, value] of entries) for (let k = 0; k < count; k++) map.set(first + k, value(k));
  return map;
}

const ZH_DIGITS = '一二三四五六七八九十';
const LATIN = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Step 3: characters NFKC leaves alone or folds with punctuation that would break a digit run
 * (§1.3 "Dingbat digits" [V]: ❶➀➊ U+2776–2793, ⓫–⓴, ⓵–⓾, ⓿ U+24EB–24FF, 🄋🄌 U+1F10B–1F10C),
 * and the parenthesised or full-stop forms NFKC turns into "(1)", "1." or "(一)".
 */
export const DINGBATS: ReadonlyMap<number, string> = ranged([
  [0x2776, 10, (k) => String(k + 1)], // ❶–❿
  [0x2780, 10, (k) => String(k + 1)], // ➀–➉
  [0x278a, 10, (k) => String(k + 1)], // ➊–➓
  [0x24eb, 10, (k) => String(k + 11)], // ⓫–⓴
  [0x24f5, 10, (k) => String(k + 1)], // ⓵–⓾
  [0x24ff, 1, () => '0'], // ⓿
  [0x1f10b, 2, () => '0'], // 🄋 🄌
  [0x1f100, 1, () => '0'], // 🄀 "0."
  [0x1f101, 10, (k) => String(k)], // 🄁–🄊 "0,"…"9,"
  [0x2474, 20, (k) => String(k + 1)], // ⑴–⒇ (NFKC: "(1)")
  [0x2488, 20, (k) => String(k + 1)], // ⒈–⒛ (NFKC: "1.")
  [0x3220, 10, (k) => ZH_DIGITS[k]!], // ㈠–㈩ (NFKC: "(一)")
  [0x1f110, 26, (k) => LATIN[k]!], // 🄐–🄩 parenthesised latin (NFKC: "(A)")
  [0x1f150, 26, (k) => LATIN[k]!], // 🅐–🅩 negative circled latin (no NFKC)
  [0x1f170, 26, (k) => LATIN[k]!], // 🅰–🆉 negative squared latin (no NFKC)
  [0x1f1e6, 26, (k) => LATIN[k]!], // 🇦–🇿 regional indicators, as in 🇻 🇽
]);

/**
 * Step 5: emoji that stand for a channel or a word (§1.1 A–B, §1.3 "Emoji / aliases" [C:C7]).
 * 🛰️ is 卫星 (weixing ≈ weixin), i.e. WeChat per [C:C7]; ✈️/🛩️ are 纸飞机, i.e. Telegram.
 */
export const EMOJI_ALIASES: ReadonlyMap<number, string> = new Map([
  [0x1f427, 'qq'], // 🐧 企鹅
  [0x1f6f0, '微信'], // 🛰 卫星
  [0x2708, 'telegram'], // ✈ 纸飞机
  [0x1f6e9, 'telegram'], // 🛩
  [0x1f360, '小红书'], // 🍠 小红薯
  [0x1f4de, '电话'], // 📞
  [0x260e, '电话'], // ☎
  [0x1f4f1, '手机'], // 📱
  [0x2795, '+'], // ➕ as in ➕V
  [0x1f9e7, '红包'], // 🧧
]);

/** Separators an evader puts inside a word: 微 信, 微-信, 微❤信, V/X. */
const SEP = '[\\s\\p{P}\\p{S}]{0,2}';
const g = (source: string) => new RegExp(source, 'gu');

/**
 * Step 6: look-alike and homophone spellings of contact channels, folded to one canonical form
 * (§1.1 A–B, §1.3 [C:C5,C10,C11][P:S18]). Applied on lower-cased text, after the whitelist.
 */
export const LOOKALIKES: ReadonlyArray<readonly [RegExp, string]> = [
  [g(`[微威薇徽维溦嶶矀]${SEP}[信伩]`), '微信'], // 威信 薇信 徽信 维信 溦信 嶶信 矀信 微伩
  [g(`(?<![a-z])v${SEP}信`), '微信'], // V信
  [g(`(?<![a-z0-9])(?:v${SEP}x|w${SEP}x|wei${SEP}xin|we${SEP}chat)(?![a-z])`), '微信'], // vx wx weixin wechat
  [g(`卫${SEP}星`), '微信'], // 卫星, slang [C:C7]
  [g(`绿${SEP}泡${SEP}泡|绿色(?:聊天)?软件`), '微信'], // 绿泡泡 [C:C7]
  [g(`[扣抠蔻寇叩]${SEP}[扣抠蔻寇叩]`), 'qq'], // 扣扣 抠抠 蔻蔻
  [g('企鹅(?=号)'), 'qq'], // 企鹅号
  [g(`纸${SEP}飞${SEP}机|飞机(?=号)|电报`), 'telegram'], // 纸飞机 飞机号 电报 [C:C7,C10]
  [g('(?<![a-z])tg(?![a-z])'), 'telegram'],
  [g(`(?<![a-z])(?:whats?${SEP}app|wats?app|whatsap)(?![a-z])`), 'whatsapp'],
];

/**
 * Masked before step 6, so that folding does not turn real words into a channel (§0.1, §1.3):
 * 安徽信息 → 安微信息 would contain 微信; 威信县 is a county and 威信 also means prestige.
 */
export const LOOKALIKE_WHITELIST: readonly RegExp[] = [
  g(`安${SEP}徽`), // 安徽 (province): 安徽信息 [own]
  g('(?:警|军|队|校|会|国|省|市|县|区|团|党)徽'), // 警徽信息, 校徽信封 …
  g('威信县|威信(?:扫地|很高|极高|不够|大增|下降|受损)|(?:有|树立|建立|没有|失去|很有|挺有|威望和)威信'),
  g('维信(?:金科|诺|集团)'), // company names
  g(
    '卫星(?:电视|锅|天线|信号|导航|定位|地图|发射|云图|通信|照片|城)|(?:北斗|人造|通信|气象|导航|遥感|发射|军事)卫星',
  ),
  g('扣扣子|扣扣扣'), // 扣扣子 = do up the buttons
  g('电报(?:机|局|码)'),
  g('(?:折|叠)纸飞机'),
];

/** Step 7: Chinese, financial and radio-call numerals (§1.3 [C:C5]), used only inside digit runs. */
export const NUMERAL_DIGITS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['零〇洞', '0'],
      ['一壹幺', '1'],
      ['二贰貳两兩', '2'],
      ['三叁參', '3'],
      ['四肆', '4'],
      ['五伍', '5'],
      ['六陆陸', '6'],
      ['七柒拐', '7'],
      ['八捌', '8'],
      ['九玖勾', '9'],
    ] as const
  ).flatMap(([chars, d]) => [...chars].map((c) => [c, d] as const)),
);

/** Step 7: spelled-out English digits, used only inside digit runs (§1.3). */
export const DIGIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['zero', '0'],
  ['oh', '0'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
]);
