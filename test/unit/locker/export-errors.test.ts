import { describe, expect, it } from 'vitest';
import { PackageBuildError } from '../../../src/core/package';
import { translator } from '../../../src/core/i18n';
import { exportFailure } from '../../../src/locker/export-errors';

const SESSION = '20261129-101010-0a1b2c3d';

describe('the message of a failed export', () => {
  it('says what is wrong in the reader’s language, never the builder’s code, and that nothing was changed', () => {
    const codes: [PackageBuildError['code'], string[]][] = [
      ['no-sessions', []],
      ['chain-gap', [SESSION, '4096']],
      ['screenshot-missing', [SESSION, '12']],
      ['screenshot-damaged', [SESSION, '12']],
      ['video-missing', [SESSION, '40']],
      ['video-damaged', [SESSION, '40']],
      ['receipt-damaged', ['订单截图.png']],
      ['receipt-unreadable', ['订单截图.png']],
      ['receipt-too-large', ['发票.pdf', '1100']],
      ['file-too-large', [`sessions/${SESSION}/video/clip-0001.webm`, '1200']],
      ['too-many-files', ['70000']],
      ['too-large', ['4613']],
    ];
    for (const lang of ['zh_CN', 'en'] as const) {
      const t = translator(lang);
      const failures = codes.map(([code, params]) => exportFailure(new PackageBuildError(code, params), t));
      expect(failures.filter((f) => f.detail !== undefined)).toEqual([]);
      const texts = failures.map((f) => f.message);
      for (const [i, text] of texts.entries()) {
        const [code, params] = codes[i]!;
        expect(text, `${lang} ${code}`).not.toContain(code);
        for (const p of params) expect(text, `${lang} ${code}`).toContain(p);
        expect(text.endsWith(t('lockerExportFailed', '\u0000').split('\u0000')[1]!)).toBe(true);
      }
      expect(new Set(texts).size).toBe(codes.length);
    }
    expect(
      exportFailure(new PackageBuildError('chain-gap', [SESSION, '4096']), translator('en')).message,
    ).toBe(
      `The export failed: session ${SESSION} is missing record #4096, so its chain is incomplete. Nothing kept was changed.`,
    );
    expect(
      exportFailure(new PackageBuildError('chain-gap', [SESSION, '4096']), translator('zh_CN')).message,
    ).toBe(`导出失败：直播 ${SESSION} 缺少第 4096 条记录，证据链不完整。已保存的证据没有任何改动。`);
  });

  it('says an unexpected error in the reader’s language, with the error’s own words apart, never inside the sentence', () => {
    // What hash-wasm threw in a browser without WebAssembly before the export fell back to JavaScript.
    const wasm = new Error('WebAssembly is not supported in this environment!');
    expect(exportFailure(wasm, translator('zh_CN'))).toEqual({
      message: '导出失败：浏览器在生成证据包时出错。已保存的证据没有任何改动。',
      detail: 'WebAssembly is not supported in this environment!',
    });
    expect(exportFailure(wasm, translator('en'))).toEqual({
      message:
        'The export failed: the browser ran into an error while making the package. Nothing kept was changed.',
      detail: 'WebAssembly is not supported in this environment!',
    });
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const zh = exportFailure(quota, translator('zh_CN'));
    expect(zh.message).not.toMatch(/[A-Za-z]/);
    expect(zh.detail).toBe('QuotaExceededError: The quota has been exceeded.');
    expect(exportFailure(new TypeError(''), translator('zh_CN')).detail).toBe('TypeError');
    expect(exportFailure('storage gone', translator('zh_CN')).detail).toBe('storage gone');
  });
});
