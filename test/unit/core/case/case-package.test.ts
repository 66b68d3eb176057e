/**
 * A package exported for a case, read as its receiver would: report.html (parsed with scripts off),
 * the complaint letters and chat.csv. Everything the page or the user typed is hostile here.
 */
import Papa from 'papaparse';
import { parseInert } from '../../support/inert-html';
import { describe, expect, it } from 'vitest';
import {
  COMPLAINT_FILES,
  REPORT,
  buildPackage,
  chatCsvPath,
  eventsPath,
  screenshotPath,
  type BuiltPackage,
} from '../../../../src/core/package';
import { translator } from '../../../../src/core/i18n';
import { chars, NARRATIVE_LIMIT } from '../../../../src/core/case/complaint';
import type { CaseInput } from '../../../../src/core/case/model';
import { CONTACT_MASK } from '../../../../src/core/case/redact';
import {
  SESSION_A,
  SESSION_B,
  caseOf,
  packageInput,
  sealed,
  chatDraft,
  sha256,
  bytesOfFile,
} from '../package/fixtures';

const HOSTILE = {
  script: '<script>alert(1)</script>',
  handler: '"><img src=x onerror=alert(1)>',
  single: "'><svg onload=alert(1)>",
  js: 'javascript:alert(3)',
  link: '<a href="javascript:alert(4)">退款</a>',
  rtl: '\u202Egnp.exe',
  zeroWidth: '加\u200B微\u200C信\u200D领\uFEFF红包',
  style: '</style><script>alert(2)</script>',
};

const parse = parseInert;
const text = (pkg: BuiltPackage, path: string) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytesOfFile(pkg.files.find((f) => f.path === path)!));

/** The sample sessions, a third session full of hostile chat, and a case whose every field is hostile. */
async function hostilePackage(lang: 'zh_CN' | 'en' = 'zh_CN', edit: (c: CaseInput) => void = () => {}) {
  const input = await packageInput(lang);
  const c = caseOf(input.sessions);
  for (const k of Object.keys(c.fields) as (keyof typeof c.fields)[]) c.fields[k] = `${HOSTILE.handler}${k}`;
  c.fields.whatHappened = `${HOSTILE.script}${HOSTILE.rtl}${HOSTILE.zeroWidth}`;
  c.fields.demand = HOSTILE.link;
  c.title = HOSTILE.style;
  c.marks[0]!.note = `${HOSTILE.single}${HOSTILE.js}`;
  c.receipts[0]!.name = `${HOSTILE.rtl}${HOSTILE.handler}.png`;
  c.receipts[0]!.label = HOSTILE.link;
  edit(c);
  const built = await buildPackage({ ...input, case: c });
  return { built, c };
}

