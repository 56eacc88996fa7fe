/**
 * Per-stage cost of each frame (capture, encode, transfer, preprocess, inference, classify) and bytes per frame,
 * from the results contract, on the demo-like pages (canvas frames) and a cross-origin page (tab-capture frames).
 * `node scripts/bench/stages.mjs` after `npm run build`: this measurement alone, printed, nothing written.
 */
import { fmt, median, quantile, runAlone, tabVideos, withBrowser } from './lib/runner.mjs';

/** The frame records' stage timings, by name. */
export const STAGES = ['capture', 'mainThread', 'encode', 'transfer', 'preprocess', 'inference', 'classify'];

/** Plays the demo-like pages and collects every frame record of the results contract. */
export function measureStages(server) {
  return withBrowser({}, async (browser) => {
    const canvas = [];
    for (const path of ['/pages/same-origin.html', '/pages/mse.html', '/pages/shadow.html', '/pages/iframes.html']) {
      const page = await browser.context.newPage();
      await page.goto(`${server.base}${path}`);
      await page.waitForTimeout(9000);
      for (const v of await tabVideos(browser, page)) canvas.push(...v.frames.filter((f) => f.framePath === 'canvas'));
      await page.close();
    }
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/pages/cross-origin.html`);
    await page.waitForTimeout(6000);
    const tabCapture = (await tabVideos(browser, page)).flatMap((v) => v.frames);
    await page.close();
    return { canvas, tabCapture };
  });
}

/** The figures bench.json keeps of a {@link measureStages} result. */
export function stagesSummary({ canvas, tabCapture }) {
  return {
    canvasFrames: canvas.length,
    stages: Object.fromEntries(STAGES.map((k) => [k, median(canvas.map((f) => f.timings[k]))])),
    bytesPerFrame: median(canvas.map((f) => f.transferBytes)),
    tabCapture: {
      frames: tabCapture.length,
      transfer: median(tabCapture.map((f) => f.timings.transfer)),
      preprocess: median(tabCapture.map((f) => f.timings.preprocess)),
    },
  };
}

/** BENCHMARKS.md lines for a {@link measureStages} result. */
export function stagesMarkdown(stages) {
  const s = stagesSummary(stages);
  const t = (key) => stages.canvas.map((f) => f.timings[key]);
  const row = (name, values) => `| ${name} | ${fmt(median(values), 2)} | ${fmt(quantile(values, 0.9), 2)} |`;
  return [
    `**Per-stage cost of a canvas frame** (${s.canvasFrames} frames from 6 videos; 256 px JPEG data URL over runtime messaging), milliseconds:`,
    '',
    '| stage | median | p90 |',
    '| --- | --- | --- |',
    row('capture: drawImage into the downscaled canvas (page main thread)', t('capture')),
    row('main-thread total per frame (draw + message serialisation)', t('mainThread')),
    row('JPEG encode (convertToBlob, async)', t('encode')),
    row('transfer: content script → background → offscreen and back, minus host work', t('transfer')),
    row('preprocess: decode + resize to the model input (offscreen)', t('preprocess')),
    row('inference: frame-stats model, onnxruntime-web wasm (offscreen)', t('inference')),
    row('classify: AI-frame classifier with its preprocessing, wasm (offscreen)', t('classify')),
    '',
    `Frame transport: median ${fmt(s.bytesPerFrame / 1024, 1)} KiB of base64 JPEG per frame. Tab-capture frames (${s.tabCapture.frames}): transfer ${fmt(s.tabCapture.transfer, 1)} ms median (screenshot included), preprocess ${fmt(s.tabCapture.preprocess, 1)} ms (decode of the full screenshot and crop).`,
  ];
}

await runAlone(import.meta.url, async (server) => stagesMarkdown(await measureStages(server)));
