/**
 * report.html is opened by people receiving a complaint; everything in it came from an untrusted page.
 * The report is parsed here as a browser would (scripts off) to see what a reader would get.
 */
import { parseInert } from '../support/inert-html';
import { describe, expect, it } from 'vitest';
import { SafeHtml, escapeHtml, html } from '../../../src/core/html';
import { renderReport, writeReport, type ReportInput } from '../../../src/core/report';
import { translator, type Lang } from '../../../src/core/i18n';
import type { SessionSummary } from '../../../src/core/package/manifest';
import { emptyHead, sealAfter } from '../../../src/core/chain';

const HOSTILE = {
  script: '<script>alert(1)</script>',
  attr: '"><img src=x onerror=alert(1)>',
  single: "'><svg onload=alert(1)>",
  style: '</style><script>alert(2)</script>',
  js: 'javascript:alert(3)',
  amp: 'AT&T &lt;not a tag&gt;',
};

const parse = parseInert;

async function hostileInput(lang: Lang, sessionId = '20261128-094000-3f9a2c1b'): Promise<ReportInput> {
  const events = await sealAfter(await emptyHead(sessionId), [
    {
      type: 'chat',
      time: '2026-11-28T09:40:01.000Z',
      data: { author: HOSTILE.attr, text: HOSTILE.script, kind: 'chat' },
    },
    {
      type: 'chat',
      time: '2026-11-28T09:40:02.000Z',
      data: { author: HOSTILE.single, text: HOSTILE.style, kind: 'host' },
    },
    {
      type: 'chat',
      time: '2026-11-28T09:40:03.000Z',
      data: { author: '小鹿', text: HOSTILE.amp, kind: 'chat' },
    },
    {
      type: 'screenshot',
      time: '2026-11-28T09:40:04.000Z',
      data: { sha256: HOSTILE.attr, bytes: 10, mediatype: 'image/png', reason: 'manual' },
    },
  ]);
  const summary: SessionSummary = {
    id: sessionId,
    url: HOSTILE.js,
    title: HOSTILE.style,
    platform: HOSTILE.attr,
    adapter: 'generic',
    startedAt: '2026-11-28T09:40:00.000Z',
    endedAt: null,
    eventCount: events.length,
    chatCount: 3,
    screenshotCount: 1,
    genesis: events[0]!.prev,
    chainHead: events[events.length - 1]!.hash,
    events: `sessions/${sessionId}/events.jsonl`,
  };
  return {
    name: `liveproof-${HOSTILE.script}`,
    created: '2026-11-28T10:30:00.000Z',
    lang,
    toolVersion: HOSTILE.single,
    sessions: [{ summary, events }],
  };
}

