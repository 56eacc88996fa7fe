/**
 * The feed benchmark, the project's headline number: a feed of looping videos of mixed kinds (plain clips, a
 * watermarked clip, signed files, a cross-origin clip, a stream) scrolled like a reader, in a fresh Chromium without
 * and with the extension, runs alternating in one process. Per run it records:
 * - CPU-seconds of the whole browser process tree (every process under the browser, from /proc), so the extension's
 *   cost is the difference to the runs without it, per judged video;
 * - for each video, the time from entering the viewport to its settled verdict (a verdict beyond its first frame, or
 *   unavailable), the share of videos settled, and whether each marked clip's watermark was named;
 * - the page's long tasks (PerformanceObserver, whoever caused them), with and without the extension;
 * - the resident memory of the extension's processes (offscreen document and service worker): the most seen while
 *   the feed played, and at the end.
 *
 * `node scripts/bench/feed.mjs [--runs 3] [--videos 20] [--scroll-ms 1500] [--json FILE] [--per-video] [--tail-s 45] [--write]` after `npm run build`
 * (it makes its media and signed files itself; `--threads` also prints the CPU of each thread of the extension's
 * process, `--profile DIR` writes CPU profiles of its service worker and offscreen document: where its CPU goes;
 * `--trace FILE` writes a timeline trace of the feed page and prints what ran in its events over 50 ms; `--with-only`
 * runs only the browsers with the extension, for its latencies and page long tasks over many loads). Model loading is counted once per browser and reported apart: each
 * browser first opens a warm-up page of three clips that are not in the feed (a marked clip, a signed file, a face),
 * which starts every model the feed needs (with the extension: until all three are settled), and the feed's CPU is
 * counted from when the feed page opens. The warm-up's own CPU is reported as "model loading and warm-up".
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    threads: opts.has('threads'),
    profile: opts.value('profile', null),
    trace: opts.value('trace', null),
    /** Only the runs with the extension: its latencies, marks and page long tasks over many loads, no CPU ratio. */
    withOnly: opts.has('with-only'),
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

/**
 * The processes that run the extension's pages (offscreen document, service worker, their workers) under the browser
 * `rootPid`, each with its `/proc/<pid>/status` text.
 */
function extensionProcesses(rootPid) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--extension-process')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      if (ppid !== rootPid && !readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes('--type=zygote')) continue;
      found.push({ pid, status });
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/** CPU-seconds of each thread of the extension's processes, keyed "pid/comm/tid" (for `--threads`). */
function extensionThreadCpu(rootPid) {
  const out = new Map();
  for (const { pid } of extensionProcesses(rootPid)) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}/${comm}/${tid}`, (Number(fields[11]) + Number(fields[12])) / TICKS);
      }
    } catch {
      // The process or thread ended while being read.
    }
  }
  return out;
}

/**
 * Starts the DevTools protocol's sampling profiler in the extension's service worker and offscreen document (for
 * `--profile DIR`: where the extension's CPU goes). The browser was started with a debugging port of its choice.
 */
async function startProfilers(profileDir) {
  const { ws: WebSocket } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle');
  const port = readFileSync(`${profileDir}/DevToolsActivePort`, 'utf8').split('\n')[0];
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const wanted = targets.filter((t) => t.url.startsWith('chrome-extension://') && t.webSocketDebuggerUrl);
  return Promise.all(
    wanted.map(
      (t) =>
        new Promise((resolve) => {
          const socket = new WebSocket(t.webSocketDebuggerUrl);
          let id = 0;
          const pending = new Map();
          const send = (method, params = {}) =>
            new Promise((done) => {
              pending.set(++id, done);
              socket.send(JSON.stringify({ id, method, params }));
            });
          socket.on('message', (data) => {
            const msg = JSON.parse(String(data));
            pending.get(msg.id)?.(msg.result);
          });
          socket.on('open', async () => {
            await send('Profiler.enable');
            await send('Profiler.setSamplingInterval', { interval: 500 });
            await send('Profiler.start');
            resolve({ name: `${t.type}-${new URL(t.url).pathname.replace(/\W+/g, '_')}`, send, socket });
          });
        }),
    ),
  );
}

/** Stops {@link startProfilers}' profilers, writes each `.cpuprofile` into `dir` and prints the top self times. */
async function stopProfilers(profilers, dir) {
  mkdirSync(dir, { recursive: true });
  for (const p of profilers) {
    const { profile } = await p.send('Profiler.stop');
    p.socket.close();
    writeFileSync(`${dir}/${p.name}.cpuprofile`, JSON.stringify(profile));
    const self = new Map();
    const dt = profile.timeDeltas;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const n = byId.get(id).callFrame;
      const key = `${n.functionName || '(anon)'} ${n.url.split('/').pop()}:${n.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
    });
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    console.log(`  profile ${p.name}:`);
    for (const [k, us] of top) console.log(`    ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`);
  }
}

