/**
 * Time from each video's first frame to its Content Credentials verdict: to the first provenance reading (a file's
 * manifest claims, read from its boxes with Range requests; a stream's, read from the segments the page appended)
 * and to the final one (a file's content hash verified). Negative: the verdict was there before the first frame.
 * `node scripts/bench/provenance.mjs [--rounds N]` after `npm run build`: this measurement alone, printed.
 */
import { makeC2paFixtures } from '../c2pa/make-fixtures.mjs';
import { fmt, median, quantile, readTabResults, runAlone, runsWord, tabIdOf, withBrowser } from './lib/runner.mjs';

/** Pages whose videos' provenance is timed, with the kind of their videos and how many there are. */
export const PROVENANCE_PAGES = [
  { path: '/pages/provenance.html', kind: 'file', videos: 6 },
  { path: '/pages/mse-signed-own.html', kind: 'stream', videos: 1 },
];

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

/** Readings of every page, `rounds` times: each kind of page first in a fresh browser (cold), then all (warm). */
export async function measureProvenance(server, { pages = PROVENANCE_PAGES, rounds = 3 } = {}) {
  await makeC2paFixtures();
  const readings = [];
  for (let run = 0; run < rounds; run++) {
    // Cold: offscreen document and C2PA reader not started.
    for (const lead of pages) {
      await withBrowser({}, async (browser) => {
        await browser.context.addInitScript(recordFirstFrames);
        for (const [i, p] of [lead, ...pages].entries())
          for (const reading of await timePage(browser, server, p, i === 0 ? 'cold' : 'warm'))
            readings.push({ ...reading, round: run });
      });
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

/** BENCHMARKS.md lines for {@link measureProvenance} readings. */
export function provenanceMarkdown(readings) {
  const row = (label, list) => {
    const first = list.map((r) => r.first);
    return `| ${label} | ${list.length} | ${fmt(median(first), 0)} | ${fmt(quantile(first, 0.9), 0)} | ${fmt(median(list.map((r) => r.final)), 0)} |`;
  };
  const of = (kind, start) => readings.filter((r) => r.kind === kind && r.start === start);
  return [
    `**Content Credentials**: time from a video's first frame (its \`playing\` event) to its provenance verdict, milliseconds (${runsWord(new Set(readings.map((r) => r.round)).size)}; files: claims read with Range requests, then the whole file hashed; streams: init + first segment copied from the page; negative: the verdict came before the first frame):`,
    '',
    '| videos | readings | first frame → manifest claims shown, median | p90 | first frame → final reading (hash checked), median |',
    '| --- | --- | --- | --- | --- |',
    row('files, 0.2–1.4 MB, cold (fresh browser: analysis host and C2PA reader start)', of('file', 'cold')),
    row('files, warm (reader running)', of('file', 'warm')),
    row('stream (MSE, signed fragmented MP4), cold', of('stream', 'cold')),
    row('stream, warm', of('stream', 'warm')),
  ];
}

await runAlone(import.meta.url, async (server, opts) =>
  provenanceMarkdown(await measureProvenance(server, { rounds: opts.number('rounds', 3) })),
);
