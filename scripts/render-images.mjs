// Renders the SVG artwork the Marketplace and Open VSX need as PNG (they refuse SVG icons, and
// README images must be PNG/JPEG/GIF there): media/icon.svg -> media/icon.png, 128x128. Uses the
// headless Chromium the tests use (installed into .vscode-test/ on first use).
// Run: node scripts/render-images.mjs   (commit the PNGs; `npm run package` does not render them)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, ensureBrowser } from './lib/vscode-env.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES = [{ svg: 'media/icon.svg', png: 'media/icon.png', width: 128, height: 128 }];

const browser = await chromium.launch({ executablePath: await ensureBrowser(), args: BROWSER_ARGS });
try {
  for (const image of IMAGES) {
    const page = await browser.newPage({ viewport: { width: image.width, height: image.height } });
    const svg = readFileSync(join(ROOT, image.svg), 'utf8');
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${image.width}px;height:${image.height}px}</style>${svg}`);
    writeFileSync(join(ROOT, image.png), await page.screenshot({ omitBackground: true }));
    await page.close();
    console.log(`${image.png} (${image.width}x${image.height})`);
  }
} finally {
  await browser.close();
}
