import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabResults } from '../../lib/core/report';
import { launchBrowser, readTabResults, tabIdOf } from '../../scripts/lib/browser.mjs';
import { startServer } from '../../scripts/lib/server.mjs';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { makeMedia } from '../../scripts/make-media.mjs';
import { type CapturedRequest, freePort, NetworkCapture } from './network-capture';

/**
 * The network audit: with default settings, browsing the demo feed, no
 * extension context (service worker, offscreen document, its workers, the
 * extension's pages) asks the network for anything but the media files the
 * page itself loaded. Those it may read again: Content Credentials live in
 * the file's bytes, and a cross-origin video whose pixels the page cannot
 * hand over is read from its file. Nothing goes to any other host, and the
 * page's own requests are the same with and without the extension.
 */

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server;
let extension: { browser: Browser; capture: NetworkCapture; extensionId: string } | null = null;

/** The demo feed's clips that need nothing from ../shared (the demo adds those when present). */
function demoClips(otherBase: string) {
  return [
    { title: 'Test pattern (file)', note: 'generated', src: '/media/clip.mp4' },
    { title: 'Fractal zoom (file)', note: 'generated', src: '/media/fractal.mp4' },
    { title: 'Portrait clip (file)', note: 'generated', src: '/media/portrait.mp4' },
    { title: 'Streamed (MSE, blob:)', note: 'generated', src: '/media/fragmented.mp4', stream: true },
    { title: 'Cross-origin, no CORS', note: 'generated', src: `${otherBase}/media/clip.mp4` },
    { title: 'Black clip', note: 'generated', src: '/media/black.mp4' },
    { title: 'Signed: AI-generated', note: 'generated', src: '/media/c2pa/ai-sora.mp4' },
    { title: 'Signed: camera capture', note: 'generated', src: '/media/c2pa/camera.mp4' },
    { title: 'Signed, then altered', note: 'generated', src: '/media/c2pa/tampered.mp4' },
  ];
}
const CLIP_COUNT = 9;

/** Schemes that never reach the network. */
const LOCAL = /^(chrome-extension|data|blob|about|chrome):/;

function isHttp(r: CapturedRequest): boolean {
  return !LOCAL.test(r.url);
}

/** Scrolls through the feed as a reader would, until `done` holds or the time is up. */
async function browseFeed(page: Page, done: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (let y = 0; Date.now() < deadline; y += 300) {
    await page.evaluate((top) => window.scrollTo({ top }), y % 2400);
    await page.waitForTimeout(700);
    if (await done()) return;
  }
}

/** Requests of the page's own documents (tabs), network only, as "METHOD url". */
function pageRequests(requests: CapturedRequest[], pageUrl: string): Set<string> {
  return new Set(
    requests
      .filter((r) => r.targetType === 'page' && r.targetUrl === pageUrl && isHttp(r))
      .map((r) => `${r.method} ${r.url}`),
  );
}

/**
 * What the audit forbids: a network request from an extension context other than a GET of a URL the page
 * itself requested, and any request, from anywhere, to a host other than the test server's.
 */
function violations(
  requests: CapturedRequest[],
  extensionOrigin: string,
  pageUrl: string,
  allowedHosts: string[],
): string[] {
  const pageLoaded = new Set(
    requests.filter((r) => r.targetType === 'page' && r.targetUrl === pageUrl && isHttp(r)).map((r) => r.url),
  );
  const found: string[] = [];
  for (const r of requests) {
    if (!isHttp(r)) continue;
    const where = `${r.targetType} ${r.targetUrl}`;
    if (!allowedHosts.includes(new URL(r.url).host)) found.push(`other host: ${r.method} ${r.url} from ${where}`);
    const fromExtension = r.targetUrl.startsWith(extensionOrigin);
    if (fromExtension && !(r.method === 'GET' && pageLoaded.has(r.url))) {
      found.push(`extension request: ${r.method} ${r.url} from ${where}`);
    }
  }
  return found;
}

async function launchWatched(withExtension: boolean) {
  const port = await freePort();
  const browser = await launchBrowser({ withExtension, extraArgs: [`--remote-debugging-port=${port}`] });
  const capture = await NetworkCapture.start(port);
  return { browser, capture };
}

beforeAll(async () => {
  makeMedia({ quiet: true });
  await makeC2paFixtures();
  server = await startServer();
  const port = server.port;
  await server.close();
  server = await startServer({ port, json: { '/demo/clips.json': demoClips(server.otherBase) } });
}, 120_000);

afterAll(async () => {
  extension?.capture.close();
  await extension?.browser.close();
  await server?.close();
});

