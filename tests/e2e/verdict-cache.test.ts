import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TabResults, VideoReport } from '../../lib/core/report';
import { launchBrowser } from '../../scripts/lib/browser.mjs';
import { startServer } from '../../scripts/lib/server.mjs';
import { makeMedia } from '../../scripts/make-media.mjs';
import { type E2E, e2eOf, openPage, results, waitFor } from './harness';

/**
 * The verdict cache in Chromium: a clip judged in full is judged again from one matching frame after a reload,
 * marked as restored, with the detail page saying so; a server that answers the same URL with other pixels on the
 * second visit gets no reuse. Latencies are printed, never asserted.
 */

let e2e: E2E;
/** What each clip URL serves now (a file under /media/), switched by the tests. */
const serving = new Map<string, string>([
  ['/cache/clip.mp4', '/media/clip.mp4'],
  ['/cache/swap.mp4', '/media/clip.mp4'],
]);

function page(src: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      '<!doctype html><html><head><meta charset="utf-8"><title>cache</title></head><body>' +
        `<video src="${src}" width="480" height="270" autoplay muted loop playsinline></video></body></html>`,
    );
  };
}

function clip(path: string) {
  return (_req: IncomingMessage, res: ServerResponse, serve: (file: string) => void) => {
    // The browser must ask again on every visit, so that a swap reaches the page.
    res.setHeader('cache-control', 'no-store');
    serve(serving.get(path)!);
  };
}

beforeAll(async () => {
  makeMedia({ quiet: true });
  const server = await startServer({
    routes: {
      '/cache/page.html': page('/cache/clip.mp4'),
      '/cache/swap.html': page('/cache/swap.mp4'),
      '/cache/clip.mp4': clip('/cache/clip.mp4'),
      '/cache/swap.mp4': clip('/cache/swap.mp4'),
    },
  });
  e2e = e2eOf(server, await launchBrowser());
}, 180_000);
afterAll(async () => {
  await e2e?.close();
});
afterEach(async () => {
  for (const p of e2e.context.pages()) if (p.url().startsWith('http')) await p.close();
});

/** Entries in the verdict cache's database, read in the background (0 while it does not exist). */
function cachedEntries(): Promise<number> {
  return e2e.worker.evaluate(async () => {
    // Opening a database that is not there would create it without its store: look first.
    if (!(await indexedDB.databases()).some((d) => d.name === 'provenance-lens-verdicts')) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('provenance-lens-verdicts');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('verdicts')) {
          db.close();
          resolve(0);
          return;
        }
        const count = db.transaction('verdicts').objectStore('verdicts').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
        count.onerror = () => reject(count.error);
      };
    });
  });
}

/** How many frame images the background keeps for a video of the tab (the frames it saw on this viewing). */
function storedFrames(tabId: number, videoId: string): Promise<number> {
  return e2e.worker.evaluate(
    async ([key]) => ((await chrome.storage.session.get(key!))[key!] as unknown[] | undefined)?.length ?? 0,
    [`frames:${tabId}:${videoId}`],
  );
}

/** Names of the extension's IndexedDB databases. */
function databaseNames(): Promise<string[]> {
  return e2e.worker.evaluate(async () => (await indexedDB.databases()).flatMap((d) => (d.name ? [d.name] : [])));
}

const settled = (v: VideoReport | undefined) => !!v && v.verdict !== 'pending' && v.framesAnalysed >= 8;

