/**
 * Do face-crop scores help the clip score? Plays every video clip of
 * ../shared/data/{ai-video,real-video} in Chromium with the built extension
 * (the real pipeline: sampled 256 px frames, MediaPipe face detection and the
 * classifier on frames and face crops in the offscreen document), reads the
 * results contract, and compares, on the clips where faces were found:
 *   frames  — mean frame logit (what the verdict uses today),
 *   faces   — mean logit of the largest face's crop per frame,
 *   fused   — mean over frame logits and face-crop logits together.
 * Writes artifacts/faces-eval.json and models/faces/EVAL.md, and prints the summary.
 *
 * The shipped classifier was trained on every one of these clips, so by default the scores are in-sample. With
 * `--folds CACHE/folds/folds.json` (written by `npm run train`) each clip is scored by the fold model that never saw
 * its repository: a copy of the built extension gets that fold's `classifier.onnx` (same graph and input, same
 * calibration) and plays only that fold's clips. That is the held-out comparison of frames and face crops.
 *
 * Usage: npm run build && node scripts/faces/eval-faces.mjs [--limit N] [--folds folds.json]
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION_DIR, launchBrowser, readTabResults, tabIdOf } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const data = resolve(root, '../shared/data');
const argv = process.argv.slice(2);
const limit = Number(argv[argv.indexOf('--limit') + 1]) || Infinity;
const foldsFile = argv.includes('--folds') ? argv[argv.indexOf('--folds') + 1] : null;
/** Pages playing at once; the analysis host takes their frames one at a time. */
const PARALLEL = 3;
const FRAMES_WANTED = 6;
const MAX_WAIT_MS = 25_000;

function manifest(kind) {
  const path = join(data, kind, 'MANIFEST.tsv');
  if (!existsSync(path)) return [];
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return rows
    .map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])))
    .filter((r) => r.kind === 'video')
    .map((r) => ({ file: r.file, repo: r.repo, label: kind === 'ai-video' ? 1 : 0, src: `/shared/${kind}/${r.file}` }));
}