describe('escapeHtml and the html template', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(0)).toBe('0');
  });

  it('escapes every interpolated value, joins arrays, and does not escape its own output twice', () => {
    const inner = html`<b>${HOSTILE.script}</b>`;
    const out = html`<p title="${HOSTILE.attr}">${inner}${['<i>', html`<i>ok</i>`]}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.html).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b>&lt;i&gt;<i>ok</i></p>',
    );
  });

  it('escapes a plain object that merely looks like SafeHtml', () => {
    expect(html`${{ html: '<b>' }}`.html).toBe('[object Object]');
    expect(html`${{ toString: () => '<b>' }}`.html).toBe('&lt;b&gt;');
  });
});

describe('renderReport with hostile page text', () => {
  it.each(['zh_CN', 'en'] as const)(
    '(%s) runs no script and loads nothing but its own screenshots',
    async (lang) => {
      const input = await hostileInput(lang);
      const text = renderReport(input);
      const doc = parse(text);

      expect(doc.querySelectorAll('script, iframe, object, embed, link, base, form, a')).toHaveLength(0);
      expect(doc.querySelectorAll('style')).toHaveLength(1);
      const attributes = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes]);
      expect(attributes.filter((a) => /^on/i.test(a.name)).map((a) => a.name)).toEqual([]);
      expect(attributes.filter((a) => /^(href|action|formaction|srcset)$/i.test(a.name))).toEqual([]);
      expect([...doc.querySelectorAll('[src]')].map((el) => el.getAttribute('src'))).toEqual([
        'sessions/20261128-094000-3f9a2c1b/screenshots/000003.png',
      ]);
      // The raw text never carries the hostile markup unescaped.
      for (const s of [HOSTILE.script, HOSTILE.attr, HOSTILE.single, HOSTILE.style])
        expect(text).not.toContain(s);
      expect(text.toLowerCase()).not.toContain('<script');
    },
  );

  it.each(['zh_CN', 'en'] as const)(
    '(%s) shows the hostile text to the reader exactly as the page had it',
    async (lang) => {
      const input = await hostileInput(lang);
      const t = translator(lang);
      const doc = parse(renderReport(input));

      const rows = [...doc.querySelectorAll('table.chat tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      );
      expect(rows).toEqual([
        ['0', '2026-11-28T09:40:01.000Z', HOSTILE.attr, HOSTILE.script],
        ['1', '2026-11-28T09:40:02.000Z', HOSTILE.single, HOSTILE.style],
        ['2', '2026-11-28T09:40:03.000Z', '小鹿', HOSTILE.amp],
      ]);
      expect(doc.querySelectorAll('table.chat tbody tr.host')).toHaveLength(1);
      const dd = [...doc.querySelectorAll('dd')].map((d) => d.textContent);
      expect(dd).toEqual(
        expect.arrayContaining([HOSTILE.js, HOSTILE.style, HOSTILE.attr, t('reportStillOpen')]),
      );
      expect(doc.title).toBe(t('reportDocTitle', input.name));
      expect(doc.querySelector('figcaption')!.textContent).toContain(HOSTILE.attr);
      expect(doc.querySelector('img')!.getAttribute('alt')).toBe(
        t('reportScreenshotAlt', 3, '2026-11-28T09:40:04.000Z'),
      );
      expect(doc.body.textContent).toContain(t('reportMeta', input.name, input.created, HOSTILE.single));
    },
  );

  it('a hostile session id cannot break out of the screenshot address', async () => {
    const input = await hostileInput('en', 'x" onerror="alert(1)');
    const doc = parse(renderReport(input));
    const img = doc.querySelector('img')!;
    expect(img.getAttribute('onerror')).toBeNull();
    expect(img.getAttribute('src')).toBe('sessions/x" onerror="alert(1)/screenshots/000003.png');
  });

  it('declares a Content-Security-Policy that forbids scripts and network, allowing inline style and own images', async () => {
    const doc = parse(renderReport(await hostileInput('zh_CN')));
    const metas = doc.querySelectorAll('meta[http-equiv="Content-Security-Policy"]');
    expect(metas).toHaveLength(1);
    const csp = metas[0]!.getAttribute('content')!;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'img-src': "'self'",
      'style-src': "'unsafe-inline'",
    });
    // The policy is in <head> before any content, where a browser applies it.
    expect(metas[0]!.parentElement!.tagName).toBe('HEAD');
  });

  it('renders in both languages, each in its own words and with its own lang attribute', async () => {
    const zh = parse(renderReport(await hostileInput('zh_CN')));
    const en = parse(renderReport(await hostileInput('en')));
    expect(zh.documentElement.getAttribute('lang')).toBe('zh-CN');
    expect(en.documentElement.getAttribute('lang')).toBe('en');
    expect(zh.querySelector('h1')!.textContent).toBe(translator('zh_CN')('reportHeading'));
    expect(en.querySelector('h1')!.textContent).toBe(translator('en')('reportHeading'));
    expect(zh.querySelector('h1')!.textContent).not.toBe(en.querySelector('h1')!.textContent);
    expect(en.querySelector('table.chat th:nth-child(3)')!.textContent).toBe(
      translator('en')('reportAuthor'),
    );
    expect(zh.querySelector('table.chat th:nth-child(3)')!.textContent).toBe(
      translator('zh_CN')('reportAuthor'),
    );
  });

  it('says "none" for a session without chat or screenshots', async () => {
    const input = await hostileInput('en');
    input.sessions[0] = { ...input.sessions[0]!, events: [] };
    const doc = parse(renderReport(input));
    expect(doc.querySelectorAll('table.chat, img')).toHaveLength(0);
    expect([...doc.querySelectorAll('p.muted')].map((p) => p.textContent)).toEqual(
      expect.arrayContaining([translator('en')('reportNone')]),
    );
  });
});

describe('report.html: kept video', () => {
  it('links each segment file and places each detection said during it at its offset', async () => {
    const sessionId = '20261128-094000-3f9a2c1b';
    const chunk = (segment: number, chunk: number, start: string, end: string) => ({
      type: 'video' as const,
      time: '2026-11-28T09:42:30.000Z',
      data: {
        clip: '20261128-094230-abc123',
        segment,
        chunk,
        sha256: 'a'.repeat(64),
        bytes: 100,
        mediatype: 'video/webm',
        start,
        end,
        reason: 'detection',
        source: 1,
      },
    });
    const events = await sealAfter(await emptyHead(sessionId), [
      {
        type: 'chat',
        time: '2026-11-28T09:41:05.000Z',
        data: { author: '助手', text: '加我威信', kind: 'chat' },
      },
      {
        type: 'detection',
        time: '2026-11-28T09:41:05.500Z',
        data: {
          category: 'off-platform',
          tier: 'block',
          rule: 'wechat',
          text: HOSTILE.script,
          normalized: 'x',
          source: 0,
        },
      },
      chunk(0, 0, '2026-11-28T09:41:00.000Z', '2026-11-28T09:41:01.000Z'),
      chunk(0, 1, '2026-11-28T09:41:01.000Z', '2026-11-28T09:41:30.000Z'),
      chunk(1, 0, '2026-11-28T09:41:30.000Z', '2026-11-28T09:42:00.000Z'),
    ]);
    const input = await hostileInput('en', sessionId);
    input.sessions[0]!.events = events;
    const doc = parse(renderReport(input));
    const links = [...doc.querySelectorAll('.video a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual([
      `sessions/${sessionId}/video/20261128-094230-abc123-0000.webm`,
      `sessions/${sessionId}/video/20261128-094230-abc123-0001.webm`,
    ]);
    const moments = [...doc.querySelectorAll('.video li')].map((li) => li.textContent?.trim());
    expect(moments).toEqual([`at 0:05 into this file: detection #1 (off-platform) “${HOSTILE.script}”`]);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelector('.video')!.textContent).toContain('kept for a warning');
  });
});

