/**
 * The feed benchmark, the project's headline number: a feed of looping videos of mixed kinds (plain clips, a
 * watermarked clip, signed files, a cross-origin clip, a stream) scrolled like a reader, in a fresh Chromium without
 * and with the extension, runs alternating in one process. Per run it records:
 * - CPU-seconds of the whole browser process tree (every process under the browser, from /proc), so the extension's
 *   cost is the difference to the runs without it, per judged video;
 * - for each video, the time from entering the viewport to its settled verdict (a verdict beyond its first frame, or
 *   unavailable), the share of videos settled, and whether each marked clip's watermark was named;
 * - the page's long tasks (PerformanceObserver, whoever caused them), with and without the extension;
 * - the resident memory of the extension's processes (offscreen document and service worker) at the end.
 *
 * `node scripts/bench/feed.mjs [--runs 3] [--videos 20] [--scroll-ms 1500] [--json FILE] [--per-video] [--tail-s 45] [--write]` after `npm run build`
 * (it makes its media and signed files itself). Model loading is counted once per browser and reported apart: each
 * browser first opens a warm-up page of three clips that are not in the feed (a marked clip, a signed file, a face),
 * which starts every model the feed needs (with the extension: until all three are settled), and the feed's CPU is
 * counted from when the feed page opens. The warm-up's own CPU is reported as "model loading and warm-up".
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { makeC2paFixtures } from '../c2pa/make-fixtures.mjs';
import { isSettled } from '../lib/settled.mjs';
import {
  isMain,
  launchBrowser,
  machineFacts,
  median,
  options,
  quantile,
  readTabResults,
  startServer,
  tabIdOf,
  writeSection,
} from './lib/runner.mjs';

const TICKS = 100; // USER_HZ on Linux

/** The run's settings from its command line (see the top of this file). */
function settings(argv) {
  const opts = options(argv);
  return {
    runs: opts.number('runs', 3),
    videos: opts.number('videos', 20),
    scrollMs: opts.number('scroll-ms', 1500),
    /** How long the reader stays on the last card (every run, with or without the extension). */
    settleMs: opts.number('tail-s', 45) * 1000,
    perVideo: opts.has('per-video'),
    json: opts.value('json', null),
    write: opts.has('write'),
  };
}

/** The feed's cards, cycling through kinds of clip; `?v=` keeps every URL its own, as posts in a feed are. */
function feedClips(otherBase, count) {
  const kinds = [
    { src: '/media/clip.mp4', kind: 'plain' },
    { src: '/media/kling-mark.mp4', kind: 'watermark', mark: 'Kling' },
    { src: '/media/c2pa/ai-sora.mp4', kind: 'signed-ai' },
    { src: '/media/fractal.mp4', kind: 'plain' },
    { src: `${otherBase}/media/clip.mp4`, kind: 'cross-origin' },
    { src: '/media/portrait.mp4', kind: 'plain' },
    { src: '/media/c2pa/camera.mp4', kind: 'signed-capture' },
    { src: '/media/small.mp4', kind: 'plain' },
    { src: '/media/borderline.mp4', kind: 'plain' },
    { src: '/media/fragmented.mp4', kind: 'stream', stream: true },
  ];
  return Array.from({ length: count }, (_, i) => {
    const k = kinds[i % kinds.length];
    return { ...k, src: `${k.src}?v=${i}` };
  });
}

/** The warm-up page's clips: one of each model's kinds of work, at addresses the feed never uses. */
const WARMUP_CLIPS = [
  { src: '/media/kling-mark.mp4?warm-up', kind: 'watermark', mark: 'Kling' },
  { src: '/media/c2pa/camera.mp4?warm-up', kind: 'signed-capture' },
  { src: '/media/portrait.mp4?warm-up', kind: 'plain' },
];
/** Longest wait for the warm-up page to settle. */
const WARMUP_MS = 90_000;

/** utime + stime (+ reaped children) of every process in the tree under `rootPid`, in CPU-seconds. */
function treeCpuSeconds(rootPid) {
  return Object.values(treeCpuByKind(rootPid)).reduce((a, b) => a + b, 0);
}

/**
 * The same CPU-seconds split by kind of process: the extension's own (offscreen document, service worker, their
 * workers), page renderers (the page and the content script), the GPU process, and the rest (browser, utilities).
 */
