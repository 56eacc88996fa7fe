/**
 * `npm run bench`: measures the frame pipeline in Debian's Chromium with the
 * built extension and writes the figures into BENCHMARKS.md (between the
 * bench markers) and artifacts/bench.json.
 *
 * - first verdict: page `playing` → verdict shown in the page's badge, cold
 *   (fresh browser each run) and warm (analysis host already running);
 * - per-stage cost of each frame (capture, encode, transfer, preprocess,
 *   inference) and bytes per frame, from the results contract;
 * - content-script main-thread time per sampled frame;
 * - long tasks on a feed of 30 videos while scrolling, with and without the
 *   extension (the page cannot tell whose script a long task belongs to, so
 *   the baseline run is the comparison).
 *
 * - watermark reader cost per frame and per video in the built OCR worker,
 *   model loading apart (scripts/bench/watermark-cost.mjs).
 *
 * Reports medians (and p90 where useful); this machine is noisy.
 * - streams: MSE appends without the extension, with the stream observer
 *   alone and with the whole extension; time from a video's first frame to
 *   its Content Credentials verdict, for files and streams.
 *
 * Options: --runs N (first-verdict runs, default 12), --no-build,
 * --only streams (just the streams figures, written in place),
 * --only-watermark (just the watermark reader cost, in its own section).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION_DIR, launchBrowser, readTabResults, tabIdOf } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { fmt, median, quantile } from './lib/stats.mjs';
import { makeC2paFixtures } from './c2pa/make-fixtures.mjs';
import { makeMedia } from './make-media.mjs';
import { facesMarkdown, measureFaces } from './bench/faces.mjs';
import { measureWatermarkCost, watermarkCostMarkdown } from './bench/watermark-cost.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 12;

async function firstVerdict(browser, server) {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/bench/first-verdict.html`);
  // Let discovery announce the (paused, data-less) video before playback starts.
  await page.waitForFunction(() => document.querySelector('provenance-lens-badge') !== null, null, { timeout: 15_000 });
  await page.evaluate(() => window.startPlayback());
  await page.waitForFunction(() => window.bench.verdict !== null, null, { timeout: 20_000 });
  const result = await page.evaluate(() => ({
    ms: window.bench.verdict - window.bench.playing,
    level: window.bench.level,
  }));
  await page.close();
  return result;
}

async function measureFirstVerdicts(server) {
  const cold = [];
  for (let i = 0; i < runs; i++) {
    const browser = await launchBrowser();
    try {
      cold.push((await firstVerdict(browser, server)).ms);
    } finally {
      await browser.close();
    }
  }
  const warm = [];
  const browser = await launchBrowser();
  try {
    await firstVerdict(browser, server);
    for (let i = 0; i < runs; i++) warm.push((await firstVerdict(browser, server)).ms);
  } finally {
    await browser.close();
  }
  return { cold, warm };
}

/** Plays the demo-like pages and collects every frame record of the results contract. */
async function measureStages(server) {
  const browser = await launchBrowser();
  const frames = [];
  try {
    for (const path of ['/pages/same-origin.html', '/pages/mse.html', '/pages/shadow.html', '/pages/iframes.html']) {
      const page = await browser.context.newPage();
      await page.goto(`${server.base}${path}`);
      await page.waitForTimeout(9000);
      const tabId = await tabIdOf(browser.worker, page.url());
      const results = await readTabResults(browser.worker, tabId);
      for (const v of results?.videos ?? []) frames.push(...v.frames.filter((f) => f.framePath === 'canvas'));
      await page.close();
    }
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/pages/cross-origin.html`);
    await page.waitForTimeout(6000);
    const tabId = await tabIdOf(browser.worker, page.url());
    const capture = (await readTabResults(browser.worker, tabId))?.videos.flatMap((v) => v.frames) ?? [];
    await page.close();
    return { canvas: frames, tabCapture: capture };
  } finally {
    await browser.close();
  }
}

async function scrollFeed(server, withExtension) {
  const browser = await launchBrowser({ withExtension });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/bench/feed.html`);
    await page.waitForTimeout(1500);
    for (let i = 0; i < 40; i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(150);
    }
    for (let i = 0; i < 40; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(1000);
    const longTasks = await page.evaluate(() => window.longTasks);
    let analysed = null;
    if (withExtension) {
      const tabId = await tabIdOf(browser.worker, page.url());
      const results = await readTabResults(browser.worker, tabId);
      analysed = {
        videos: results?.videos.length ?? 0,
        judged: results?.videos.filter((v) => v.verdict !== 'pending').length ?? 0,
        frames: results?.videos.reduce((n, v) => n + v.framesAnalysed, 0) ?? 0,
      };
    }
    return { longTasks, analysed };
  } finally {
    await browser.close();
  }
}