describe('writeReport: the report written piece by piece', () => {
  it('writes the same page as renderReport, two sessions of 1,200 chat rows each, in many pieces', async () => {
    const a = await hostileInput('zh_CN');
    const b = await hostileInput('zh_CN', '20261128-120000-00c0ffee');
    const more = async (s: ReportInput['sessions'][number]) => {
      const events = await sealAfter(
        await emptyHead(s.summary.id),
        Array.from({ length: 1200 }, (_, i) => ({
          type: 'chat',
          time: new Date(Date.parse('2026-11-28T09:41:00.000Z') + i * 1000).toISOString(),
          // Text that looks like the placeholder the chat rows are written at, and NUL characters.
          data: { author: `买家${i % 7}`, text: `\u0000chat:${i % 3}\u0000 ${HOSTILE.script}`, kind: 'chat' },
        })),
      );
      return { ...s, events, summary: { ...s.summary, chatCount: 1200 } };
    };
    const input: ReportInput = { ...a, sessions: [await more(a.sessions[0]!), await more(b.sessions[0]!)] };
    const pieces: string[] = [];
    let drains = 0;
    await writeReport(input, {
      write: (text) => void pieces.push(text),
      drain: async () => void drains++,
    });
    expect(pieces.join('')).toBe(renderReport(input));
    expect(drains).toBeGreaterThan(2);
    const doc = parse(pieces.join(''));
    expect(doc.querySelectorAll('table.chat tbody tr')).toHaveLength(2400);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
  });
});

describe('renderReport for a page no adapter knows', () => {
  it.each([
    ['zh_CN', '其他网站'],
    ['en', 'Other website'],
  ] as const)('(%s) names its platform in words, not by its id', async (lang, words) => {
    const input = await hostileInput(lang);
    input.sessions[0]!.summary.platform = 'web';
    const doc = parse(renderReport(input));
    const platform = [...doc.querySelectorAll('dt')].find(
      (dt) => dt.textContent === translator(lang)('reportPlatform'),
    );
    expect(platform?.nextElementSibling?.textContent).toBe(words);
    // The report's own language first (the other one follows, folded away).
    const sources = [...doc.querySelector('table.index')!.querySelectorAll('tbody tr')].map(
      (tr) => tr.querySelectorAll('td')[2]?.textContent ?? '',
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source.startsWith(`${words} `), source).toBe(true);
    expect(doc.body.textContent).not.toMatch(/\bweb javascript:/);
  });
});