function treeCpuByKind(rootPid) {
  const parents = new Map();
  const cpu = new Map();
  const kinds = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(pid), Number(fields[1]));
      cpu.set(Number(pid), (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      kinds.set(
        Number(pid),
        cmd.includes('--extension-process')
          ? 'extension'
          : cmd.includes('--type=renderer')
            ? 'pages'
            : cmd.includes('--type=gpu-process')
              ? 'gpu'
              : 'other',
      );
    } catch {
      // The process ended while being read.
    }
  }
  const total = { extension: 0, pages: 0, gpu: 0, other: 0 };
  for (const [pid, seconds] of cpu) {
    for (let p = pid; p > 1; p = parents.get(p) ?? 0) {
      if (p === rootPid) {
        total[kinds.get(pid) ?? 'other'] += seconds;
        break;
      }
    }
  }
  return total;
}

/** The browser's main process: the Chromium whose command line names this run's profile and no `--type`. */
function browserPid(profile) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a === `--user-data-dir=${profile}`) && !cmd.some((a) => a.startsWith('--type=')))
        return Number(pid);
    } catch {
      // As above.
    }
  }
  return null;
}

/** Resident memory (MB) of the processes that run the extension's pages (offscreen document, service worker). */
function extensionRssMb(rootPid) {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--extension-process')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      if (ppid !== rootPid && !readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes('--type=zygote')) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // As above.
    }
  }
  return Math.round(kb / 1024);
}

/**
 * Opens the warm-up page and waits until, with the extension, its three clips are settled and the mark is named
 * (models loaded), or for 10 s without it. Returns its CPU-seconds and wall seconds.
 */
async function warmUp(browser, page, server, withExtension, pid) {
  const before = pid ? treeCpuSeconds(pid) : 0;
  const started = Date.now();
  const url = `${server.base}/bench/feed-bench.html?clips=warmup-clips.json`;
  await page.goto(url);
  if (withExtension) {
    const tabId = await tabIdOf(browser.worker, url);
    const ready = (videos) =>
      WARMUP_CLIPS.every((c) => videos.some((v) => v.src.endsWith(c.src) && isSettled(v))) &&
      videos.some((v) => v.signals.some((s) => s.kind === 'watermark'));
    while (Date.now() - started < WARMUP_MS && !ready((await readTabResults(browser.worker, tabId))?.videos ?? []))
      await page.waitForTimeout(250);
    if (Date.now() - started >= WARMUP_MS) console.log(`  warm-up page not settled within ${WARMUP_MS / 1000} s`);
  } else {
    await page.waitForTimeout(10_000);
  }
  return { cpu: pid ? treeCpuSeconds(pid) - before : null, wallS: (Date.now() - started) / 1000 };
}

