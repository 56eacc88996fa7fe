/**
 * Time from a video's announcement to its watermark verdict, on the clip with a corner mark, in fresh browsers
 * (model loading included). `node scripts/bench/watermark-verdict.mjs [--runs N]` after `npm run build` and
 * `npm run media`: this measurement alone, printed, nothing written.
 */
import { fmt, median, runAlone, tabVideos, withBrowser } from './lib/runner.mjs';

/** Milliseconds from announcement to a watermark signal, one fresh browser per run. */
export async function measureWatermarkVerdict(server, runs = 3) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    await withBrowser({}, async (browser) => {
      const page = await browser.context.newPage();
      await page.goto(`${server.base}/pages/watermark.html`);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const v = (await tabVideos(browser, page))[0];
        if (v?.signals.some((s) => s.kind === 'watermark')) {
          times.push(Date.now() - v.firstSeenAt);
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  }
  return times;
}

/** BENCHMARKS.md lines for {@link measureWatermarkVerdict} times. */
export function watermarkVerdictMarkdown(times) {
  return [
    `**Watermarks**: time from a video's announcement to its watermark verdict (a corner "KlingAI 2.0" mark; OCR worker reads the first frames at up to 960 px, two sightings needed), ${times.length} fresh-browser runs: median ${fmt(median(times), 0)} ms (includes loading the 15.6 MB OCR models). Per-frame OCR cost in Node is in models/watermark/EVAL.md.`,
  ];
}

await runAlone(import.meta.url, async (server, opts) =>
  watermarkVerdictMarkdown(await measureWatermarkVerdict(server, opts.number('runs', 3))),
);
