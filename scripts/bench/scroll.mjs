/**
 * Long tasks on a feed of 30 videos (scripts/bench/feed.html) while scrolling down and up for about 14 s, with and
 * without the extension (the page cannot tell whose script a long task belongs to, so the baseline run is the
 * comparison). `node scripts/bench/scroll.mjs [--runs N]` after `npm run build`: this measurement alone, printed.
 */
import { fmt, runAlone, runsWord, tabVideos, withBrowser } from './lib/runner.mjs';

function scrollOnce(server, withExtension) {
  return withBrowser({ withExtension }, async (browser) => {
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/bench/feed.html`);
    await page.waitForTimeout(1500);
    for (const step of [400, -400]) {
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, step);
        await page.waitForTimeout(150);
      }
    }
    await page.waitForTimeout(1000);
    const longTasks = await page.evaluate(() => window.longTasks);
    const run = {
      longTasksOver50: longTasks.filter((x) => x.duration > 50).length,
      longest: Math.max(0, ...longTasks.map((x) => x.duration)),
    };
    if (!withExtension) return run;
    const videos = await tabVideos(browser, page);
    return {
      ...run,
      videos: videos.length,
      judged: videos.filter((v) => v.verdict !== 'pending').length,
      frames: videos.reduce((n, v) => n + v.framesAnalysed, 0),
    };
  });
}

/** `runs` scrolls without and with the extension, alternating. */
export async function measureScroll(server, runs = 3) {
  const out = { without: [], withExtension: [] };
  for (let i = 0; i < runs; i++) {
    out.without.push(await scrollOnce(server, false));
    out.withExtension.push(await scrollOnce(server, true));
  }
  return out;
}

/** BENCHMARKS.md lines for a {@link measureScroll} result. */
export function scrollMarkdown({ without, withExtension }) {
  const tasks = (runs) => runs.map((r) => r.longTasksOver50).join(', ');
  const longest = (runs) => runs.map((r) => fmt(r.longest, 0)).join(', ');
  return [
    `**Feed of 30 videos, scrolled down and up for ~14 s** (long tasks > 50 ms seen by the page, ${runsWord(without.length)} each):`,
    '',
    '| browser | long tasks > 50 ms per run | longest task (ms) per run | videos found / judged / frames |',
    '| --- | --- | --- | --- |',
    `| without the extension | ${tasks(without)} | ${longest(without)} | – |`,
    `| with the extension | ${tasks(withExtension)} | ${longest(withExtension)} | ${withExtension.map((r) => `${r.videos}/${r.judged}/${r.frames}`).join(', ')} |`,
  ];
}

await runAlone(import.meta.url, async (server, opts) =>
  scrollMarkdown(await measureScroll(server, opts.number('runs', 3))),
);
