import { describe, expect, it } from 'vitest';
import type { Category, Detection, DetectInput } from '../../../../src/core/detect';
import { SessionDetector, detectText } from '../../../../src/core/detect';

const categories = (ds: Detection[]) => [...new Set(ds.map((d) => d.category))].sort();
const ofCategory = (ds: Detection[], c: Category) => ds.filter((d) => d.category === c);

function chat(seq: number, author: string, text: string, timeMs = seq * 1000): DetectInput {
  return { seq, kind: 'chat', author, text, timeMs };
}

describe('detectText', () => {
  it('catches the brief’s example as a block, with the original span and the normalised value', () => {
    const ds = detectText('喜欢的加我威信 meimei_2025 直接给你发货', 7);
    expect(ds).toEqual([
      {
        category: 'off-platform',
        tier: 'block',
        rule: 'off-platform/contact-wechat',
        text: '加我威信 meimei_2025',
        normalized: 'wechat:meimei_2025',
        source: [7],
      },
    ]);
  });

  it('returns spans of the original text, however it was written', () => {
    const [d] = detectText('ＶＸ：ｍｅｉｍｅｉ＿２０２５');
    expect(d!.text).toBe('ＶＸ：ｍｅｉｍｅｉ＿２０２５');
    expect(d!.normalized).toBe('wechat:meimei_2025');
    const [p] = detectText('电话 ①③⑧-①②③④-⑤⑥⑦⑧ 哦');
    expect(p!.text).toBe('①③⑧-①②③④-⑤⑥⑦⑧');
    expect(p!.normalized).toBe('phone:13812345678');
  });

  it('defaults seq to 0 and marks the host’s surfaces', () => {
    expect(detectText('私聊')[0]!.source).toEqual([0]);
    expect(detectText('私聊', 3, 'chat')[0]!.host).toBeUndefined();
    for (const kind of ['host', 'pinned', 'room-title'] as const)
      expect(detectText('私聊', 3, kind)[0]!.host).toBe(true);
    expect(detectText('私聊', 3, 'product')[0]!.host).toBeUndefined();
  });

  it('survives empty, long and malformed text', () => {
    expect(detectText('')).toEqual([]);
    expect(detectText('\uD800\uDC00\uD800 \u0000')).toEqual([]);
    const long = '好看'.repeat(2000) + '加我微信 meimei_2025';
    expect(detectText(long).map((d) => d.normalized)).toContain('wechat:meimei_2025');
  });
});

describe('off-platform', () => {
  it.each([
    ['QQ 287654321', 'off-platform/contact-qq', 'qq:287654321'],
    ['打我电话 一三八一二三四五六七八', 'off-platform/contact-phone', 'phone:13812345678'],
    ['纸飞机 @cheapbags_hk', 'off-platform/contact-telegram', 'telegram:cheapbags_hk'],
    ['WhatsApp +44 7911 123456', 'off-platform/contact-whatsapp', 'whatsapp:+447911123456'],
    ['email me kicks@gmail.com', 'off-platform/contact-email', 'email:kicks@gmail.com'],
    ['shop at www.cheap-bags.xyz', 'off-platform/link', 'url:www.cheap-bags.xyz'],
  ])('blocks a contact value: %s', (text, rule, normalized) => {
    expect(detectText(text)).toContainEqual(expect.objectContaining({ tier: 'block', rule, normalized }));
  });

  it.each(['直接转我支付宝', '不走平台便宜点', '扫码进群', 'pay me with Zelle', 'skip the TikTok fees'])(
    'blocks a payment, avoidance or group instruction: %s',
    (text) => {
      expect(detectText(text).some((d) => d.category === 'off-platform' && d.tier === 'block')).toBe(true);
    },
  );

  it.each(['私聊', '看主页', '加我微信', 'DM me', 'link in bio', '某宝搜'])('flags a hint: %s', (text) => {
    const ds = ofCategory(detectText(text), 'off-platform');
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.tier === 'flag')).toBe(true);
  });

  it('leaves a flag out where a block covers the same words', () => {
    const ds = detectText('加我微信 meimei_2025');
    expect(ds.map((d) => d.rule)).toEqual(['off-platform/contact-wechat']);
  });

  it.each([
    '微信支付可以吗',
    '安徽信息工程学院',
    '威信县',
    '订单号 4312887654109921',
    '快递单号 SF13812345678',
    '今天 2024-05-13 20:30 开播',
    '¥138 ¥1234 ¥5678',
    '加购物车',
    '关注主播',
    '点击小黄车',
    '扣1',
    '1号链接',
  ])('does not fire on a false friend: %s', (text) => {
    expect(ofCategory(detectText(text), 'off-platform')).toEqual([]);
  });

  it.each([
    'never pay outside TikTok',
    "don't send money through Zelle",
    '不要私下交易',
    '谨防私下转账',
    '请勿脱离平台交易',
    '私下转账的都是骗子',
    '不用加微信，直接拍',
  ])('respects negation and warnings: %s', (text) => {
    expect(ofCategory(detectText(text), 'off-platform')).toEqual([]);
  });

  it('is not fooled by a negation word that is not one', () => {
    expect(detectText('别急，私聊我').some((d) => d.rule === 'off-platform/private-chat')).toBe(true);
  });
});

