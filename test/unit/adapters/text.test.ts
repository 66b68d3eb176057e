// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { squash, stripNameSeparator, textWithAlt } from '../../../src/adapters/text';

afterEach(() => {
  document.body.innerHTML = '';
});

function el(markup: string): Element {
  document.body.innerHTML = markup;
  return document.body.firstElementChild!;
}

describe('textWithAlt', () => {
  it('reads emoji pictures as their alt text, in place', () => {
    expect(textWithAlt(el('<p>好美<img alt="[赞]" src="data:,">真的<img alt="[爱心]"></p>'))).toBe(
      '好美[赞]真的[爱心]',
    );
  });

  it('leaves out scripts, styles, templates and hidden decoration', () => {
    expect(
      textWithAlt(
        el(
          '<p>已拍<script>x()</script><style>p{}</style><template>t</template><span aria-hidden="true">✦</span></p>',
        ),
      ),
    ).toBe('已拍');
  });

  it('keeps an emoji picture even inside an aria-hidden wrapper', () => {
    expect(textWithAlt(el('<p>扣<span aria-hidden="true"><img alt="1️⃣"></span></p>'))).toBe('扣1️⃣');
  });

  it('skips the elements the caller says to skip', () => {
    const row = el('<p><i class="lv">Lv3</i>多少钱</p>');
    expect(textWithAlt(row, (e) => e.classList.contains('lv'))).toBe('多少钱');
  });
});

describe('squash and stripNameSeparator', () => {
  it('collapses runs of white space and trims', () => {
    expect(squash('  包邮\n\t 吗  ')).toBe('包邮 吗');
  });

  it('removes the separator after a nickname, full-width or ASCII', () => {
    expect(stripNameSeparator('小美：')).toBe('小美');
    expect(stripNameSeparator(' Ann : ')).toBe('Ann');
    expect(stripNameSeparator('momo酱')).toBe('momo酱');
    expect(stripNameSeparator('a:b')).toBe('a:b');
  });
});

describe('squash, with its shortcut for text that needs nothing done', () => {
  it('makes every run of whitespace one space and trims, and leaves text that needs nothing as it is', () => {
    const samples = [
      '',
      ' ',
      'a',
      '好美 真的',
      'a  b',
      ' a',
      'a ',
      'a\tb',
      'a\nb',
      'a\u00a0b',
      'a\u3000b',
      '\ufeffa',
      'x \n y',
      '  lead and trail  ',
      '主播',
    ];
    for (const s of samples) expect(squash(s), JSON.stringify(s)).toBe(s.replace(/\s+/g, ' ').trim());
    expect(squash('a \t\n b\u3000 ')).toBe('a b');
  });
});