async function oneRun(server, clips, withExtension, { scrollMs, settleMs, perVideo }) {
  const browser = await launchBrowser({ withExtension, viewport: { width: 1280, height: 800 } });
  const pid = browserPid(browser.profile);
  const page = await browser.context.newPage();
  const warmup = await warmUp(browser, page, server, withExtension, pid);
  const cpuStart = pid ? treeCpuSeconds(pid) : 0;
  const kindsStart = pid ? treeCpuByKind(pid) : null;
  const url = `${server.base}/bench/feed-bench.html`;
  const opened = Date.now();
  await page.goto(url);
  const tabId = withExtension ? await tabIdOf(browser.worker, url) : null;
  const settledAt = new Map();
  /** The last state read of each card's video, for the per-video lines written when a run ends. */
  const lastSeen = new Map();
  let cpuAt10s = null;
  const poll = async () => {
    if (cpuAt10s === null && Date.now() - opened >= 10_000 && pid) cpuAt10s = treeCpuSeconds(pid) - cpuStart;
    if (!withExtension) return;
    const results = await readTabResults(browser.worker, tabId);
    const videos = results?.videos ?? [];
    // Streams have no address of their own (blob: URLs): the n-th stream found is the n-th stream card.
    const streams = videos.filter((v) => v.src.startsWith('blob:'));
    const streamCards = clips.flatMap((c, i) => (c.stream ? [i] : []));
    for (const v of videos) {
      const i = v.src.startsWith('blob:')
        ? (streamCards[streams.indexOf(v)] ?? -1)
        : clips.findIndex((c) => !c.stream && v.src.endsWith(c.src));
      if (i >= 0) lastSeen.set(i, v);
      if (i >= 0 && !settledAt.has(i) && isSettled(v)) settledAt.set(i, { at: Date.now(), video: v });
    }
  };
  // A reader: one card further every `scrollMs`, to the end of the feed.
  const cardHeight = 352;
  for (let i = 0; i < clips.length; i++) {
    await page.evaluate((top) => window.scrollTo({ top }), i * cardHeight);
    const until = Date.now() + scrollMs;
    while (Date.now() < until) {
      await poll();
      await page.waitForTimeout(250);
    }
  }
  // Then the reader stays on the last post for a fixed time, the same with and without the extension, so the two
  // runs' CPU covers the same wall time; verdicts and marks that come in by then count.
  const giveUp = Date.now() + settleMs;
  const named = (i) =>
    lastSeen.get(i)?.signals.some((s) => s.kind === 'watermark' && s.generator === clips[i].mark) ?? false;
  const marksPending = () => clips.some((c, i) => c.mark && !named(i));
  while (Date.now() < giveUp) {
    await poll();
    await page.waitForTimeout(250);
  }
  if (withExtension && (settledAt.size < clips.length || marksPending()))
    console.log(`  not settled within ${settleMs / 1000} s of the last scroll: see --per-video`);
  const cpu = pid ? treeCpuSeconds(pid) - cpuStart : null;
  const kindsEnd = pid ? treeCpuByKind(pid) : null;
  const cpuByKind =
    kindsStart && kindsEnd
      ? Object.fromEntries(Object.keys(kindsEnd).map((k) => [k, +(kindsEnd[k] - (kindsStart[k] ?? 0)).toFixed(2)]))
      : null;
  if (withExtension && perVideo)
    clips.forEach((c, i) => {
      const v = lastSeen.get(i);
      console.log(
        `  #${i} ${c.kind.padEnd(14)} ${v ? `${v.verdict} · ${v.framesAnalysed} frames · ${v.framePath ?? 'no path'}` : 'not found'}` +
          (c.mark ? (named(i) ? ` · ${c.mark} mark named` : ` · ${c.mark} mark not named`) : '') +
          (settledAt.has(i) ? '' : ' (not settled)'),
      );
    });
  const entered = await page.evaluate(() => window.entered);
  const longTasks = await page.evaluate(() => window.longTasks);
  const rssMb = withExtension && pid ? extensionRssMb(pid) : null;
  const wallS = (Date.now() - opened) / 1000;
  await browser.close();
  const latencies = [...settledAt].map(([i, s]) => (s.at - (entered[i] ?? opened)) / 1000);
  const marks = clips
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.mark)
    .map(({ i }) => named(i));
  return {
    withExtension,
    wallS,
    cpu,
    cpuFirst10s: cpuAt10s,
    cpuByKind,
    warmupCpu: warmup.cpu,
    warmupS: warmup.wallS,
    fromCache: [...lastSeen.values()].filter((v) => v.fromCache).length,
    judged: settledAt.size,
    latencies,
    marksNamed: marks.filter(Boolean).length,
    marks: marks.length,
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks.map((t) => t.duration))),
    rssMb,
  };
}

