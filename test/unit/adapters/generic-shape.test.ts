// @vitest-environment happy-dom
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRow, parseRowInFull } from '../../../src/adapters/generic';
import { forgetShapes, readByShape } from '../../../src/adapters/generic/shape';
import { FIXTURES, openFixture } from './fixture-dom';
import { loadDemoRoom } from './demo-page';

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
  forgetShapes();
});

function rowFrom(markup: string): Element {
  document.body.innerHTML = `<ul class="chat-list">${markup}</ul>`;
  return document.body.firstElementChild!.firstElementChild!;
}

/** Reads `row` twice by the fast path (learning its shape, then using it) and once in full. */
function expectSameReading(row: Element): void {
  const full = parseRowInFull(row);
  expect(parseRow(row)).toEqual(full);
  expect(parseRow(row)).toEqual(full);
}

describe('generic rows read by their shape', () => {
  it('reads the demo room’s rows (badge, nickname, text; host rows; emoji) as the full reading does', () => {
    const room = loadDemoRoom();
    room.emit(120);
    const rows = [...room.chat.children];
    expect(rows.length).toBeGreaterThan(100);
    let shaped = 0;
    for (const row of rows) {
      if (readByShape(row)) shaped++;
      expectSameReading(row);
    }
    // Every row takes the fast path, those with an emoji picture too.
    expect(rows.some((r) => r.querySelector('img'))).toBe(true);
    expect(shaped).toBe(rows.length);
    expect(rows.map((r) => parseRow(r)?.author)).toEqual(
      room.emitted.slice(-rows.length).map((m) => m.author),
    );
  });

  const cases: [string, string][] = [
    [
      'a host badge',
      '<li class="chat-item"><span class="user-badge">主播</span><span class="user-name">小美：</span><span class="chat-text">上链接了</span></li>',
    ],
    [
      'a host class on the row',
      '<li class="chat-item is-host"><span class="user-name">小美：</span><span class="chat-text">上链接了</span></li>',
    ],
    [
      'a host class on a child',
      '<li class="chat-item"><span class="anchor-tag">主播</span><span class="user-name">小美</span><span>好</span></li>',
    ],
    [
      'the host attribute',
      '<li class="chat-item" author-type="owner"><span class="user-name">小美</span><span>好</span></li>',
    ],
    [
      'an emoji picture',
      '<li class="chat-item"><span class="user-name">Ann</span><span class="chat-text">赞<img alt="[赞]" src="x.png"></span></li>',
    ],
    [
      'emoji in the nickname and the text',
      '<li class="chat-item"><span class="user-name">Ann<img alt="🌸" src="x.png">：</span><span>好<img alt="[赞]" src="x.png">美<img src="x.png"></span></li>',
    ],
    [
      'a level picture with a class in the nickname',
      '<li class="chat-item"><span class="user-name"><img class="user-level" alt="Lv3" src="x.png">Ann</span><span>hi</span></li>',
    ],
    [
      'a picture with a class in the text',
      '<li class="chat-item"><span class="user-name">Ann</span><span>hi<img class="emoji" alt="[赞]" src="x.png"></span></li>',
    ],
    [
      'a picture in a host badge',
      '<li class="chat-item"><span class="user-badge"><img alt="★" src="x.png">主播</span><span class="user-name">小美</span><span>上链接</span></li>',
    ],
    [
      'a picture right in the row',
      '<li class="chat-item"><span class="user-name">Ann</span><img alt="[赞]" src="x.png"></li>',
    ],
    [
      'a picture deeper down',
      '<li class="chat-item"><span class="user-name">Ann</span><span><b><img alt="[赞]" src="x.png"></b></span></li>',
    ],
    [
      'a hidden picture',
      '<li class="chat-item"><span class="user-name">Ann</span><span>hi<img aria-hidden="true" alt="x" src="x.png"></span></li>',
    ],
    [
      'a hidden part',
      '<li class="chat-item"><span class="user-name">Ann</span><span aria-hidden="true">·</span><span>hi</span></li>',
    ],
    [
      'a hidden row',
      '<li class="chat-item" aria-hidden="true"><span class="user-name">Ann</span><span>hi</span></li>',
    ],
    ['a badge row', '<li class="chat-level-row"><span class="user-name">Ann</span><span>hi</span></li>'],
    [
      'text of the row’s own',
      '<li class="chat-item"><span class="user-name">Ann</span>: hello <b>there</b></li>',
    ],
    [
      'whitespace between the parts',
      '<li class="chat-item">\n  <span class="user-name">Ann</span>\n  <span>hello</span>\n</li>',
    ],
    [
      'a nested badge',
      '<li class="chat-item"><span class="user-name"><i class="fans-medal">粉丝团</i>Ann</span><span>hi</span></li>',
    ],
    ['a data-uname part', '<li class="chat-item"><span data-uname="Ann">Ann</span><span>hi</span></li>'],
    ['no nickname part', '<li class="chat-item"><span>Ann: hello</span></li>'],
    ['a nickname that is the whole row', '<li class="chat-item"><span class="user-name">Ann</span></li>'],
    [
      'a long nickname',
      `<li class="chat-item"><span class="user-name">${'n'.repeat(61)}</span><span>hi</span></li>`,
    ],
    [
      'an empty nickname first',
      '<li class="chat-item"><span class="user-name"> </span><span class="nick">Bo</span><span>hi</span></li>',
    ],
    [
      'badges only',
      '<li class="chat-item"><span class="user-badge">Lv3</span><span class="medal">x</span></li>',
    ],
    [
      'spaces and tabs in the text',
      '<li class="chat-item"><span class="user-name">Ann：</span><span>  a\tb  c </span></li>',
    ],
    [
      'code in the row',
      '<li class="chat-item"><span class="user-name">Ann</span><script>1</script><span>hi</span></li>',
    ],
    ['a line break', '<li class="chat-item"><span class="user-name">Ann</span><br><span>hi</span></li>'],
    ['an empty row', '<li class="chat-item"></li>'],
    ['a row with text only', '<li class="chat-item">Ann：hi</li>'],
  ];
  for (const [what, markup] of cases)
    it(`reads a row with ${what} as the full reading does`, () => expectSameReading(rowFrom(markup)));

  it('takes plain emoji pictures by the shape, and leaves a picture with a class to the full reading', () => {
    const emoji = rowFrom(
      '<li class="chat-item"><span class="user-name">Ann</span><span>好<img alt="[赞]" src="x.png"></span></li>',
    );
    expect(readByShape(emoji)).toEqual({ full: 'Ann好[赞]', host: false, name: 'Ann' });
    const level = rowFrom(
      '<li class="chat-item"><span class="user-name"><img class="user-level" alt="Lv3" src="x.png">Ann</span><span>hi</span></li>',
    );
    expect(readByShape(level)).toBeNull();
  });

  it('tells rows apart that differ only in a class (a host mark that comes and goes)', () => {
    const viewer = rowFrom('<li class="chat-item"><span class="user-name">小美</span><span>好</span></li>');
    expect(parseRow(viewer)?.kind).toBe('chat');
    viewer.className = 'chat-item is-host';
    expect(parseRow(viewer)?.kind).toBe('host');
    viewer.className = 'chat-item';
    expect(parseRow(viewer)?.kind).toBe('chat');
  });

  it('reads a recycled row with its new parts, not the parts of its earlier shape', () => {
    const row = rowFrom('<li class="chat-item"><span class="user-name">Ann</span><span>hi</span></li>');
    expect(parseRow(row)).toEqual({ author: 'Ann', text: 'hi', kind: 'chat' });
    row.innerHTML = '<span>Bo says</span><span class="user-name">Cy</span>';
    expectSameReading(row);
    row.innerHTML = '<span class="user-name">Dee</span><span>look <img alt="[赞]" src="x.png"></span>';
    expectSameReading(row);
    expect(parseRow(row)?.text).toBe('look [赞]');
  });

  it('reads rows right on a page with more row shapes than it keeps', () => {
    const markup = (i: number) =>
      `<li class="chat-item v${i}"><span class="user-badge b${i}">Lv${i}</span><span class="user-name">Ann${i}</span><span>hi ${i}</span></li>`;
    document.body.innerHTML = `<ul class="chat-list">${Array.from({ length: 80 }, (_, i) => markup(i)).join('')}</ul>`;
    const rows = [...document.body.firstElementChild!.children];
    for (const row of [...rows, ...rows]) expectSameReading(row);
    expect(parseRow(rows[0]!)).toEqual({ author: 'Ann0', text: 'hi 0', kind: 'chat' });
  });

  it('reads every element of the saved platform pages as the full reading does', async () => {
    let compared = 0;
    for (const adapter of readdirSync(FIXTURES)) {
      for (const file of readdirSync(join(FIXTURES, adapter))) {
        if (!file.endsWith('.html')) continue;
        const page = openFixture(adapter, file, 'https://example.com/live/1');
        try {
          for (const el of page.document.querySelectorAll('body *')) {
            if (el.getElementsByTagName('*').length > 40) continue;
            const full = parseRowInFull(el);
            expect(parseRow(el), `${adapter}/${file}: ${el.outerHTML.slice(0, 120)}`).toEqual(full);
            expect(parseRow(el)).toEqual(full);
            compared++;
          }
        } finally {
          await page.close();
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
