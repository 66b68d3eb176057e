// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { GrowthWatcher, isRowLike } from '../../../src/adapters/generic';
import { moreElementsThan } from '../../../src/adapters/generic/rows';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A list of `n` rows with nothing that names it (a virtualised list of a hashed-class site). */
function fixedRows(n: number): { list: HTMLElement; rows: HTMLElement[] } {
  document.body.innerHTML = '<div id="app"><div class="k2"><div class="zz" id="list"></div></div></div>';
  const list = document.getElementById('list')!;
  for (let i = 0; i < n; i++) {
    const row = document.createElement('div');
    row.className = 'r7';
    row.innerHTML = `<span class="a1">观众${i}：</span><span class="a2">第 ${i} 条</span>`;
    list.append(row);
  }
  return { list, rows: [...list.children] as HTMLElement[] };
}

/** Writes a new message into a row as a framework does: its children replaced. */
function rewrite(row: HTMLElement, author: string, text: string): void {
  row.innerHTML = `<span class="a1">${author}：</span><span class="a2">${text}</span>`;
}

const NAMES = ['小鹿乱撞', '阿珍爱吃鱼', '王大妈', '夜猫子', 'Lucky星', '江南烟雨'];
const LINES = ['多少钱', '包邮吗', '已拍', '有没有检测报告', '1号链接没货了', '主播好美'];

describe('GrowthWatcher.rewritten: a fixed set of rows whose text is rewritten in place', () => {
  it('finds the list once several rows were rewritten with new messages', () => {
    const { list, rows } = fixedRows(8);
    const w = new GrowthWatcher();
    const found: (Element | null)[] = [];
    // Every new message moves the texts up by one row, as a list that keeps its elements does.
    for (let m = 0; m < 3; m++)
      rows.forEach((row, i) => {
        rewrite(row, NAMES[(i + m) % 6]!, LINES[(i + 2 * m) % 6]!);
        found.push(w.rewritten(row, 1000 + m * 100));
      });
    expect(found.find(Boolean)).toBe(list);
    // Reading the rows as they were first shown proves nothing: the second message is what counts.
    expect(found.slice(0, rows.length).every((f) => f === null)).toBe(true);
  });

  it('finds it from changed text nodes too (a framework that updates text in place)', () => {
    const { list, rows } = fixedRows(6);
    const w = new GrowthWatcher();
    let found: Element | null = null;
    for (let m = 0; m < 4 && !found; m++)
      for (const [i, row] of rows.entries()) {
        const text = row.querySelector('.a2')!.firstChild!;
        text.nodeValue = LINES[(i + m) % 6]!;
        found ??= w.rewritten(text, 2000 + m);
      }
    expect(found).toBe(list);
  });

  it('does not take counters and prices that tick over (only digits change)', () => {
    document.body.innerHTML = `<div class="cards">${[1, 2, 3, 4]
      .map(
        (i) =>
          `<div class="card"><span class="t">燕窝 ${i} 号</span><span class="sold">已抢 100 件</span></div>`,
      )
      .join('')}</div>`;
    const w = new GrowthWatcher();
    const cards = [...document.querySelectorAll('.card')];
    for (let tick = 0; tick < 20; tick++)
      for (const card of cards) {
        const sold = card.querySelector('.sold')!;
        sold.textContent = `已抢 ${100 + tick * 7} 件`;
        expect(w.rewritten(sold, tick * 100)).toBeNull();
      }
  });

  it('does not take the parts of one row (badge, name, text) for a list', () => {
    document.body.innerHTML = `<div class="list"><div class="row"><span class="badge">Lv1</span><span class="name">甲：</span><span class="text">一</span></div></div>`;
    const row = document.querySelector('.row') as HTMLElement;
    const w = new GrowthWatcher();
    for (let m = 0; m < 10; m++) {
      for (const part of row.children) {
        part.textContent = `${NAMES[m % 6]}${LINES[(m + 1) % 6]}`;
        expect(w.rewritten(part, m)).not.toBe(row);
      }
    }
  });

  it('forgets rewrites older than its window', () => {
    const { rows } = fixedRows(4);
    const w = new GrowthWatcher(3, 5000);
    // One row at a time, seconds apart: never several rows within five seconds.
    for (let m = 0; m < 12; m++) {
      const row = rows[m % 4]!;
      rewrite(row, NAMES[m % 6]!, LINES[(m * 5) % 6]!);
      expect(w.rewritten(row, m * 6000)).toBeNull();
    }
  });
});

describe('GrowthWatcher.added: the parts of a re-rendered row are no growth', () => {
  it('ignores a row whose children are put back one by one', () => {
    document.body.innerHTML = '<div class="zz"><div class="r7" id="row"></div></div>';
    const row = document.getElementById('row')!;
    const w = new GrowthWatcher();
    for (let m = 0; m < 5; m++) {
      row.replaceChildren();
      for (const t of ['Lv3', `${NAMES[m]}：`, LINES[m]!]) {
        const span = document.createElement('span');
        span.className = t.startsWith('Lv') ? 'b' : t.endsWith('：') ? 'n' : 'x';
        span.textContent = t;
        row.append(span);
        expect(w.added(span, m * 10)).toBeNull();
      }
    }
  });
});

describe('isRowLike on big elements', () => {
  it('counts no further than it must', () => {
    document.body.innerHTML = `<div id="big">${'<p><span>x</span></p>'.repeat(5000)}</div><div id="row"><b>甲</b>：<i>一</i></div>`;
    const big = document.getElementById('big')!;
    expect(moreElementsThan(big, 80)).toBe(true);
    expect(moreElementsThan(document.getElementById('row')!, 80)).toBe(false);
    expect(moreElementsThan(document.getElementById('row')!, 1)).toBe(true);
    expect(moreElementsThan(document.getElementById('row')!, 2)).toBe(false);
    expect(isRowLike(big)).toBe(false);
    expect(isRowLike(document.getElementById('row')!)).toBe(true);
  });
});
