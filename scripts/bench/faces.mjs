/**
 * Face detection cost for `npm run bench`: plays clips in Chromium with the
 * built extension and reads, from the results contract, what the analysis
 * host spent per frame on the face detector alone and on detection plus
 * scoring the face crops with the classifier. Real talking-head clips come
 * from ../shared/data when it is there; the generated clip (no faces) is
 * always measured, since detection costs about the same with or without a face.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fmt, median, quantile, ROOT, runAlone, tabVideos, withBrowser } from './lib/runner.mjs';

/** Talking heads (KwaiVGI/LivePortrait driving videos, MIT; a DFDC sample labelled real) and a clip without faces. */
const CLIPS = [
  '/shared/real-video/KwaiVGI__LivePortrait/assets__examples__driving__d3.mp4',
  '/shared/real-video/KwaiVGI__LivePortrait/assets__examples__driving__d9.mp4',
  '/shared/real-video/polimi-ispl__icpr2020dfdc/notebook__samples__lynaeydofd.mp4',
  '/media/clip.mp4',
];

function available(path) {
  if (!path.startsWith('/shared/')) return true;
  return existsSync(resolve(ROOT, '../shared/data', path.slice('/shared/'.length)));
}

/** Frame records with faces checked, per clip, from one browser (the detector loads once). */
export function measureFaces(server, { playMs = 14_000, clips = CLIPS.filter(available) } = {}) {
  return withBrowser({}, async (browser) => {
    const out = [];
    for (const src of clips) {
      const page = await browser.context.newPage();
      await page.goto(`${server.base}/pages/faces.html?src=${encodeURIComponent(src)}`);
      await page.waitForTimeout(playMs);
      const video = (await tabVideos(browser, page))[0];
      const frames = (video?.frames ?? []).filter((f) => Array.isArray(f.faces));
      out.push({ src, frames: video?.frames.length ?? 0, checked: frames });
      await page.close();
    }
    return out;
  });
}

/** Markdown lines for BENCHMARKS.md. */
export function facesMarkdown(clips) {
  const checked = clips.flatMap((c) => c.checked);
  const withFaces = checked.filter((f) => f.faces.length > 0);
  const detect = checked.map((f) => f.timings.faceDetect ?? 0);
  const total = withFaces.map((f) => f.timings.faces ?? 0);
  const perFace = withFaces.map((f) => ((f.timings.faces ?? 0) - (f.timings.faceDetect ?? 0)) / f.faces.length);
  const faces = withFaces.reduce((n, f) => n + f.faces.length, 0);
  const names = clips.map((c) => `\`${c.src.split('/').pop()}\` (${c.checked.length}/${c.frames} frames checked)`);
  return [
    `**Faces** (MediaPipe FaceDetector, short-range BlazeFace, wasm CPU delegate, offscreen document, on the 256 px frames; ${checked.length} frames checked, ${faces} faces on ${withFaces.length} of them; clips: ${names.join(', ')}), milliseconds:`,
    '',
    '| stage | median | p90 |',
    '| --- | --- | --- |',
    `| face detection per frame | ${fmt(median(detect), 2)} | ${fmt(quantile(detect, 0.9), 2)} |`,
    `| crop + classifier + 48 px crop JPEG, per face | ${fmt(median(perFace), 2)} | ${fmt(quantile(perFace, 0.9), 2)} |`,
    `| all face work on a frame with faces | ${fmt(median(total), 2)} | ${fmt(quantile(total, 0.9), 2)} |`,
    '',
    'The detector loads in the background on the first frame with picture (13 MB wasm, compiled once) and warms up on a blank image before its first use; frames analysed while it loads go on without faces. Per-face cost is mostly the classifier on the crop.',
  ];
}

/**
 * `node scripts/bench/faces.mjs [--quick]`: this measurement alone (built extension needed), printed, nothing
 * written; `--quick` plays only the generated clip, for 8 s.
 */
await runAlone(import.meta.url, async (server, opts) =>
  facesMarkdown(await measureFaces(server, opts.has('quick') ? { playMs: 8_000, clips: ['/media/clip.mp4'] } : {})),
);
