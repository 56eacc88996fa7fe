/**
 * First verdict: page `playing` → verdict shown in the page's badge, cold (a fresh browser each run: the analysis
 * host starts) and warm (the host already running). `node scripts/bench/first-verdict.mjs [--runs N]` after
 * `npm run build`: this measurement alone, printed, nothing written.
 */
import { fmt, median, quantile, runAlone, withBrowser } from './lib/runner.mjs';

async function firstVerdict(browser, server) {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/bench/first-verdict.html`);
  // Let discovery announce the (paused, data-less) video before playback starts.
  await page.waitForFunction(() => document.querySelector('provenance-lens-badge') !== null, null, { timeout: 15_000 });
  await page.evaluate(() => window.startPlayback());
  await page.waitForFunction(() => window.bench.verdict !== null, null, { timeout: 20_000 });
  const ms = await page.evaluate(() => window.bench.verdict - window.bench.playing);
  await page.close();
  return ms;
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
