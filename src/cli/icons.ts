/** Renders `src/public/icons/icon.svg` to the PNG sizes the manifest names (run by hand after editing the SVG). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './build';
import { findChromium } from './chromium';

const dir = join(ROOT, 'src/public/icons');
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
for (const size of [16, 32, 48, 128]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  writeFileSync(join(dir, `icon-${size}.png`), await page.screenshot({ omitBackground: true }));
  await page.close();
}
await browser.close();