/** Opens the page and waits until its clip is judged in full and remembered. */
async function judgeInFull(path: string, entriesBefore: number) {
  const opened = await openPage(e2e, path);
  const r = await waitFor(e2e, opened.tabId, (res) => settled(res.videos[0]), 120_000);
  await expect.poll(cachedEntries, { timeout: 30_000 }).toBe(entriesBefore + 1);
  return { ...opened, judged: r.videos[0]! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('verdict cache', () => {
  it('restores the verdict after a reload from one matching frame, marked as from the cache', async () => {
    const { page, tabId, judged } = await judgeInFull('/cache/page.html', await cachedEntries());
    const fromDiscovery: number[] = [];
    const fromFirstFrame: number[] = [];
    let restored: VideoReport | null = null;
    for (let run = 0; run < 5; run++) {
      const reloadedAt = Date.now();
      await page.reload();
      // The reloaded document's video: a late message of the earlier document may leave its video beside it.
      const current = (res: TabResults) => res.videos.find((v) => v.firstSeenAt >= reloadedAt && v.fromCache);
      const r = await waitFor(e2e, tabId, (res) => current(res) !== undefined, 60_000);
      restored = current(r)!;
      const origin = restored.fromCache!;
      fromDiscovery.push(origin.restoredAt - restored.firstSeenAt);
      fromFirstFrame.push(origin.restoredMs);
      expect(restored.verdict).toBe(judged.verdict);
      expect(restored.score).toBe(judged.score);
      expect(restored.framesAnalysed).toBe(judged.framesAnalysed);
      expect(origin.judgedAt).toBeGreaterThanOrEqual(judged.firstSeenAt);
      expect(origin.judgedAt).toBeLessThan(restored.firstSeenAt);
    }
    // The page's later frames are still compared with the remembered ones, and the restored verdict stands.
    await expect.poll(() => storedFrames(tabId, restored!.id), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    const after = (await results(e2e, tabId))!.videos.find((v) => v.id === restored!.id)!;
    expect(after.fromCache).toBeDefined();
    expect(after.verdict).toBe(judged.verdict);

    console.log(
      `[verdict cache] restored after reload, ms from discovery (videoSeen): ${fromDiscovery.join(', ')}` +
        ` (median ${median(fromDiscovery)}); ms from first playing: ${fromFirstFrame.map((x) => Math.round(x)).join(', ')}` +
        ` (median ${Math.round(median(fromFirstFrame))})`,
    );

    // The detail page says the verdict was made earlier and why it still applies.
    const detail = await e2e.context.newPage();
    await detail.goto(
      `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(restored!.id)}`,
    );
    await expect
      .poll(() => detail.locator('.from-cache').textContent(), { timeout: 15_000 })
      .toMatch(/^Judged earlier on .+; this frame matches\.$/);
    await detail.close();
  }, 300_000);

  it('does not reuse a verdict when the server answers the same URL with other pixels', async () => {
    const entries = await cachedEntries();
    const { page, tabId } = await judgeInFull('/cache/swap.html', entries);
    // Second visit: same page, same clip URL, another clip's bytes.
    serving.set('/cache/swap.mp4', '/media/fractal.mp4');
    const reloadedAt = Date.now();
    await page.reload();
    const current = (res: TabResults) =>
      res.videos.find((v) => v.firstSeenAt >= reloadedAt && v.framesAnalysed >= 2 && v.verdict !== 'pending');
    const r = await waitFor(e2e, tabId, (res) => current(res) !== undefined, 120_000);
    const video = current(r)!;
    expect(video.fromCache).toBeUndefined();
    // Analysed afresh: the frame log is this visit's, and the remembered entry was there to be compared with.
    expect(video.frames.every((f) => f.analysedAt >= video.firstSeenAt)).toBe(true);
    expect(await cachedEntries()).toBe(entries + 1);
    expect((await results(e2e, tabId))!.videos.find((v) => v.id === video.id)!.fromCache).toBeUndefined();
  }, 300_000);

  it('"Clear all data" deletes the remembered verdicts; with the setting off nothing is remembered or reused', async () => {
    expect(await cachedEntries()).toBeGreaterThan(0);
    const options = await e2e.context.newPage();
    await options.goto(`chrome-extension://${e2e.extensionId}/options.html`);
    await options.getByRole('heading', { name: 'Sensitivity' }).waitFor();
    await options.getByRole('button', { name: 'Clear all data' }).click();
    await expect.poll(() => options.getByRole('status').last().textContent()).toMatch(/settings are kept/);
    expect(await databaseNames()).not.toContain('provenance-lens-verdicts');

    const remember = options.getByLabel('Remember verdicts for 7 days');
    expect(await remember.isChecked()).toBe(true);
    await remember.uncheck();
    await expect
      .poll(() => e2e.worker.evaluate(async () => (await chrome.storage.local.get('preferences')).preferences))
      .toMatchObject({ rememberVerdicts: false });

    const { page, tabId } = await openPage(e2e, '/cache/page.html');
    await waitFor(e2e, tabId, (res) => settled(res.videos[0]), 120_000);
    const reloadedAt = Date.now();
    await page.reload();
    const current = (res: TabResults) => res.videos.find((v) => v.firstSeenAt >= reloadedAt && v.framesAnalysed >= 2);
    const r = await waitFor(e2e, tabId, (res) => current(res) !== undefined, 120_000);
    expect(current(r)!.fromCache).toBeUndefined();
    expect(await databaseNames()).not.toContain('provenance-lens-verdicts');
    await remember.check();
    await options.close();
  }, 300_000);
});