/** Records, in the page, when each video first played (its first frame is up), by source URL. */
function recordFirstFrames() {
  window.__firstFrames = {};
  document.addEventListener(
    'playing',
    (event) => {
      const video = event.target;
      if (video?.tagName === 'VIDEO' && !((video.currentSrc || video.src) in window.__firstFrames))
        window.__firstFrames[video.currentSrc || video.src] = Date.now();
    },
    true,
  );
}

/**
 * Time from each video's first frame to its Content Credentials verdict:
 * to the first provenance reading (a file's manifest claims, read from its
 * boxes with Range requests; a stream's, read from the segments the page
 * appended) and to the final one (a file's content hash verified). Negative:
 * the verdict was there before the first frame.
 */
async function measureProvenance(server, pages) {
  await makeC2paFixtures();
  const readings = [];
  for (let run = 0; run < 3; run++) {
    // Each kind of page first in a fresh browser (cold: offscreen document and C2PA reader not started), then again.
    for (const lead of pages) {
      const browser = await launchBrowser();
      try {
        await browser.context.addInitScript(recordFirstFrames);
        for (const [i, p] of [lead, ...pages].entries()) {
          readings.push(...(await timePage(browser, server, p, i === 0 ? 'cold' : 'warm')));
        }
      } finally {
        await browser.close();
      }
    }
  }
  return readings;
}

/** Opens one page and times each of its videos' provenance readings from the video's first frame. */
async function timePage(browser, server, { path, kind, videos }, start) {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}${path}`);
  const tabId = await tabIdOf(browser.worker, page.url());
  const first = new Map();
  const final = new Map();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && final.size < videos) {
    const results = await readTabResults(browser.worker, tabId);
    const now = Date.now();
    for (const v of results?.videos ?? []) {
      const p = v.signals.find((s) => s.kind === 'provenance');
      if (!p) continue;
      if (!first.has(v.src)) first.set(v.src, now);
      if (!final.has(v.src) && (p.hashVerified !== false || kind === 'stream' || p.detail)) final.set(v.src, now);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const frames = await page.evaluate(() => window.__firstFrames);
  await page.close();
  const out = [];
  for (const [src, at] of first) {
    const frame = frames[src];
    if (frame !== undefined) out.push({ kind, start, src, first: at - frame, final: (final.get(src) ?? NaN) - frame });
  }
  return out;
}

/** Time from a video's announcement to its watermark verdict, on the clip with a corner mark. */
async function measureWatermark(server) {
  const times = [];
  for (let run = 0; run < 3; run++) {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.base}/pages/watermark.html`);
      const tabId = await tabIdOf(browser.worker, page.url());
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const v = (await readTabResults(browser.worker, tabId))?.videos[0];
        if (v?.signals.some((s) => s.kind === 'watermark')) {
          times.push(Date.now() - v.firstSeenAt);
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await browser.close();
    }
  }
  return times;
}

/**
 * MSE append and start-of-playback times: without the extension, with the
 * stream observer alone (the built MAIN-world script injected into the page,
 * nothing else of the extension), and with the whole extension. Runs
 * alternate so drift on this shared machine spreads over all three.
 */
async function measureMse(server, runsEach = 7) {
  const observer = readFileSync(join(EXTENSION_DIR, 'content-scripts/mse-observer.js'), 'utf8');
  const out = { none: [], observer: [], extension: [], extensionLate: [] };
  for (let run = 0; run < runsEach; run++) {
    for (const mode of ['none', 'observer', 'extension', 'extensionLate']) {
      const browser = await launchBrowser({ withExtension: mode.startsWith('extension') });
      try {
        if (mode === 'observer') await browser.context.addInitScript({ content: observer });
        const page = await browser.context.newPage();
        await page.goto(`${server.base}/bench/mse-append.html${mode === 'extensionLate' ? '?delay=3000' : ''}`);
        await page.waitForFunction(() => window.bench !== null, null, { timeout: 20_000 });
        const result = await page.evaluate(() => ({ ...window.bench, observed: window.__provenanceLensMse === true }));
        if ((mode === 'none') === result.observed)
          throw new Error(`the observer is ${result.observed ? '' : 'not '}installed in mode ${mode}`);
        out[mode].push(result);
      } finally {
        await browser.close();
      }
    }
  }
  return out;
}

