/**
 * Long tasks while the content script starts on a feed of 30 videos
 * (scripts/bench/feed.html): each load runs in a fresh browser with the
 * built extension, records every long task the page sees (PerformanceObserver,
 * buffered, whoever caused it) and, through a CDP CPU profile of the first
 * 1.5 s, how much CPU the extension's content script used on the page's
 * main thread (samples whose stack has a frame from the extension, natives
 * it called included) and where.
 *
 * `node scripts/bench/feed-start.mjs [--loads 6] [--no-profile] [--without] [--json FILE]`
 * (after `npm run build`); `--without` loads the page in the same browser
 * without the extension (what this machine's noise alone gives), and
 * PROVENANCE_LENS_EXTENSION=DIR measures another build (e.g. a saved one).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

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

async function loadOnce(server, { profile, withExtension }) {
  const browser = await launchBrowser({ withExtension });
  try {
    const page = await browser.context.newPage();
    let cdp = null;
    if (profile) {
      cdp = await browser.context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    }
    const started = Date.now();
    await page.goto(`${server.base}/bench/feed.html`);
    let cpu = null;
    if (cdp) {
      const navStart = await page.evaluate(() => performance.timeOrigin);
      await page.waitForTimeout(Math.max(0, navStart + PROFILE_MS - Date.now()));
      const { profile: p } = await cdp.send('Profiler.stop');
      cpu = extensionCpu(p);
    }
    await page.waitForTimeout(Math.max(0, started + WATCH_MS - Date.now()));
    const longTasks = await page.evaluate(() => window.longTasks);
    const badges = await page.evaluate(() => document.querySelectorAll('provenance-lens-badge').length);
    return { longTasks, badges, cpu };
  } finally {
    await browser.close();
  }
}

/**
 * Loads the feed `loads` times, each in a fresh browser; returns per-load long
 * tasks (start and duration, ms since navigation), badge count after 5 s and
 * the content script's CPU in the first 1.5 s (when profiled).
 */
export async function measureFeedStart(
  server,
  { loads = 6, profile = true, withExtension = true, log = () => undefined } = {},
) {
  const results = [];
  for (let i = 0; i < loads; i++) {
    const r = await loadOnce(server, { profile, withExtension });
    log(
      `load ${i + 1}: badges ${r.badges}, long tasks ${r.longTasks.map((t) => `${Math.round(t.duration)} ms @${Math.round(t.start)}`).join(', ') || 'none'}` +
        (r.cpu ? `, content-script CPU ${r.cpu.totalMs.toFixed(0)} ms` : ''),
    );
    results.push(r);
  }
  return results;
}

/** Medians and counts over the loads. */
export function summariseFeedStart(results) {
  const median = (values) => {
    const s = [...values].sort((a, b) => a - b);
    if (s.length === 0) return NaN;
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const loads = Number(argv[argv.indexOf('--loads') + 1]) || 6;
  const withExtension = !argv.includes('--without');
  const profile = withExtension && !argv.includes('--no-profile');
  const server = await startServer();
  try {
    const results = await measureFeedStart(server, { loads, profile, withExtension, log: console.log });
    const summary = summariseFeedStart(results);
    console.log(JSON.stringify(summary, null, 2));
    if (profile) {
      const merged = new Map();
      for (const r of results) for (const [name, ms] of r.cpu.top) merged.set(name, (merged.get(name) ?? 0) + ms);
      console.log('content-script self time, summed over loads (ms):');
      for (const [name, ms] of [...merged].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`  ${ms.toFixed(1).padStart(7)}  ${name}`);
    }
    const jsonAt = argv.indexOf('--json');
    if (jsonAt >= 0) writeFileSync(argv[jsonAt + 1], JSON.stringify({ summary, results }, null, 2));
  } finally {
    await server.close();
  }
}