describe('per-author window', () => {
  it('joins a message split over several lines by one author', () => {
    const d = new SessionDetector();
    expect(d.feed(chat(1, 'a', '加我'))).toEqual([]);
    d.feed(chat(2, 'a', 'v'));
    const ds = d.feed(chat(3, 'a', 'meimei_2025'));
    expect(ds).toContainEqual(
      expect.objectContaining({
        rule: 'off-platform/contact-wechat',
        tier: 'block',
        normalized: 'wechat:meimei_2025',
        source: [1, 2, 3],
        text: '加我\nv\nmeimei_2025',
      }),
    );
  });

  it('ignores other authors in between', () => {
    const d = new SessionDetector();
    d.feed(chat(1, 'a', '加我'));
    d.feed(chat(2, 'b', '好看'));
    d.feed(chat(3, 'a', 'vx'));
    d.feed(chat(4, 'c', '多少钱'));
    const ds = d.feed(chat(5, 'a', 'lily_shop66'));
    expect(ds).toContainEqual(
      expect.objectContaining({ normalized: 'wechat:lily_shop66', source: [1, 3, 5] }),
    );
  });

  it('does not join different authors', () => {
    const d = new SessionDetector();
    d.feed(chat(1, 'a', '加我vx'));
    expect(d.feed(chat(2, 'b', 'lily_shop66'))).toEqual([]);
  });

  it('does not reach outside the time or line window', () => {
    const late = new SessionDetector({ windowMs: 10_000 });
    late.feed(chat(1, 'a', '加我vx', 0));
    expect(late.feed(chat(2, 'a', 'lily_shop66', 20_000))).toEqual([]);

    const far = new SessionDetector({ windowLines: 2 });
    far.feed(chat(1, 'a', '加我vx'));
    far.feed(chat(2, 'a', '哈哈'));
    expect(far.feed(chat(3, 'a', 'lily_shop66'))).toEqual([]);
  });

  it('reports a split message once, not again on the author’s next lines', () => {
    const d = new SessionDetector();
    d.feed(chat(1, 'a', '电话'));
    const found = d.feed(chat(2, 'a', '138 1234 5678'));
    expect(found.filter((x) => x.rule === 'off-platform/contact-phone')).toHaveLength(1);
    expect(d.feed(chat(3, 'a', '哈哈'))).toEqual([]);
  });
});

describe('de-duplication and host marking', () => {
  it('does not report the same input twice', () => {
    const d = new SessionDetector();
    const input = chat(1, 'a', '私聊');
    expect(d.feed(input)).toHaveLength(1);
    expect(d.feed(input)).toEqual([]);
  });

  it('reports a pinned message or title once, however often it is re-read', () => {
    const d = new SessionDetector();
    const pinned = (seq: number): DetectInput => ({ seq, kind: 'pinned', text: '假一赔十', timeMs: seq });
    expect(d.feed(pinned(1))).toHaveLength(1);
    expect(d.feed(pinned(2))).toEqual([]);
    expect(d.feed({ seq: 3, kind: 'room-title', text: '假一赔十', timeMs: 3 })).toHaveLength(1);
  });

  it('still reports the same words said again in chat', () => {
    const d = new SessionDetector();
    expect(d.feed(chat(1, 'a', '私聊'))).toHaveLength(1);
    expect(d.feed(chat(2, 'a', '私聊'))).toHaveLength(1);
  });

  it('marks the host’s own messages', () => {
    const d = new SessionDetector();
    const [h] = d.feed({ seq: 1, kind: 'host', author: '主播', text: '加我威信 meimei_2025', timeMs: 0 });
    expect(h!.host).toBe(true);
    const [c] = d.feed(chat(2, 'viewer', '加我威信 meimei_2025'));
    expect(c!.host).toBeUndefined();
  });
});

