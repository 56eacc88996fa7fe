/**
 * First verdict: page `playing` → verdict shown in the page's badge, cold (a fresh browser each run: the analysis
 * host starts) and warm (the host already running). `node scripts/bench/first-verdict.mjs [--runs N]` after
 * `npm run build`: this measurement alone, printed, nothing written.
 *
 * What is timed, exactly: from the page's own `playing` event (stamped by the page with `performance.now()`) to the
 * first animation frame in which the badge's `data-verdict` is past `pending` (stamped with `performance.now()` in
 * that frame's `requestAnimationFrame` callback). The badge lives in a closed shadow root that page script cannot
 * open, so the second stamp is taken outside the page: in a DevTools isolated world the badge's root is handed to
 * ({@link BadgeProbe}), which shares the page's document and so its clock, but none of its script.
 */
import { BadgeProbe, fmt, median, quantile, runAlone, withBrowser } from './lib/runner.mjs';

/**
 * In the probe's world: a watch on the first badge, checked once per animation frame as the page once did itself.
 * `window.__firstVerdict` resolves with the frame's time and the verdict, or fails after `timeout` ms.
 */
const watchFirstVerdict = (timeout) => `void (window.__firstVerdict = new Promise((resolve, reject) => {
  const root = roots[0];
  const timer = setTimeout(() => reject(new Error('no verdict in the badge after ${timeout} ms')), ${timeout});
  const watch = () => {
    const level = root.querySelector('.badge')?.getAttribute('data-verdict');
    if (level && level !== 'pending') {
      clearTimeout(timer);
      resolve({ at: performance.now(), level });
    } else requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
}))`;

/** Waits until the page has a badge (discovery announced its video). */
async function waitForBadge(probe, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while ((await probe.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`no badge on the page after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function firstVerdict(browser, server) {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/bench/first-verdict.html`);
  const probe = await BadgeProbe.of(page);
  try {
    // Let discovery announce the (paused, data-less) video and its badge before playback starts.
    await waitForBadge(probe);
    await probe.evaluate(watchFirstVerdict(20_000));
    await page.evaluate(() => window.startPlayback());
    const shown = await probe.evaluate('window.__firstVerdict');
    const playing = await page.evaluate(() => window.bench.playing);
    if (playing === null) throw new Error(`the badge shows ${shown.level} but the page never played`);
    if (shown.at < playing) throw new Error(`the badge showed ${shown.level} before the page played`);
    return shown.at - playing;
  } finally {
    await probe.close();
    await page.close();
  }
}

/** `runs` cold runs (a browser each) and `runs` warm ones (one browser, after a first run), in milliseconds. */
export async function measureFirstVerdicts(server, runs = 12) {
  const cold = [];
  for (let i = 0; i < runs; i++) cold.push(await withBrowser({}, (browser) => firstVerdict(browser, server)));
  const warm = await withBrowser({}, async (browser) => {
    await firstVerdict(browser, server);
    const out = [];
    for (let i = 0; i < runs; i++) out.push(await firstVerdict(browser, server));
    return out;
  });
  return { cold, warm };
}

/** BENCHMARKS.md lines for a {@link measureFirstVerdicts} result. */
export function firstVerdictMarkdown({ cold, warm }) {
  const row = (label, ms) =>
    `| ${label} | ${ms.length} | ${fmt(median(ms), 0)} | ${fmt(quantile(ms, 0.9), 0)} | ${fmt(Math.min(...ms), 0)} | ${fmt(Math.max(...ms), 0)} |`;
  return [
    '**First verdict** (page `playing` event → verdict shown in the badge), milliseconds:',
    '',
    '| run | n | median | p90 | min | max |',
    '| --- | --- | --- | --- | --- | --- |',
    row('cold (new browser, analysis host not started)', cold),
    row('warm (analysis host running)', warm),
  ];
}

await runAlone(import.meta.url, async (server, opts) =>
  firstVerdictMarkdown(await measureFirstVerdicts(server, opts.number('runs', 12))),
);