/** The MSE and Content Credentials figures, as Markdown. */
function streamsMarkdown(mse, provenance) {
  const row = (label, list) =>
    `| ${label} | ${list.length} | ${fmt(median(list.map((m) => m.appended)), 1)} | ${fmt(median(list.map((m) => m.appendCalls)), 2)} | ${fmt(median(list.map((m) => m.toPlaying)), 1)} |`;
  const ratio = (list) => fmt(median(list.map((m) => m.appended)) / median(mse.none.map((m) => m.appended)), 2);
  const provRow = (label, list) =>
    `| ${label} | ${list.length} | ${fmt(median(list.map((r) => r.first)), 0)} | ${fmt(
      quantile(
        list.map((r) => r.first),
        0.9,
      ),
      0,
    )} | ${fmt(median(list.map((r) => r.final)), 0)} |`;
  const of = (kind, start) => provenance.filter((r) => r.kind === kind && r.start === start);
  return [
    `**Streams (MSE)**: a 0.9 MB fragmented MP4 appended in 64 KiB chunks, ${mse.none.length} alternating runs of each browser, milliseconds (median):`,
    '',
    '| browser | runs | all appends done | time inside appendBuffer calls | play() to first frame |',
    '| --- | --- | --- | --- | --- |',
    row('without the extension', mse.none),
    row('the stream observer alone (its built script injected, nothing else)', mse.observer),
    row('the whole extension', mse.extension),
    row('the whole extension, appends starting 3 s after the page opened', mse.extensionLate),
    '',
    `"All appends done" relative to no extension: observer alone ×${ratio(mse.observer)}, whole extension ×${ratio(mse.extension)}, whole extension with the appends 3 s later ×${ratio(mse.extensionLate)}.`,
    '',
    "**Content Credentials**: time from a video's first frame (its `playing` event) to its provenance verdict, milliseconds (three runs; files: claims read with Range requests, then the whole file hashed; streams: init + first segment copied from the page; negative: the verdict came before the first frame):",
    '',
    '| videos | readings | first frame → manifest claims shown, median | p90 | first frame → final reading (hash checked), median |',
    '| --- | --- | --- | --- | --- |',
    provRow('files, 0.2–1.4 MB, cold (fresh browser: analysis host and C2PA reader start)', of('file', 'cold')),
    provRow('files, warm (reader running)', of('file', 'warm')),
    provRow('stream (MSE, signed fragmented MP4), cold', of('stream', 'cold')),
    provRow('stream, warm', of('stream', 'warm')),
  ].join('\n');
}

function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let chromium = 'unknown';
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
  } catch {
    // Reported as unknown.
  }
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${chromium}`;
}

function stageRow(name, values) {
  return `| ${name} | ${fmt(median(values), 2)} | ${fmt(quantile(values, 0.9), 2)} |`;
}

/** Pages whose videos' provenance is timed: [path, kind, number of videos]. */
const PROVENANCE_PAGES = [
  { path: '/pages/provenance.html', kind: 'file', videos: 6 },
  { path: '/pages/mse-signed-own.html', kind: 'stream', videos: 1 },
];
const STREAMS_START = '<!-- bench:streams:start -->';
const STREAMS_END = '<!-- bench:streams:end -->';

/** `--only streams`: the MSE and Content Credentials figures alone, written in place of the last ones. */
async function streamsOnly() {
  if (!argv.includes('--no-build')) execFileSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
  makeMedia();
  const server = await startServer();
  try {
    console.log('streams: MSE appends without the extension, with the observer alone, with the extension…');
    const mse = await measureMse(server);
    console.log('provenance: time from first frame to a Content Credentials verdict…');
    const provenance = await measureProvenance(server, PROVENANCE_PAGES);
    const md = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless, by \`npm run bench -- --only streams\`.`,
      '',
      streamsMarkdown(mse, provenance),
    ].join('\n');
    if (!readFileSync(join(root, 'BENCHMARKS.md'), 'utf8').includes(STREAMS_START))
      throw new Error('BENCHMARKS.md has no streams markers: run the full bench once');
    writeSection('streams', md);
    mkdirSync(join(root, 'artifacts'), { recursive: true });
    writeFileSync(join(root, 'artifacts/bench-streams.json'), JSON.stringify({ mse, provenance }, null, 2));
    console.log(`\n${md}\n\nwritten to BENCHMARKS.md and artifacts/bench-streams.json`);
  } finally {
    await server.close();
  }
}