/**
 * How often the benchmark reads the results while the feed plays. Each reading costs the extension's service worker
 * and the browser a copy of the tab's stored results: read every 250 ms and copied whole into this process, they
 * were most of the service worker's CPU in the counted window (a profile: 6.8 of its 7.3 CPU-s), which the runs
 * without the extension never pay. A settled verdict's time is taken from its report (`updatedAt`), not from the
 * reading that saw it, so a slower pace does not make the latencies coarser.
 */
const POLL_MS = 1000;

/**
 * What the benchmark needs of the tab's results, reduced inside the service worker so that frame logs, thumbnails
 * and face crops are not copied out on every reading.
 */
function readFeedState(worker, tabId) {
  return worker.evaluate(async (id) => {
    const key = `tab:${id}`;
    const results = (await chrome.storage.session.get(key))[key];
    if (!results) return null;
    return {
      videos: results.videos.map((v) => ({
        src: v.src,
        verdict: v.verdict,
        framesAnalysed: v.framesAnalysed,
        framePath: v.framePath,
        fromCache: !!v.fromCache,
        updatedAt: v.updatedAt,
        signals: v.signals.filter((s) => s.kind === 'watermark').map((s) => ({ kind: s.kind, generator: s.generator })),
      })),
    };
  }, tabId);
}

/** Starts a DevTools timeline trace of the page (for `--trace FILE`: what the page's long tasks ran). */
async function startTrace(context, page) {
  const session = await context.newCDPSession(page);
  const events = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'v8.execute', 'blink.user_timing'] },
  });
  return { session, events, done };
}

/**
 * Ends {@link startTrace}'s trace, writes it to `file` (Chrome's trace format) and prints each event over 50 ms on a
 * renderer's main thread (an event dispatch, a timer, a run of microtasks…) with the longest events inside it and the
 * scripts they ran. The timeline categories name the script of a function call, not of a run of promise callbacks.
 */