describe('report.html for a case, with hostile text everywhere', () => {
  it.each(['zh_CN', 'en'] as const)(
    '(%s) runs nothing, links nowhere and loads only its own files',
    async (lang) => {
      const { built } = await hostilePackage(lang);
      const html = text(built, REPORT);
      const doc = parse(html);
      expect(
        doc.querySelectorAll('script, iframe, object, embed, link, base, form, a, foreignObject'),
      ).toHaveLength(0);
      const attributes = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes]);
      expect(attributes.filter((a) => /^on/i.test(a.name)).map((a) => a.name)).toEqual([]);
      expect(attributes.filter((a) => /^(href|xlink:href|action|formaction|srcset)$/i.test(a.name))).toEqual(
        [],
      );
      const paths = new Set(built.files.map((f) => f.path));
      const sources = [...doc.querySelectorAll('[src]')].map((el) => el.getAttribute('src')!);
      expect(sources.length).toBeGreaterThan(0);
      for (const src of sources) expect(paths.has(src), src).toBe(true);
      for (const s of [HOSTILE.script, HOSTILE.handler, HOSTILE.single, HOSTILE.link, HOSTILE.style])
        expect(html).not.toContain(s);
      expect(html.toLowerCase()).not.toContain('<script');
    },
  );

  it('shows the hostile text to the reader exactly as typed, RTL and zero-width characters included', async () => {
    const { built } = await hostilePackage('en');
    const doc = parse(text(built, REPORT));
    const body = doc.body.textContent!;
    expect(body).toContain(`${HOSTILE.script}${HOSTILE.rtl}${HOSTILE.zeroWidth}`);
    expect(body).toContain(HOSTILE.link);
    expect(body).toContain(`${HOSTILE.single}${HOSTILE.js}`);
    expect(body).toContain(`${HOSTILE.handler}merchantName`);
  });

  it('has the evidence index courts use: 序号 证据名称 来源 形成时间 证明目的 文件名 SHA-256, with each file’s hash', async () => {
    const { built } = await hostilePackage('zh_CN');
    const doc = parse(text(built, REPORT));
    const table = doc.querySelector('table.index')!;
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      '序号',
      '证据名称',
      '来源',
      '形成时间（UTC）',
      '证明目的',
      '文件名',
      'SHA-256',
    ]);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent!),
    );
    const byFile = new Map(rows.map((r) => [r[5]!, r]));
    const hashOf = (path: string) => sha256(bytesOfFile(built.files.find((f) => f.path === path)!));
    for (const path of [
      eventsPath(SESSION_A),
      chatCsvPath(SESSION_A),
      screenshotPath(SESSION_A, 3),
      screenshotPath(SESSION_B, 2),
    ])
      expect(byFile.get(path)?.[6], path).toBe(hashOf(path));
    const receipts = built.datapackage.liveproof.case!.receipts;
    for (const r of receipts) expect(byFile.get(r.path)?.[6]).toBe(r.sha256);
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
    expect(byFile.get(receipts[0]!.path)![1]).toBe(HOSTILE.link);
  });

  it('has a timeline chart as inline SVG, key moments each with the nearest screenshot, and the other language', async () => {
    const { built, c } = await hostilePackage('zh_CN');
    const doc = parse(text(built, REPORT));
    expect(doc.querySelectorAll('svg.timeline').length).toBeGreaterThanOrEqual(2);
    const moment = doc.querySelector(`.moment[data-seq="${c.marks[0]!.seq}"]`)!;
    expect(moment.textContent).toContain('今天直播间只要 99 元，七天无理由退货！');
    // The host spoke at seq 2; the nearest screenshot is seq 3.
    expect(moment.querySelector('img')!.getAttribute('src')).toBe(screenshotPath(SESSION_A, 3));
    const other = doc.querySelector('details.other')!;
    expect(other.getAttribute('lang')).toBe('en');
    expect(other.querySelector('h1')!.textContent).toBe(translator('en')('reportHeading'));
    expect(doc.querySelector('h1')!.textContent).toBe(translator('zh_CN')('reportHeading'));
  });

  it('with names redacted: other viewers get stable pseudonyms in the report and chat.csv, the host keeps hers, events.jsonl is untouched, and the report says so', async () => {
    const input = await packageInput('zh_CN');
    const extra = await sealed('20261128-120000-00c0ffee', [
      chatDraft('小鹿乱撞', '我的微信 abc_12345，电话 138 1234 5678'),
      chatDraft('路人乙', '@小鹿乱撞 你也买了吗'),
      chatDraft('小鹿乱撞', '=cmd|" /C calc"!A0'),
    ]);
    input.sessions = [
      ...input.sessions,
      {
        session: { ...input.sessions[1]!.session, id: '20261128-120000-00c0ffee', startedAt: extra[0]!.time },
        events: extra,
        blobs: new Map(),
      },
    ];
    const c = caseOf(input.sessions);
    c.redaction = 'names';
    const built = await buildPackage({ ...input, case: c });
    const doc = parse(text(built, REPORT));
    expect(doc.querySelector('.notice[data-redaction="names"]')!.textContent).toBe(
      translator('zh_CN')('reportRedactedNames'),
    );
    const chatRows = [...doc.querySelectorAll('table.chat tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent!),
    );
    const authors = chatRows.map((r) => r[2]);
    expect(authors).toContain('小美优选'); // the host
    expect(authors).not.toContain('小鹿乱撞');
    expect(authors).not.toContain('路人乙');

    const csv = Papa.parse<string[]>(text(built, chatCsvPath('20261128-120000-00c0ffee')).slice(1), {
      newline: '\r\n',
      skipEmptyLines: true,
    }).data.slice(1);
    const deer = csv[0]![2]!;
    expect(deer).toMatch(/^观众 \d+$/);
    expect(csv[2]![2]).toBe(deer); // the same viewer, the same pseudonym
    expect(csv[1]![3]).toBe(`'@${deer} 你也买了吗`); // a leading @ is neutralised too
    expect(csv[0]![3]).toBe(`我的微信 ${CONTACT_MASK}，电话 ${CONTACT_MASK}`);
    expect(csv[2]![3]).toBe(`'=cmd|" /C calc"!A0`); // formula neutralised
    // The report calls that viewer by the same pseudonym in its own table.
    expect(chatRows.filter((r) => r[3] === `@${deer} 你也买了吗`)).toHaveLength(1);
    // The sealed originals are still as they were.
    expect(text(built, eventsPath('20261128-120000-00c0ffee'))).toContain('小鹿乱撞');
    expect(text(built, eventsPath('20261128-120000-00c0ffee'))).toContain('138 1234 5678');
  });
});