/** Clips for the watermark reader cost: the test clip with a corner mark, and shared research clips where present. */
function watermarkClips() {
  const shared = resolve(root, '../shared/data');
  const clips = [{ name: '640×360 test clip, corner "KlingAI 2.0" mark', file: join(root, '.media/kling-mark.mp4') }];
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

/**
 * Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in BENCHMARKS.md (the whole
 * "Latest run" block, `<!-- bench:start -->`, when NAME is empty), appending the section where it is missing.
 */
function writeSection(name, md) {
  const path = join(root, 'BENCHMARKS.md');
  const tag = name ? `bench:${name}` : 'bench';
  const start = `<!-- ${tag}:start -->`;
  const end = `<!-- ${tag}:end -->`;
  const current = readFileSync(path, 'utf8');
  const block = `${start}\n${md}\n${end}`;
  const next = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), block)
    : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
  // The file is kept in the project's format (aligned tables).
  execFileSync('npx', ['prettier', '--write', path], { cwd: root, stdio: 'ignore' });
}

async function watermarkCostSection() {
  console.log('watermarks: OCR cost per frame and per video in the built worker…');
  const cost = await measureWatermarkCost(launchBrowser, EXTENSION_DIR, watermarkClips());
  const md = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless, by \`npm run bench\` (\`--only-watermark\` for this part alone); load average ${loadavg()[0].toFixed(1)} when it ended (other work on the machine slows every figure).`,
    '',
    ...watermarkCostMarkdown(cost, median),
  ].join('\n');
  writeSection('watermark', md);
  console.log(`\n${md}`);
  return cost;
}