describe('network audit', () => {
  it('with default settings, the demo feed costs no request from the extension but re-reading its own media', async () => {
    const url = `${server.base}/demo/index.html`;
    const hosts = [new URL(server.base).host, new URL(server.otherBase).host];

    // The same feed without the extension: what the page asks for by itself.
    const baseline = await launchWatched(false);
    const plain = await baseline.browser.context.newPage();
    await plain.goto(url);
    await browseFeed(plain, async () => false, 9000);
    const baselinePage = pageRequests(baseline.capture.requests, url);
    baseline.capture.close();
    await baseline.browser.close();
    expect(baselinePage.size).toBeGreaterThanOrEqual(CLIP_COUNT);

    const { browser, capture } = await launchWatched(true);
    extension = { browser, capture, extensionId: browser.extensionId! };
    const page = await browser.context.newPage();
    await page.goto(url);
    const tabId = await tabIdOf(browser.worker, url);
    let last: TabResults | null = null;
    await browseFeed(
      page,
      async () => {
        last = (await readTabResults(browser.worker, tabId)) as TabResults | null;
        return last?.videos.length === CLIP_COUNT && last.videos.every((v) => v.verdict !== 'pending');
      },
      60_000,
    );
    const judged = last as TabResults | null;
    expect(judged?.videos.filter((v) => v.verdict !== 'pending')).toHaveLength(CLIP_COUNT);
    // The extension's own pages are extension contexts too: open the popup and the options page.
    for (const path of [`popup.html?tab=${tabId}`, 'options.html']) {
      const own = await browser.context.newPage();
      await own.goto(`chrome-extension://${browser.extensionId}/${path}`);
      await own.waitForTimeout(1000);
      await own.close();
    }
    // Late work (provenance, watermarks) settles before the log is read.
    await page.waitForTimeout(2000);

    const origin = `chrome-extension://${extension.extensionId}/`;
    const requests = capture.requests;
    // The capture watched every kind of extension context the pipeline uses.
    const contexts = new Set(capture.targets.filter((t) => t.url.startsWith(origin)).map((t) => t.type));
    expect(contexts).toContain('service_worker');
    expect(capture.targets.some((t) => t.url.startsWith(`${origin}offscreen.html`))).toBe(true);
    expect(capture.targets.some((t) => t.url.startsWith(`${origin}popup.html`))).toBe(true);
    expect(capture.targets.some((t) => t.url.startsWith(`${origin}options.html`))).toBe(true);
    expect(contexts).toContain('worker');

    expect(violations(requests, origin, url, hosts)).toEqual([]);
    // The extension did read media again (credentials, cross-origin frames): the capture sees its requests.
    const reReads = requests.filter((r) => r.targetUrl.startsWith(origin) && isHttp(r));
    expect(reReads.length).toBeGreaterThan(0);
    expect(new Set(reReads.map((r) => new URL(r.url).pathname.split('/')[1]))).toEqual(new Set(['media']));
    console.info(
      `network audit: ${requests.length} requests from ${capture.targets.length} targets ` +
        `(${[...new Set(capture.targets.map((t) => t.type))].join(', ')}); extension re-reads of page media: ` +
        `${reReads.length} (${[...new Set(reReads.map((r) => `${r.targetType} ${new URL(r.url).pathname}`))].join('; ')})`,
    );

    // The page asked for exactly what it asks for without the extension.
    expect([...pageRequests(requests, url)].sort()).toEqual([...baselinePage].sort());
    await page.close();
  });

  it('fails when an extension context asks the network for anything else (the capture sees it)', async () => {
    expect(extension, 'the first test leaves the extension browser running').not.toBeNull();
    const { browser, capture, extensionId } = extension!;
    const url = `${server.base}/demo/index.html`;
    const origin = `chrome-extension://${extensionId}/`;
    const hosts = [new URL(server.base).host, new URL(server.otherBase).host];
    const before = capture.requests.length;

    // Planted on purpose: the service worker fetches a file the page never loaded, and the offscreen
    // document posts to a host that is not the test server's.
    await browser.worker!.evaluate((u) => fetch(u).then((r) => r.status), `${server.otherBase}/media/small.mp4`);
    const evaluated = await capture.evaluateIn(
      /\/offscreen\.html/,
      `fetch('http://audit-probe.invalid/collect', { method: 'POST', body: 'x' }).catch(() => 0)`,
    );
    expect(evaluated).toBeGreaterThan(0);
    await expect
      .poll(() => violations(capture.requests.slice(before), origin, url, hosts).length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(3);
    const found = violations(capture.requests, origin, url, hosts);
    expect(found).toContainEqual(
      expect.stringMatching(/^extension request: GET .*\/media\/small\.mp4 from service_worker/),
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^other host: POST http:\/\/audit-probe\.invalid\/collect from \w+ .*\/offscreen\.html$/),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^extension request: POST http:\/\/audit-probe\.invalid\/collect from \w+ .*\/offscreen\.html$/,
      ),
    );
  });
});
