/**
 * Long tasks while the content script starts on a feed of 30 videos
 * (scripts/bench/feed.html). Each load runs in a fresh browser with the built
 * extension and records every long task the page sees (PerformanceObserver,
 * buffered, whoever caused it), plus one of:
 * - (default) a CDP CPU profile of the first 1.5 s: the extension's CPU on the
 *   page's main thread (samples whose stack has a frame from the extension,
 *   natives it called included) and where it went; the profiler itself slows
 *   the script's start, so these figures run high;
 * - `--trace`: a light trace (top-level tasks and script events) giving each
 *   long task's CPU time next to its wall time, whether extension script ran
 *   in it, and the extension script's CPU in the first 1.5 s. On a shared
 *   machine wall time includes waiting for a core; CPU time is the task's own.
 *
 * `node scripts/bench/feed-start.mjs [--loads 6] [--no-profile | --trace] [--without] [--json FILE]`
 * after `npm run build`. `--without` loads the page without the extension
 * (what the machine's noise alone gives); PROVENANCE_LENS_EXTENSION=DIR
 * measures another build, e.g. a saved copy of an earlier one.
 */
import { writeFileSync } from 'node:fs';
import { isMain, median, options, startServer, withBrowser } from './lib/runner.mjs';

/** How long after navigation the CPU profile covers. */
const PROFILE_MS = 1500;
/** How long after navigation long tasks are collected. */
const WATCH_MS = 5000;

/**
 * CPU time of the extension's frames in a V8 CPU profile: a sample counts when
 * any frame on its stack comes from the extension.
 */
function extensionCpu(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inExt = new Map();
  const isExt = (id) => {
    if (inExt.has(id)) return inExt.get(id);
    const node = byId.get(id);
    const own = node.callFrame.url.startsWith('chrome-extension://');
    const value = own || (parent.has(id) ? isExt(parent.get(id)) : false);
    inExt.set(id, value);
    return value;
  };
  let total = 0;
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    // timeDeltas[i] is the gap before sample i; the next gap is how long this sample's stack ran.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    if (!isExt(id)) continue;
    total += ms;
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + ms);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
  return { totalMs: total, top };
}

/**
 * The page's main-thread tasks from a light trace (top-level tasks and the
 * timeline's script events): for each task of more than `minMs` wall time,
 * its thread CPU time and whether extension script ran in it; and the CPU
 * time of the extension's script in the first 1.5 s after the page started
 * parsing. Wall time includes the time the thread waited for a core; on a
 * shared machine CPU time is what the task itself cost.
 */
function tasksFromTrace(events, minMs = 50) {
  const parse = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.includes('/bench/feed.html'));
  if (!parse) return null;
  const onMain = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X');
  const isExt = (e) =>
    (e.name === 'EvaluateScript' || e.name === 'FunctionCall') &&
    (e.args?.data?.url ?? '').startsWith('chrome-extension://');
  const extEvents = onMain.filter(isExt);
  // Only the outermost extension events, so nested calls are not counted twice.
  const outer = extEvents.filter(
    (e) => !extEvents.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur),
  );
  const end = parse.ts + PROFILE_MS * 1000;
  const extensionCpuMs = outer.filter((e) => e.ts < end).reduce((n, e) => n + (e.tdur ?? e.dur) / 1000, 0);
  const all = onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask')
    .map((t) => ({
      atMs: Math.round((t.ts - parse.ts) / 1000),
      wallMs: Math.round(t.dur / 1000),
      cpuMs: Math.round((t.tdur ?? t.dur) / 1000),
      extension: outer.some((e) => e.ts >= t.ts && e.ts < t.ts + t.dur),
    }));
  const tasks = all.filter((t) => t.wallMs > minMs);
  const withExtension = all.filter((t) => t.extension);
  const extensionTaskMaxCpuMs = Math.max(0, ...withExtension.map((t) => t.cpuMs));
  const extensionTaskMaxWallMs = Math.max(0, ...withExtension.map((t) => t.wallMs));
  return { extensionCpuMs, extensionTaskMaxCpuMs, extensionTaskMaxWallMs, tasks };
}

