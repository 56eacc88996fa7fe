/**
 * MSE append and start-of-playback times: without the extension, with the stream observer alone (the built
 * MAIN-world script injected into the page, nothing else of the extension), and with the whole extension. Runs
 * alternate so drift on a shared machine spreads over all of them. `node scripts/bench/mse.mjs [--runs N]` after
 * `npm run build`: this measurement alone, printed, nothing written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR, fmt, median, runAlone, withBrowser } from './lib/runner.mjs';

const MODES = ['none', 'observer', 'extension', 'extensionLate'];

/** `runsEach` alternating runs of each mode; per mode, the page's figures of each run. */
export async function measureMse(server, runsEach = 7) {
  const observer = readFileSync(join(EXTENSION_DIR, 'content-scripts/mse-observer.js'), 'utf8');
  const out = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let run = 0; run < runsEach; run++) {
    for (const mode of MODES) {
      const result = await withBrowser({ withExtension: mode.startsWith('extension') }, async (browser) => {
        if (mode === 'observer') await browser.context.addInitScript({ content: observer });
        const page = await browser.context.newPage();
        await page.goto(`${server.base}/bench/mse-append.html${mode === 'extensionLate' ? '?delay=3000' : ''}`);
        await page.waitForFunction(() => window.bench !== null, null, { timeout: 20_000 });
        return page.evaluate(() => ({ ...window.bench, observed: window.__provenanceLensMse === true }));
      });
      if ((mode === 'none') === result.observed)
        throw new Error(`the observer is ${result.observed ? '' : 'not '}installed in mode ${mode}`);
      out[mode].push(result);
    }
  }
  return out;
}

/** BENCHMARKS.md lines for a {@link measureMse} result. */
export function mseMarkdown(mse) {
  const of = (list, key) => median(list.map((m) => m[key]));
  const row = (label, list) =>
    `| ${label} | ${list.length} | ${fmt(of(list, 'appended'), 1)} | ${fmt(of(list, 'appendCalls'), 2)} | ${fmt(of(list, 'toPlaying'), 1)} |`;
  const ratio = (list) => fmt(of(list, 'appended') / of(mse.none, 'appended'), 2);
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
  ];
}

await runAlone(import.meta.url, async (server, opts) => mseMarkdown(await measureMse(server, opts.number('runs', 7))));