async function main() {
  if (!argv.includes('--no-build')) execFileSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
  makeMedia();
  if (argv.includes('--only-watermark')) {
    await watermarkCostSection();
    return;
  }
  const server = await startServer();
  try {
    console.log(`first verdict, ${runs} cold and ${runs} warm runs…`);
    const fv = await measureFirstVerdicts(server);
    console.log('per-stage costs…');
    const stages = await measureStages(server);
    console.log('provenance: time from first frame to a Content Credentials verdict…');
    const provenance = await measureProvenance(server, PROVENANCE_PAGES);
    console.log('watermarks: time to a watermark verdict…');
    const watermarkMs = await measureWatermark(server);
    const watermarkCost = await watermarkCostSection();
    console.log('streams: MSE appends with and without the observer…');
    const mse = await measureMse(server);
    console.log('faces: detection and crop scoring per frame…');
    const faceClips = await measureFaces(server);
    console.log('scrolling a feed of 30 videos, three times with and without the extension…');
    const withExt = [];
    const without = [];
    for (let i = 0; i < 3; i++) {
      without.push(await scrollFeed(server, false));
      withExt.push(await scrollFeed(server, true));
    }

    const c = stages.canvas;
    const t = (key) => c.map((f) => f.timings[key]);
    const over50 = (r) => r.longTasks.filter((x) => x.duration > 50);
    const date = new Date().toISOString().slice(0, 10);
    const report = {
      date,
      machine: machine(),
      firstVerdictMs: { cold: fv.cold, warm: fv.warm },
      canvasFrames: c.length,
      stages: Object.fromEntries(
        ['capture', 'mainThread', 'encode', 'transfer', 'preprocess', 'inference', 'classify'].map((k) => [
          k,
          median(t(k)),
        ]),
      ),
      bytesPerFrame: median(c.map((f) => f.transferBytes)),
      tabCapture: {
        frames: stages.tabCapture.length,
        transfer: median(stages.tabCapture.map((f) => f.timings.transfer)),
        preprocess: median(stages.tabCapture.map((f) => f.timings.preprocess)),
      },
      provenance,
      watermarkMs,
      faces: faceClips.map((c) => ({ src: c.src, frames: c.frames, checked: c.checked.map((f) => f.timings) })),
      watermarkCost,
      mse,
      feed: {
        withExtension: withExt.map((r) => ({
          longTasksOver50: over50(r).length,
          longest: Math.max(0, ...r.longTasks.map((x) => x.duration)),
          ...r.analysed,
        })),
        without: without.map((r) => ({
          longTasksOver50: over50(r).length,
          longest: Math.max(0, ...r.longTasks.map((x) => x.duration)),
        })),
      },
    };
    mkdirSync(join(root, 'artifacts'), { recursive: true });
    writeFileSync(join(root, 'artifacts/bench.json'), JSON.stringify(report, null, 2));

    const md = [
      `Measured ${date} on ${report.machine}, headless, by \`npm run bench\`.`,
      '',
      '**First verdict** (page `playing` event → verdict shown in the badge), milliseconds:',
      '',
      '| run | n | median | p90 | min | max |',
      '| --- | --- | --- | --- | --- | --- |',
      `| cold (new browser, analysis host not started) | ${fv.cold.length} | ${fmt(median(fv.cold), 0)} | ${fmt(quantile(fv.cold, 0.9), 0)} | ${fmt(Math.min(...fv.cold), 0)} | ${fmt(Math.max(...fv.cold), 0)} |`,
      `| warm (analysis host running) | ${fv.warm.length} | ${fmt(median(fv.warm), 0)} | ${fmt(quantile(fv.warm, 0.9), 0)} | ${fmt(Math.min(...fv.warm), 0)} | ${fmt(Math.max(...fv.warm), 0)} |`,
      '',
      `**Per-stage cost of a canvas frame** (${c.length} frames from 6 videos; 256 px JPEG data URL over runtime messaging), milliseconds:`,
      '',
      '| stage | median | p90 |',
      '| --- | --- | --- |',
      stageRow('capture: drawImage into the downscaled canvas (page main thread)', t('capture')),
      stageRow('main-thread total per frame (draw + message serialisation)', t('mainThread')),
      stageRow('JPEG encode (convertToBlob, async)', t('encode')),
      stageRow('transfer: content script → background → offscreen and back, minus host work', t('transfer')),
      stageRow('preprocess: decode + resize to the model input (offscreen)', t('preprocess')),
      stageRow('inference: frame-stats model, onnxruntime-web wasm (offscreen)', t('inference')),
      stageRow('classify: AI-frame classifier with its preprocessing, wasm (offscreen)', t('classify')),
      '',
      `Frame transport: median ${fmt(report.bytesPerFrame / 1024, 1)} KiB of base64 JPEG per frame. Tab-capture frames (${report.tabCapture.frames}): transfer ${fmt(report.tabCapture.transfer, 1)} ms median (screenshot included), preprocess ${fmt(report.tabCapture.preprocess, 1)} ms (decode of the full screenshot and crop).`,
      '',
      `**Watermarks**: time from a video's announcement to its watermark verdict (a corner "KlingAI 2.0" mark; OCR worker reads the first frames at up to 960 px, two sightings needed), ${watermarkMs.length} fresh-browser runs: median ${fmt(median(watermarkMs), 0)} ms (includes loading the 15.6 MB OCR models). Per-frame OCR cost in Node is in models/watermark/EVAL.md.`,
      '',
      ...facesMarkdown(faceClips),
      '',
      STREAMS_START,
      streamsMarkdown(mse, provenance),
      STREAMS_END,
      '',
      '**Feed of 30 videos, scrolled down and up for ~14 s** (long tasks > 50 ms seen by the page, three runs each):',
      '',
      '| browser | long tasks > 50 ms per run | longest task (ms) per run | videos found / judged / frames |',
      '| --- | --- | --- | --- |',
      `| without the extension | ${report.feed.without.map((r) => r.longTasksOver50).join(', ')} | ${report.feed.without.map((r) => fmt(r.longest, 0)).join(', ')} | – |`,
      `| with the extension | ${report.feed.withExtension.map((r) => r.longTasksOver50).join(', ')} | ${report.feed.withExtension.map((r) => fmt(r.longest, 0)).join(', ')} | ${report.feed.withExtension.map((r) => `${r.videos}/${r.judged}/${r.frames}`).join(', ')} |`,
    ].join('\n');
    writeSection('', md);
    console.log(`\n${md}\n\nwritten to BENCHMARKS.md and artifacts/bench.json`);
  } finally {
    await server.close();
  }
}

if (argv.includes('--only') && argv[argv.indexOf('--only') + 1] === 'streams') await streamsOnly();
else await main();
