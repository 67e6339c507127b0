// `node --import tsx bench/svg-to-png.ts FILE.svg [OUT.png]`: a PNG of a chart, to look at it.
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.js';

const [svgFile, pngFile = svgFile?.replace(/\.svg$/, '.png')] = process.argv.slice(2);
if (svgFile === undefined || pngFile === undefined) {
  process.stderr.write('usage: node --import tsx bench/svg-to-png.ts FILE.svg [OUT.png]\n');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
try {
  const page = await browser.newPage();
  await page.setContent(`<body style="margin:0">${readFileSync(svgFile, 'utf8')}</body>`);
  await page.locator('svg').screenshot({ path: pngFile });
  process.stderr.write(`${pngFile}\n`);
} finally {
  await browser.close();
}