function loadOnce(server, { profile, trace, withExtension }) {
  return withBrowser({ withExtension }, async (browser) => {
    const page = await browser.context.newPage();
    let cdp = null;
    let traced = null;
    if (trace) {
      cdp = await browser.context.newCDPSession(page);
      const events = [];
      cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
      traced = { events, done: new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve)) };
      await cdp.send('Tracing.start', {
        traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] },
        transferMode: 'ReportEvents',
      });
    } else if (profile) {
      cdp = await browser.context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    }
    const started = Date.now();
    await page.goto(`${server.base}/bench/feed.html`);
    let cpu = null;
    if (cdp && !trace) {
      const navStart = await page.evaluate(() => performance.timeOrigin);
      await page.waitForTimeout(Math.max(0, navStart + PROFILE_MS - Date.now()));
      const { profile: p } = await cdp.send('Profiler.stop');
      cpu = extensionCpu(p);
    }
    await page.waitForTimeout(Math.max(0, started + WATCH_MS - Date.now()));
    const longTasks = await page.evaluate(() => window.longTasks);
    const badges = await page.evaluate(() => document.querySelectorAll('provenance-lens-badge').length);
    let mainThread = null;
    if (traced) {
      await cdp.send('Tracing.end');
      await traced.done;
      mainThread = tasksFromTrace(traced.events);
    }
    return { longTasks, badges, cpu, mainThread };
  });
}

/**
 * Loads the feed `loads` times, each in a fresh browser; returns per-load long
 * tasks (start and duration, ms since navigation), badge count after 5 s and
 * the content script's CPU in the first 1.5 s (when profiled).
 */
export async function measureFeedStart(
  server,
  { loads = 6, profile = true, trace = false, withExtension = true, log = () => undefined } = {},
) {
  const results = [];
  for (let i = 0; i < loads; i++) {
    const r = await loadOnce(server, { profile, trace, withExtension });
    const traced = r.mainThread
      ? `; traced tasks > 50 ms (wall/CPU): ${r.mainThread.tasks.map((t) => `${t.wallMs}/${t.cpuMs} ms @${t.atMs}${t.extension ? ' ext' : ''}`).join(', ') || 'none'}, extension script CPU ${r.mainThread.extensionCpuMs.toFixed(0)} ms, longest task with extension script ${r.mainThread.extensionTaskMaxWallMs} ms wall / ${r.mainThread.extensionTaskMaxCpuMs} ms CPU`
      : '';
    log(
      `load ${i + 1}: badges ${r.badges}, long tasks ${r.longTasks.map((t) => `${Math.round(t.duration)} ms @${Math.round(t.start)}`).join(', ') || 'none'}` +
        (r.cpu ? `, content-script CPU ${r.cpu.totalMs.toFixed(0)} ms` : '') +
        traced,
    );
    results.push(r);
  }
  return results;
}

/** Medians and counts over the loads. */
export function summariseFeedStart(results) {
  const longest = results.map((r) => Math.max(0, ...r.longTasks.map((t) => t.duration)));
  const cpu = results.filter((r) => r.cpu).map((r) => r.cpu.totalMs);
  return {
    loads: results.length,
    loadsWithTaskOver50: results.filter((r) => r.longTasks.some((t) => t.duration > 50)).length,
    tasksOver50: results.reduce((n, r) => n + r.longTasks.filter((t) => t.duration > 50).length, 0),
    longestMedian: median(longest),
    longestMax: Math.max(0, ...longest),
    contentCpuMedian: median(cpu),
    badgesMin: Math.min(...results.map((r) => r.badges)),
  };
}

if (isMain(import.meta.url)) {
  const opts = options();
  const loads = opts.number('loads', 6);
  const withExtension = !opts.has('without');
  const trace = opts.has('trace');
  const profile = withExtension && !trace && !opts.has('no-profile');
  const server = await startServer();
  try {
    const results = await measureFeedStart(server, { loads, profile, trace, withExtension, log: console.log });
    const summary = summariseFeedStart(results);
    console.log(JSON.stringify(summary, null, 2));
    if (profile) {
      const merged = new Map();
      for (const r of results) for (const [name, ms] of r.cpu.top) merged.set(name, (merged.get(name) ?? 0) + ms);
      console.log('content-script self time, summed over loads (ms):');
      for (const [name, ms] of [...merged].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`  ${ms.toFixed(1).padStart(7)}  ${name}`);
    }
    const json = opts.value('json', null);
    if (json) writeFileSync(json, JSON.stringify({ summary, results }, null, 2));
  } finally {
    await server.close();
  }
}
