// Renders the icons from their SVG sources with headless Chromium (no ImageMagick needed):
//   build/icon.svg      -> build/icon.png (512), build/icon.ico (16..256), resources/icon.png (256)
//   build/tray-icon.svg -> resources/tray/tray-<state>.png (16) and @2x (32), one per tray state,
//                          coloured as src-main/electron/tray-model.ts says
// The PNGs are committed; run this after changing an SVG or a mode colour:
//   npx tsx scripts/render-icons.ts [path to chromium]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { TRAY_STATES, trayIconFile, trayView } from '../src-main/electron/tray-model';

const root = join(import.meta.dirname, '..');
const executablePath = process.argv[2] ?? '/usr/bin/chromium';

/** An .ico holding PNG images (Windows Vista and later read PNG entries). */
export function icoFromPngs(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries = Buffer.alloc(16 * images.length);
  let offset = header.length + entries.length;
  images.forEach(({ size, png }, i) => {
    const e = i * 16;
    entries.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    entries.writeUInt8(size >= 256 ? 0 : size, e + 1);
    entries.writeUInt8(0, e + 2); // no palette
    entries.writeUInt8(0, e + 3);
    entries.writeUInt16LE(1, e + 4); // planes
    entries.writeUInt16LE(32, e + 6); // bits per pixel
    entries.writeUInt32LE(png.length, e + 8);
    entries.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...images.map((i) => i.png)]);
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const render = async (svg: string, size: number, colour = '#000'): Promise<Buffer> => {
      await page.setViewportSize({ width: size, height: size });
      const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
      await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent;color:${colour}">${sized}</body></html>`);
      return page.locator('svg').screenshot({ omitBackground: true });
    };

    const app = readFileSync(join(root, 'build', 'icon.svg'), 'utf8');
    writeFileSync(join(root, 'build', 'icon.png'), await render(app, 512));
    writeFileSync(join(root, 'resources', 'icon.png'), await render(app, 256));
    const icoSizes = [16, 24, 32, 48, 64, 128, 256];
    const icoImages = [];
    for (const size of icoSizes) icoImages.push({ size, png: await render(app, size) });
    writeFileSync(join(root, 'build', 'icon.ico'), icoFromPngs(icoImages));

    const tray = readFileSync(join(root, 'build', 'tray-icon.svg'), 'utf8');
    mkdirSync(join(root, 'resources', 'tray'), { recursive: true });
    for (const state of TRAY_STATES) {
      const { colour } = trayView(state);
      const file = trayIconFile(state);
      writeFileSync(join(root, 'resources', 'tray', file), await render(tray, 16, colour));
      writeFileSync(join(root, 'resources', 'tray', file.replace('.png', '@2x.png')), await render(tray, 32, colour));
    }
    console.log(`render-icons: build/icon.{png,ico}, resources/icon.png and ${TRAY_STATES.length * 2} tray icons written`);
  } finally {
    await browser.close();
  }
}

await main();