/** Probability that a random positive outscores a random negative (ties count half). */
export function auroc(items) {
  const pos = items.filter((i) => i.label === 1).map((i) => i.score);
  const neg = items.filter((i) => i.label === 0).map((i) => i.score);
  if (!pos.length || !neg.length) return NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;

async function playClip(browser, server, clip) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.base}/pages/faces.html?src=${encodeURIComponent(clip.src)}`);
    const tabId = await tabIdOf(browser.worker, page.url());
    const deadline = Date.now() + MAX_WAIT_MS;
    let video;
    while (Date.now() < deadline) {
      video = (await readTabResults(browser.worker, tabId))?.videos[0];
      const checked = (video?.frames ?? []).filter((f) => !f.blank && f.faces !== null && f.aiLogit !== null);
      if (checked.length >= FRAMES_WANTED) break;
      await page.waitForTimeout(500);
    }
    const frames = (video?.frames ?? []).filter((f) => !f.blank && f.aiLogit !== null);
    return {
      ...clip,
      frameLogits: frames.map((f) => f.aiLogit),
      faceLogits: frames.filter((f) => f.faces?.[0] && f.faces[0].aiLogit !== null).map((f) => f.faces[0].aiLogit),
      framesChecked: frames.filter((f) => f.faces !== null).length,
      detectorScores: frames.flatMap((f) => (f.faces ?? []).map((x) => x.detectorScore)),
      faces: frames.map((f) =>
        (f.faces ?? []).map((x) => ({ box: x.box, detectorScore: x.detectorScore, aiLogit: x.aiLogit })),
      ),
    };
  } finally {
    await page.close();
  }
}

/** Plays clips, a few at a time, in one browser with the extension at `extensionDir`. */
async function playAll(server, clips, extensionDir) {
  const browser = await launchBrowser({ extensionDir });
  const results = [];
  try {
    // Load the face detector once before timing anything.
    await playClip(browser, server, clips[0]);
    const queue = [...clips];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let clip = queue.shift(); clip; clip = queue.shift()) {
          results.push(await playClip(browser, server, clip));
          process.stdout.write('.');
        }
      }),
    );
  } finally {
    await browser.close();
  }
  return results;
}

async function main() {
  const clips = [...manifest('ai-video'), ...manifest('real-video')].slice(0, limit);
  if (clips.length === 0) {
    console.log('No ../shared/data clips on this machine: nothing to evaluate.');
    return;
  }
  const server = await startServer();
  const results = [];
  try {
    if (!foldsFile) results.push(...(await playAll(server, clips, EXTENSION_DIR)));
    else {
      // One copy of the built extension; each fold's model replaces the shipped one in turn.
      const copy = mkdtempSync(join(tmpdir(), 'provenance-lens-fold-'));
      try {
        cpSync(EXTENSION_DIR, copy, { recursive: true });
        const { folds } = JSON.parse(readFileSync(foldsFile, 'utf8'));
        for (const fold of folds) {
          const own = new Set(fold.files.map((f) => `/shared/${f}`));
          const mine = clips.filter((c) => own.has(c.src));
          if (mine.length === 0) continue;
          copyFileSync(fold.model, join(copy, 'models/classifier.onnx'));
          results.push(...(await playAll(server, mine, copy)).map((r) => ({ ...r, fold: fold.fold })));
        }
        const missing = clips.filter((c) => !results.some((r) => r.src === c.src));
        if (missing.length) throw new Error(`no fold holds ${missing.map((c) => c.file).join(', ')}`);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  console.log();
  const withFaces = results.filter((r) => r.faceLogits.length > 0 && r.frameLogits.length > 0);
  const score = (key) =>
    withFaces.map((r) => ({
      label: r.label,
      score:
        key === 'frames'
          ? mean(r.frameLogits)
          : key === 'faces'
            ? mean(r.faceLogits)
            : mean([...r.frameLogits, ...r.faceLogits]),
    }));
  const summary = {
    clips: results.length,
    ai: results.filter((r) => r.label === 1).length,
    real: results.filter((r) => r.label === 0).length,
    withFaces: {
      ai: withFaces.filter((r) => r.label === 1).length,
      real: withFaces.filter((r) => r.label === 0).length,
    },
    auroc: { frames: auroc(score('frames')), faces: auroc(score('faces')), fused: auroc(score('fused')) },
    allClipsFramesAuroc: auroc(
      results.filter((r) => r.frameLogits.length).map((r) => ({ label: r.label, score: mean(r.frameLogits) })),
    ),
  };
  mkdirSync(join(root, 'artifacts'), { recursive: true });
  writeFileSync(join(root, 'artifacts/faces-eval.json'), JSON.stringify({ summary, results }, null, 2));
  const fmt = (n) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
  const header = [
    '# Face-crop evaluation',
    '',
    `Produced by \`node scripts/faces/eval-faces.mjs${foldsFile ? ' --folds' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, headless Chromium with the built extension): every video clip of ../shared/data played through the extension, up to ${FRAMES_WANTED} sampled frames each. ${foldsFile ? 'Held out: each clip was scored by the fold model of `npm run train` that never saw its repository (same graph, input and calibration as the shipped model), on frames and face crops alike.' : 'The classifier is the shipped one, which was trained on all of these clips: these numbers are in-sample.'} See MODEL_CARD.md for what they mean.`,
    '',
  ];
  const rows = withFaces
    .sort((a, b) => a.label - b.label || a.file.localeCompare(b.file))
    .map(
      (r) =>
        `| ${r.label ? 'AI' : 'real'} | \`${r.file.split('/').pop()}\` | ${r.faceLogits.length}/${r.framesChecked} | ${fmt(mean(r.frameLogits))} | ${fmt(mean(r.faceLogits))} |`,
    );
  const body = [
    `Clips played: ${summary.clips} (${summary.ai} AI, ${summary.real} real); faces found on ${summary.withFaces.ai} AI and ${summary.withFaces.real} real clips.`,
    '',
    '| clip score on the clips with faces | AUROC |',
    '| --- | --- |',
    `| frames: mean frame logit (today's clip score) | ${fmt(summary.auroc.frames)} |`,
    `| faces: mean logit of the largest face's crop | ${fmt(summary.auroc.faces)} |`,
    `| fused: mean over frame and face-crop logits | ${fmt(summary.auroc.fused)} |`,
    '',
    `Frames-only AUROC over every clip played: ${fmt(summary.allClipsFramesAuroc)}.`,
    '',
    '| class | clip | frames with a scored face / checked | mean frame logit | mean face logit |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ];
  writeFileSync(join(root, 'models/faces/EVAL.md'), [...header, ...body, ''].join('\n'));
  console.log(body.join('\n'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