describe('prices and traps', () => {
  it('reads amounts with their kind', () => {
    const amounts = ofCategory(detectText('原价299，券后只要三十九块九，运费10元'), 'price').map(
      (d) => d.amount,
    );
    expect(amounts).toEqual([
      { value: 299, currency: 'CNY', kind: 'original' },
      { value: 39.9, currency: 'CNY', kind: 'after-coupon' },
      { value: 10, currency: 'CNY', kind: 'shipping' },
    ]);
  });

  it('finds a trap in one text, and not in an ordinary price', () => {
    const [trap] = ofCategory(detectText('一分钱秒杀，运费99'), 'price-trap');
    expect(trap).toMatchObject({
      tier: 'block',
      rule: 'price-trap/headline-fee',
      text: '一分钱秒杀，运费99',
    });
    expect(ofCategory(detectText('9.9包邮'), 'price-trap')).toEqual([]);
    expect(ofCategory(detectText('1元秒杀 运费10元'), 'price-trap')).toEqual([]);
    expect(ofCategory(detectText('9.9元，运费99元'), 'price-trap')).toHaveLength(1);
  });

  it('finds a trap across the product card and the chat, in either order', () => {
    const card = (seq: number): DetectInput => ({
      seq,
      kind: 'product',
      text: '收纳盒',
      timeMs: seq * 1000,
      product: { id: 'p1', title: '收纳盒', price: '¥0.01' },
    });
    const a = new SessionDetector();
    expect(ofCategory(a.feed(card(1)), 'price')).toHaveLength(1);
    const [trap] = ofCategory(a.feed(chat(2, 'v', '运费要49？')), 'price-trap');
    expect(trap).toMatchObject({ rule: 'price-trap/card-chat', source: [1, 2], text: '¥0.01\n运费要49' });

    const b = new SessionDetector();
    b.feed(chat(1, 'v', '运费49太贵了'));
    expect(ofCategory(b.feed(card(2)), 'price-trap')).toHaveLength(1);
  });

  it('finds a trap on the card itself and reports it once', () => {
    const d = new SessionDetector();
    const card: DetectInput = {
      seq: 1,
      kind: 'product',
      text: '杯子',
      timeMs: 0,
      product: { id: 'p', title: '杯子', price: '¥0.01', originalPrice: '¥199', shipping: '运费 ¥99' },
    };
    const ds = d.feed(card);
    expect(ofCategory(ds, 'price').map((x) => x.amount!.kind)).toEqual(['price', 'original', 'shipping']);
    expect(ofCategory(ds, 'price-trap')).toEqual([
      expect.objectContaining({ rule: 'price-trap/card', text: '¥0.01\n运费 ¥99', source: [1] }),
    ]);
    expect(d.feed({ ...card, seq: 2, timeMs: 5000 })).toEqual([]);
  });

  it('does not pair two viewers’ messages', () => {
    const d = new SessionDetector();
    d.feed(chat(1, 'a', '一分钱吗'));
    expect(ofCategory(d.feed(chat(2, 'b', '运费99')), 'price-trap')).toEqual([]);
  });

  it('pairs the host’s headline with the host’s later fee, once', () => {
    const d = new SessionDetector();
    d.feed({ seq: 1, kind: 'host', text: '一分钱秒杀', timeMs: 0 });
    const [trap] = ofCategory(d.feed({ seq: 2, kind: 'host', text: '运费88', timeMs: 5000 }), 'price-trap');
    expect(trap).toMatchObject({ rule: 'price-trap/announced', host: true, source: [1, 2] });
    expect(ofCategory(d.feed({ seq: 3, kind: 'host', text: '运费88', timeMs: 9000 }), 'price-trap')).toEqual(
      [],
    );
  });
});

describe('claims', () => {
  it.each([
    ['假一赔十', 'promise'],
    ['七天无理由退换', 'promise'],
    ['全网最低价', 'extreme-claim'],
    ['国家级产品', 'extreme-claim'],
    ['能降血糖', 'health-claim'],
    ['最后三单', 'pressure'],
    ['果子滞销了帮帮老人', 'sob-story'],
  ] as const)('finds %s as %s', (text, category) => {
    expect(categories(detectText(text))).toContain(category);
  });

  it('marks unfair terms', () => {
    const [d] = detectText('一经售出概不退换');
    expect(d).toMatchObject({ category: 'promise', rule: 'promise/unfair', unfair: true });
    expect(detectText('七天无理由')[0]!.unfair).toBeUndefined();
  });

  it.each([
    '最佳食用期三天',
    '本店最新款',
    '国家级非遗传承人',
    '100%棉',
    '最好先量尺码',
    '第一次来',
    '服务第一',
    '有运费险吗',
    '本品不能代替药物治疗',
  ])('applies the SAMR 2023 exemptions and guards: %s', (text) => {
    expect(detectText(text)).toEqual([]);
  });
});