/** Runs the feed benchmark with the options of `argv` (see the top of this file); returns its summary. */
export async function runFeedBench(argv = []) {
  const config = settings(argv);
  await makeC2paFixtures();
  let server = await startServer({ json: {} });
  const clips = feedClips(server.otherBase, config.videos);
  await server.close();
  server = await startServer({
    port: server.port,
    json: { '/bench/feed-clips.json': clips, '/bench/warmup-clips.json': WARMUP_CLIPS },
  });
  const runs = [];
  try {
    for (let r = 0; r < config.runs; r++) {
      for (const withExtension of r % 2 === 0 ? [false, true] : [true, false]) {
        const run = await oneRun(server, clips, withExtension, config);
        runs.push(run);
        console.log(
          `run ${r + 1} ${withExtension ? 'with   ' : 'without'}: ${run.cpu?.toFixed(1)} CPU-s in ${run.wallS.toFixed(0)} s` +
            (withExtension
              ? `, ${run.judged}/${clips.length} judged, viewport→verdict median ${median(run.latencies)?.toFixed(1)} s, ` +
                `marks ${run.marksNamed}/${run.marks}, extension RSS ${run.rssMb} MB`
              : '') +
            `, long tasks ${run.longTasks} (longest ${run.longestTaskMs} ms)`,
        );
      }
    }
  } finally {
    await server.close();
  }
  const withRuns = runs.filter((r) => r.withExtension);
  const withoutRuns = runs.filter((r) => !r.withExtension);
  const cpuWith = median(withRuns.map((r) => r.cpu));
  const cpuWithout = median(withoutRuns.map((r) => r.cpu));
  const judged = median(withRuns.map((r) => r.judged));
  const latencies = withRuns.flatMap((r) => r.latencies);
  const summary = {
    date: new Date().toISOString(),
    machine: machineLine(),
    videos: clips.length,
    runs: config.runs,
    cpuWithMedian: cpuWith,
    cpuWithoutMedian: cpuWithout,
    ratio: cpuWith / cpuWithout,
    extensionCpuPerJudgedVideo: (cpuWith - cpuWithout) / judged,
    judgedShare: judged / clips.length,
    latencyMedianS: median(latencies),
    latencyP90S: quantile(latencies, 0.9),
    latencyMaxS: Math.max(...latencies),
    marksNamed: withRuns.map((r) => `${r.marksNamed}/${r.marks}`),
    longTasksWith: withRuns.map((r) => r.longTasks),
    longTasksWithout: withoutRuns.map((r) => r.longTasks),
    extensionRssMb: withRuns.map((r) => r.rssMb),
    modelLoadCpuFirst10s: median(withRuns.map((r) => r.cpuFirst10s)),
    warmupCpuWith: median(withRuns.map((r) => r.warmupCpu)),
    warmupCpuWithout: median(withoutRuns.map((r) => r.warmupCpu)),
    warmupSWith: median(withRuns.map((r) => r.warmupS)),
    fromCache: withRuns.map((r) => r.fromCache),
    cpuByKindWith: medianByKind(withRuns),
    cpuByKindWithout: medianByKind(withoutRuns),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (config.json) writeFileSync(config.json, JSON.stringify({ summary, runs }, null, 2));
  if (config.write) {
    writeSection('feed', feedMarkdown(summary, config));
    console.log('feed figures written to BENCHMARKS.md');
  }
  return summary;
}

/** Median CPU-seconds per kind of process over runs. */
function medianByKind(runs) {
  const kinds = ['extension', 'pages', 'gpu', 'other'];
  return Object.fromEntries(kinds.map((k) => [k, median(runs.map((r) => r.cpuByKind?.[k] ?? 0))]));
}

/** The machine as the feed block names it: cores and CPU. */
function machineLine() {
  const { cores, cpu } = machineFacts();
  return `${cores} × ${cpu}`;
}

/** The feed block of BENCHMARKS.md for a run's summary. */
function feedMarkdown(s, { scrollMs, settleMs }) {
  const f = (n, d = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d));
  return [
    `${s.date.slice(0, 10)}, ${s.machine}, load average ${machineFacts().loadAverage} at the end; ${s.videos} videos, ` +
      `${s.runs} runs each way, alternating; one card per ${scrollMs / 1000} s, then ${settleMs / 1000} s on the last; ` +
      'CPU counted from the feed page, after the warm-up page.',
    '',
    '| measure | value |',
    '| --- | --- |',
    `| browser CPU-s per run, without / with the extension (median) | ${f(s.cpuWithoutMedian)} / ${f(s.cpuWithMedian)} (×${f(s.ratio, 2)}) |`,
    `| extension CPU-s per judged video | ${f(s.extensionCpuPerJudgedVideo, 2)} |`,
    `| model loading and warm-up page (3 clips, before the feed), CPU-s with / without; wall s with (median) | ${f(s.warmupCpuWith)} / ${f(s.warmupCpuWithout)}; ${f(s.warmupSWith)} s |`,
    `| feed's first 10 s, browser CPU-s with the extension (median) | ${f(s.modelLoadCpuFirst10s)} |`,
    `| verdicts restored from the cache, per run | ${s.fromCache.join(', ')} |`,
    `| CPU-s by process, without / with (median): extension pages, page renderers, GPU, rest | – / ${f(s.cpuByKindWith.extension)}, ${f(s.cpuByKindWithout.pages)} / ${f(s.cpuByKindWith.pages)}, ${f(s.cpuByKindWithout.gpu)} / ${f(s.cpuByKindWith.gpu)}, ${f(s.cpuByKindWithout.other)} / ${f(s.cpuByKindWith.other)} |`,
    `| videos judged (median share) | ${f(s.judgedShare * 100, 0)} % |`,
    `| viewport → settled verdict, median / p90 / max | ${f(s.latencyMedianS)} / ${f(s.latencyP90S)} / ${f(s.latencyMaxS)} s |`,
    `| generator marks named, per run | ${s.marksNamed.join(', ')} |`,
    `| page long tasks, with / without (per run) | ${s.longTasksWith.join(', ')} / ${s.longTasksWithout.join(', ')} |`,
    `| extension processes' resident memory (per run) | ${s.extensionRssMb.join(', ')} MB |`,
  ].join('\n');
}

if (isMain(import.meta.url)) await runFeedBench(process.argv.slice(2));