async function stopTrace({ session, events, done }, file) {
  await session.send('Tracing.end');
  await done;
  writeFileSync(file, JSON.stringify({ traceEvents: events }));
  const mains = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const within = (outer, e) =>
    e !== outer &&
    e.tid === outer.tid &&
    e.pid === outer.pid &&
    e.ts >= outer.ts &&
    e.ts + e.dur <= outer.ts + outer.dur;
  const long = onMain.filter((e) => e.dur > 50_000);
  // Only the outermost of nested long events.
  const outermost = long.filter((e) => !long.some((o) => within(o, e)));
  const t0 = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  for (const event of outermost) {
    const describe = (e) =>
      `${e.name}${e.args?.data?.type ? ` ${e.args.data.type}` : ''}${e.args?.data?.url ? ` ${e.args.data.url.split('/').slice(-2).join('/')}` : ''}${e.args?.data?.functionName ? ` ${e.args.data.functionName}` : ''} ${(e.dur / 1000).toFixed(1)} ms`;
    const inside = onMain
      .filter((e) => within(event, e))
      .sort((a, b) => b.dur - a.dur)
      .slice(0, 5)
      .map(describe);
    console.log(
      `  ${((event.ts - t0) / 1e6).toFixed(1)} s: ${describe(event)}${inside.length ? ` > ${inside.join(' | ')}` : ''}`,
    );
  }
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
  const kb = extensionProcesses(rootPid).reduce(
    (sum, { status }) => sum + Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
    0,
  );
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

async function oneRun(server, clips, withExtension, { scrollMs, settleMs, perVideo, threads, profile, trace }) {
  const profiling = withExtension && profile;
  const browser = await launchBrowser({
    withExtension,
    viewport: { width: 1280, height: 800 },
    extraArgs: profiling ? ['--remote-debugging-port=0'] : [],
  });
  const pid = browserPid(browser.profile);
  const page = await browser.context.newPage();
  const warmup = await warmUp(browser, page, server, withExtension, pid);
  const cpuStart = pid ? treeCpuSeconds(pid) : 0;
  const kindsStart = pid ? treeCpuByKind(pid) : null;
  const threadsStart = pid && threads && withExtension ? extensionThreadCpu(pid) : null;
  const profilers = profiling ? await startProfilers(browser.profile) : null;
  const url = `${server.base}/bench/feed-bench.html`;
  const tracer = withExtension && trace ? await startTrace(browser.context, page) : null;
  const opened = Date.now();
  await page.goto(url);
  const tabId = withExtension ? await tabIdOf(browser.worker, url) : null;
  const settledAt = new Map();
  /** The last state read of each card's video, for the per-video lines written when a run ends. */
  const lastSeen = new Map();
  let cpuAt10s = null;
  let peakRssMb = 0;
  const poll = async () => {
    if (withExtension && pid) peakRssMb = Math.max(peakRssMb, extensionRssMb(pid));
    if (cpuAt10s === null && Date.now() - opened >= 10_000 && pid) cpuAt10s = treeCpuSeconds(pid) - cpuStart;
    if (!withExtension) return;
    const results = await readFeedState(browser.worker, tabId);
    const videos = results?.videos ?? [];
    // Streams have no address of their own (blob: URLs): the n-th stream found is the n-th stream card.
    const streams = videos.filter((v) => v.src.startsWith('blob:'));
    const streamCards = clips.flatMap((c, i) => (c.stream ? [i] : []));
    for (const v of videos) {
      const i = v.src.startsWith('blob:')
        ? (streamCards[streams.indexOf(v)] ?? -1)
        : clips.findIndex((c) => !c.stream && v.src.endsWith(c.src));
      if (i >= 0) lastSeen.set(i, v);
      // The report's last change is when it settled or later, and never after this reading.
      if (i >= 0 && !settledAt.has(i) && isSettled(v))
        settledAt.set(i, { at: Math.min(Date.now(), v.updatedAt), video: v });
    }
  };
  // A reader: one card further every `scrollMs`, to the end of the feed.
  const cardHeight = 352;
  for (let i = 0; i < clips.length; i++) {
    await page.evaluate((top) => window.scrollTo({ top }), i * cardHeight);
    const until = Date.now() + scrollMs;
    while (Date.now() < until) {
      await poll();
      // The reader's pace is the feed's: a reading never holds the next scroll back.
      await page.waitForTimeout(Math.max(0, Math.min(POLL_MS, until - Date.now())));
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
    await page.waitForTimeout(Math.max(0, Math.min(POLL_MS, giveUp - Date.now())));
  }
  if (withExtension && (settledAt.size < clips.length || marksPending()))
    console.log(`  not settled within ${settleMs / 1000} s of the last scroll: see --per-video`);
  const cpu = pid ? treeCpuSeconds(pid) - cpuStart : null;
  const kindsEnd = pid ? treeCpuByKind(pid) : null;
  const cpuByKind =
    kindsStart && kindsEnd
      ? Object.fromEntries(Object.keys(kindsEnd).map((k) => [k, +(kindsEnd[k] - (kindsStart[k] ?? 0)).toFixed(2)]))
      : null;
  if (profilers) await stopProfilers(profilers, profile);
  if (tracer) await stopTrace(tracer, trace);
  if (threadsStart) {
    const end = extensionThreadCpu(pid);
    const rows = [...end].map(([k, v]) => [k, v - (threadsStart.get(k) ?? 0)]).filter(([, v]) => v >= 0.2);
    for (const [k, v] of rows.sort((a, b) => b[1] - a[1])) console.log(`  thread ${k}: ${v.toFixed(1)} CPU-s`);
    const vids = (await readTabResults(browser.worker, tabId))?.videos ?? [];
    const sum = (f) => vids.reduce((a, v) => a + v.frames.reduce((b, fr) => b + (f(fr) ?? 0), 0), 0);
    console.log(
      `  frames ${sum(() => 1)}, classify ${(sum((f) => f.timings.classify) / 1000).toFixed(1)} s, faces ${(sum((f) => f.timings.faces) / 1000).toFixed(1)} s, ` +
        `preprocess ${(sum((f) => f.timings.preprocess) / 1000).toFixed(1)} s, OCR frames ${vids.reduce((a, v) => a + (v.watermarkFrames?.length ?? 0), 0)}`,
    );
  }
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
    /** When each long task began, seconds after navigation. */
    longTaskStarts: longTasks.map((t) => (t.start / 1000).toFixed(1)),
    rssMb,
    peakRssMb: withExtension ? Math.max(peakRssMb, rssMb ?? 0) : null,
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
      const order = config.withOnly ? [true] : r % 2 === 0 ? [false, true] : [true, false];
      for (const withExtension of order) {
        const run = await oneRun(server, clips, withExtension, config);
        runs.push(run);
        console.log(
          `run ${r + 1} ${withExtension ? 'with   ' : 'without'}: ${run.cpu?.toFixed(1)} CPU-s in ${run.wallS.toFixed(0)} s` +
            (withExtension
              ? `, ${run.judged}/${clips.length} judged, viewport→verdict median ${median(run.latencies)?.toFixed(1)} s, ` +
                `marks ${run.marksNamed}/${run.marks}, extension RSS ${run.peakRssMb} MB at most, ${run.rssMb} MB at the end`
              : '') +
            `, long tasks ${run.longTasks} (longest ${run.longestTaskMs} ms${run.longTaskStarts.length ? `; at ${run.longTaskStarts.join(', ')} s` : ''})`,
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
    extensionPeakRssMb: withRuns.map((r) => r.peakRssMb),
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
    `| extension processes' resident memory, most while the feed played / at the end (per run) | ${s.extensionPeakRssMb.map((m, i) => `${m} / ${s.extensionRssMb[i]}`).join(', ')} MB |`,
  ].join('\n');
}

if (isMain(import.meta.url)) await runFeedBench(process.argv.slice(2));
