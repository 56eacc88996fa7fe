/**
 * Watermark reader cost in Chromium, for `npm run bench`: the extension's own built OCR worker (PaddleOCR v4 in
 * onnxruntime-web wasm, plus the logo matcher), started from an extension page exactly as the analysis host starts
 * it, fed frames the way the content script sends them (JPEG, longer side 960 px). Model loading is timed apart:
 * each fresh worker's first reply says how long loading took.
 *
 * `node scripts/bench/watermark-cost.mjs [--videos N] [--write]` after `npm run build` and `npm run media`: this
 * measurement alone, printed, and with `--write` into its own section of BENCHMARKS.md
 * (`npm run bench -- --only watermark` builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadavg } from 'node:os';
import {
  EXTENSION_DIR,
  isMain,
  machine,
  median,
  options,
  ROOT,
  today,
  withBrowser,
  writeSection,
} from './lib/runner.mjs';

/** Frames read per video by the extension (lib/analysis/watermark/watermark-service.ts). */
const FRAMES_PER_VIDEO = 6;
const OCR_FRAME_SIDE = 960;

/** The built OCR worker script, relative to the extension root. */
function findWorker(extensionDir) {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  const file = walk(extensionDir).find((f) => /ocr-worker[^/]*\.js$/.test(f));
  if (!file) throw new Error(`no built OCR worker in ${extensionDir}: run "npm run build" first`);
  return `/${relative(extensionDir, file)}`;
}

/** `count` JPEG frames spread over a clip, longer side `side`, as base64. */
function jpegFrames(file, count, side) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const at = ((i + 1) / (count + 1)) * 4;
    const jpeg = execFileSync(process.env.FFMPEG || 'ffmpeg', [
      '-loglevel',
      'error',
      '-ss',
      String(at),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `scale='if(gt(iw,ih),${side},-2)':'if(gt(iw,ih),-2,${side})'`,
      '-q:v',
      '3',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      '-',
    ]);
    out.push(jpeg.toString('base64'));
  }
  return out;
}

/**
 * Reads `videos` × {@link FRAMES_PER_VIDEO} frames of each clip in a fresh OCR worker per video (so each video pays
 * the model load, as the first video on a page does), and returns per-frame reading times, per-video totals and
 * model loads, in milliseconds.
 */
export async function measureWatermarkCost(clips = watermarkClips(), videos = 3, extensionDir = EXTENSION_DIR) {
  const workerPath = findWorker(extensionDir);
  const result = { workerPath, clips: [] };
  await withBrowser({ extensionDir }, async (browser) => {
    const id = new URL(browser.worker.url()).host;
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${id}/popup.html`);
    for (const { name, file } of clips) {
      const frames = jpegFrames(file, FRAMES_PER_VIDEO, OCR_FRAME_SIDE);
      const runs = await page.evaluate(
        async ({ workerPath, frames, videos }) => {
          const blobs = frames.map(
            (b64) =>
              new window.Blob([Uint8Array.from(window.atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }),
          );
          const out = [];
          for (let v = 0; v < videos; v++) {
            const worker = new window.Worker(chrome.runtime.getURL(workerPath), { type: 'module' });
            const replies = [];
            for (let i = 0; i < blobs.length; i++) {
              const reply = await new Promise((resolve) => {
                worker.onmessage = (e) => resolve(e.data);
                worker.postMessage({ id: i, modelBase: chrome.runtime.getURL('/ocr/'), image: blobs[i], crop: null });
              });
              if (reply.error) throw new Error(reply.error);
              replies.push({
                ms: reply.ms,
                load: reply.load,
                logoMs: reply.stages.logos,
                lines: reply.lines.length,
                logos: reply.logos.length,
              });
            }
            worker.terminate();
            out.push(replies);
          }
          return out;
        },
        { workerPath, frames, videos },
      );
      result.clips.push({
        name,
        load: runs.map((r) => r[0].load),
        perFrame: runs.flatMap((r) => r.map((f) => f.ms)),
        logoPerFrame: runs.flatMap((r) => r.map((f) => f.logoMs)),
        perVideo: runs.map((r) => r.reduce((sum, f) => sum + f.ms, 0)),
        lines: runs[0].map((f) => f.lines),
      });
    }
    await page.close();
  });
  return result;
}

/** BENCHMARKS.md lines for a {@link measureWatermarkCost} result. */
export function watermarkCostMarkdown(cost) {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
  return [
    `**Watermark reader cost in Chromium** (the extension's built OCR worker \`${cost.workerPath}\`, one wasm thread; frames as the content script sends them: JPEG, longer side ${OCR_FRAME_SIDE} px; ${FRAMES_PER_VIDEO} frames per video, each video in a fresh worker), milliseconds, medians:`,
    '',
    '| clip | model load (first frame, once per worker) | per frame (decode, text detection + recognition, logo matching) | of which logo matching | per video (6 frames, load excluded) | lines read per frame |',
    '| --- | --- | --- | --- | --- | --- |',
    ...cost.clips.map(
      (c) =>
        `| ${c.name} | ${f(median(c.load))} | ${f(median(c.perFrame))} | ${f(median(c.logoPerFrame))} | ${f(median(c.perVideo))} | ${c.lines.join(', ')} |`,
    ),
  ];
}

/** Clips for the watermark reader cost: the test clip with a corner mark, and shared research clips where present. */
export function watermarkClips() {
  const shared = resolve(ROOT, '../shared/data');
  const clips = [{ name: '640×360 test clip, corner "KlingAI 2.0" mark', file: join(ROOT, '.media/kling-mark.mp4') }];
  const extra = [
    [
      '264×480 Sora 2 upload (moving mark)',
      'ai-video/wolfowitz-ai__sora-watermark-removal/uploads__1765941846203-853448631.MOV',
    ],
    [
      '1280×720 real news clip (FF++ 004, burnt-in text)',
      'real-video/polimi-ispl__icpr2020dfdc/test__data__ffpp__original_sequences__youtube__c23__videos__004.mp4',
    ],
  ];
  for (const [name, path] of extra) if (existsSync(join(shared, path))) clips.push({ name, file: join(shared, path) });
  return clips;
}

/** The section of BENCHMARKS.md for a {@link measureWatermarkCost} result, with when and where it was measured. */
export function watermarkCostSection(cost) {
  return [
    `Measured ${today()} on ${machine()}, headless, by \`npm run bench\` (\`--only watermark\` for this part alone); load average ${loadavg()[0].toFixed(1)} when it ended (other work on the machine slows every figure).`,
    '',
    ...watermarkCostMarkdown(cost),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const opts = options();
  const md = watermarkCostSection(await measureWatermarkCost(watermarkClips(), opts.number('videos', 3)));
  if (opts.has('write')) writeSection('watermark', md);
  console.log(md);
}
