import type { BrowserContext, Page, Worker } from 'playwright-core';
import type { TabResults, VideoReport } from '../../lib/core/report';
// The harness is shared with the demo and benchmark scripts, which are plain Node ESM.
import { launchBrowser, readTabResults, tabIdOf, waitForResults } from '../../scripts/lib/browser.mjs';
import { makeMedia } from '../../scripts/make-media.mjs';
import { makeTestTls, startServer } from '../../scripts/lib/server.mjs';

/** A site fixture page and the media put into its players. */
export interface SitePage {
  file: string;
  media: string;
}

/** A running server and a Chromium with the built extension. */
export interface E2E {
  base: string;
  otherBase: string;
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  requests: Array<{
    path: string;
    host?: string;
    origin: string | null;
    fetchSite: string | null;
    fetchDest: string | null;
    cookie: string | null;
    range: string | null;
    at: number;
    abortedAt: number | null;
  }>;
  close: () => Promise<void>;
}

/** Starts the media server and the browser; call `close()` in afterAll. */
export async function startE2E(
  options: { sites?: Record<string, Record<string, SitePage>>; locale?: string } = {},
): Promise<E2E> {
  makeMedia({ quiet: true });
  const server = await startServer();
  // Site fixtures are served over HTTPS under their real host names, which the browser maps here.
  const siteServer = options.sites ? await startServer({ sites: options.sites, tls: makeTestTls() }) : null;
  const hostRules = Object.keys(options.sites ?? {}).map((host) => `MAP ${host} 127.0.0.1:${siteServer!.port}`);
  const browser = await launchBrowser({ hostRules, locale: options.locale });
  return e2eOf(server, browser, () => siteServer?.close());
}

type Server = Awaited<ReturnType<typeof startServer>>;
type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/**
 * The {@link E2E} handle of a server and a browser a test file started itself (its own routes or host rules);
 * `close()` runs `alsoClose` first, then closes the browser and the server.
 */
export function e2eOf(server: Server, browser: Browser, alsoClose?: () => unknown): E2E {
  return {
    base: server.base,
    otherBase: server.otherBase,
    context: browser.context,
    worker: browser.worker!,
    extensionId: browser.extensionId!,
    requests: server.requests,
    async close() {
      await alsoClose?.();
      await browser.close();
      await server.close();
    },
  };
}

/** Opens a page (a path on the test server, or a full URL) and returns it with its tab id. */
export async function openPage(e2e: E2E, path: string): Promise<{ page: Page; tabId: number; url: string }> {
  const page = await e2e.context.newPage();
  const url = /^https?:/.test(path) ? path : `${e2e.base}${path}`;
  await page.goto(url);
  let tabId: number | null = null;
  for (let i = 0; i < 50 && tabId === null; i++) {
    tabId = await tabIdOf(e2e.worker, page.url());
    if (tabId === null) await page.waitForTimeout(50);
  }
  if (tabId === null) throw new Error(`no tab found for ${url}`);
  return { page, tabId, url };
}

/** Waits until the tab's results satisfy `predicate`. */
export function waitFor(
  e2e: E2E,
  tabId: number,
  predicate: (r: TabResults) => boolean,
  timeout = 20_000,
): Promise<TabResults> {
  return waitForResults(e2e.worker, tabId, predicate, { timeout }) as Promise<TabResults>;
}

/** Reads the tab's results once. */
export function results(e2e: E2E, tabId: number): Promise<TabResults | null> {
  return readTabResults(e2e.worker, tabId) as Promise<TabResults | null>;
}

/** True once every listed video has a verdict other than `pending`. */
export function allJudged(count: number) {
  return (r: TabResults) => r.videos.length === count && r.videos.every((v: VideoReport) => v.verdict !== 'pending');
}

/** The video whose source ends with `suffix`. */
export function bySrc(r: TabResults, suffix: string): VideoReport {
  const v = r.videos.find((video) => video.src.endsWith(suffix));
  if (!v) throw new Error(`no video with src ending ${suffix} in ${JSON.stringify(r.videos.map((x) => x.src))}`);
  return v;
}