describe('chat.csv for spreadsheets', () => {
  it('opens with a BOM, keeps Chinese, and neutralises every formula start', async () => {
    const input = await packageInput('zh_CN');
    const starts = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1', '＋1', '－1', '＠x'];
    const events = await sealed(
      SESSION_A,
      starts.map((s, i) => chatDraft(`${s}作者${i}`, s)),
    );
    input.sessions = [{ ...input.sessions[0]!, events, blobs: new Map() }];
    const built = await buildPackage(input);
    const csv = text(built, chatCsvPath(SESSION_A));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(csv.slice(1), { newline: '\r\n', skipEmptyLines: true }).data.slice(1);
    expect(rows.map((r) => r[3])).toEqual(starts.map((s) => `'${s}`));
    expect(rows.map((r) => r[2])).toEqual(starts.map((s, i) => `'${s}作者${i}`));
  });
});

describe('the complaint letters', () => {
  it.each(['zh_CN', 'en'] as const)(
    '(%s) keep the narrative within its limit however long the fields are',
    async (lang) => {
      const input = await packageInput(lang);
      const c = caseOf(input.sessions);
      for (const k of Object.keys(c.fields) as (keyof typeof c.fields)[])
        c.fields[k] = '很长的内容'.repeat(400).slice(0, 1000);
      const built = await buildPackage({ ...input, case: c });
      const letter = text(built, COMPLAINT_FILES[lang]);
      const narrative = letter.split('\r\n')[4]!;
      expect(chars(narrative)).toBeLessThanOrEqual(NARRATIVE_LIMIT[lang]);
      expect(chars(narrative)).toBeGreaterThan(NARRATIVE_LIMIT[lang] * 0.9);
      // It still names the package the evidence is in, in full.
      expect(narrative).toContain(built.name);
    },
  );

  it('tells who, when, what was promised, what happened, what was asked and what is demanded; then the form field by field', async () => {
    const input = await packageInput('zh_CN');
    const c = caseOf(input.sessions);
    const built = await buildPackage({ ...input, case: c });
    const letter = text(built, COMPLAINT_FILES.zh_CN);
    const narrative = letter.split('\r\n')[4]!;
    expect(chars(narrative)).toBeLessThanOrEqual(500);
    for (const part of [
      '张三',
      '小美优选',
      '880123456',
      '不粘锅 32cm',
      '6912345678901234',
      '99 元',
      '今天直播间只要 99 元，七天无理由退货！',
      '涂层起皮',
      '特价商品不退不换',
      '退货退款 99 元',
    ])
      expect(narrative, part).toContain(part);
    expect(narrative).toContain('(Asia/Shanghai)');
    const t = translator('zh_CN');
    for (const [label, value] of [
      ['caseField_merchantName', '小美优选旗舰店'],
      ['caseField_creditCode', '91330100MA2KXXXX1X'],
      ['caseField_orderNumber', '6912345678901234'],
      ['caseField_complainantPhone', t('complaintUnknown')],
    ] as const)
      expect(letter).toContain(`${t(label)}: ${value}\r\n`);
    for (const r of built.datapackage.liveproof.case!.receipts)
      expect(letter).toContain(`${r.path}  ${r.label}  SHA-256 ${r.sha256}`);
    // No off-platform, extreme or health claim in these sessions: no 举报 part.
    expect(letter).not.toContain(t('complaintTipTitle'));
    expect(text(built, COMPLAINT_FILES.en)).toContain('Complaint (draft');
  });

  it('adds a separate 举报 draft when the stream held off-platform solicitation or health claims', async () => {
    const input = await packageInput('zh_CN');
    const a = input.sessions[0]!;
    const extra = await sealed(a.session.id, [
      ...a.events.map(({ type, time, data }) => ({ type, time, data })),
      {
        type: 'detection',
        time: '2026-11-28T09:50:00.000Z',
        data: {
          category: 'off-platform',
          tier: 'block',
          rule: 'wechat',
          text: '加我微信 xm888 私下转账便宜 20',
          normalized: '加我微信xm888',
          source: 2,
          host: true,
        },
      },
      {
        type: 'detection',
        time: '2026-11-28T09:51:00.000Z',
        data: {
          category: 'health-claim',
          rule: 'cure',
          text: '这个锅做的饭能降血糖',
          normalized: '降血糖',
          source: 2,
          host: true,
        },
      },
    ] as never);
    input.sessions = [{ ...a, events: extra }, ...input.sessions.slice(1)];
    const built = await buildPackage({ ...input, case: caseOf(input.sessions) });
    const t = translator('zh_CN');
    const letter = text(built, COMPLAINT_FILES.zh_CN);
    const tip = letter.slice(letter.indexOf(t('complaintTipTitle')));
    expect(letter).toContain(t('complaintTipTitle'));
    expect(tip).toContain(t('complaintTip_off_platform', 1));
    expect(tip).toContain('加我微信 xm888 私下转账便宜 20');
    expect(tip).toContain(t('complaintTip_health_claim', 1));
    expect(tip).toContain(t('complaintTipLaw_health_claim'));
    expect(tip).not.toContain(t('complaintTip_extreme_claim', 1));
    expect(text(built, COMPLAINT_FILES.en)).toContain(translator('en')('complaintTipTitle'));
  });
});
