import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateBundle, type ReportBundle } from '../../lib/reporting/schema';
import { makeTestTls } from '../../scripts/lib/server.mjs';
import { type Receiver, startReceiver } from '../../tools/report-receiver/receiver';
import { BadgeProbe } from './badge-probe';
import { type E2E, openPage, startE2E, waitFor } from './harness';

const FIXTURES = 'tests/unit/adapters/fixtures';
const ARTIFACTS = 'artifacts';
const WATCH = 'https://www.youtube.com/watch?v=aBcDeFgHiJ0';
let e2e: E2E;
let receiver: Receiver;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  e2e = await startE2E({
    sites: {
      'www.youtube.com': { '/watch': { file: `${FIXTURES}/youtube-watch-labelled.html`, media: '/media/clip.mp4' } },
    },
  });
  // The receiver speaks HTTPS like any endpoint the extension accepts; the test browser ignores certificate errors.
  // It makes its own bearer token and answers CORS to this extension only.
  receiver = await startReceiver({
    tls: makeTestTls(),
    failFirst: 1,
    allowedOrigins: [`chrome-extension://${e2e.extensionId}`],
  });
});
afterAll(async () => {
  await receiver?.close();
  await e2e?.close();
});

async function zipOf(download: Download): Promise<Record<string, Uint8Array>> {
  const path = await download.path();
  return unzipSync(new Uint8Array(readFileSync(path)));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function historyPage(): Promise<Page> {
  const page = await e2e.context.newPage();
  await page.goto(`chrome-extension://${e2e.extensionId}/detail.html?view=history`);
  return page;
}

describe('report a suspected deepfake', () => {
  it('files a report from the badge, keeps, exports, sends it and opens the platform’s report flow', async () => {
    const { page, tabId } = await openPage(e2e, WATCH);
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.some((v) => v.platform !== null && v.verdict === 'ai' && v.framesAnalysed >= 2),
      30_000,
    );
    // The post with YouTube's own label; the page has another, unlabelled player too.
    const video = r.videos.find((v) => v.platform && v.verdict === 'ai')!;
    const badges = await BadgeProbe.of(page);
    await expect
      .poll(() =>
        e2e.worker.evaluate(
          async ([key]) => ((await chrome.storage.session.get(key!))[key!] as unknown[] | undefined)?.length ?? 0,
          [`frames:${tabId}:${video.id}`],
        ),
      )
      .toBeGreaterThanOrEqual(2);

    // Badge menu → Report opens the detail page with the form.
    // The badge drawn as AI (its index among the page's badges).
    let ai = -1;
    await expect
      .poll(async () => (ai = (await badges.all()).findIndex((b) => b.verdict === 'ai')))
      .toBeGreaterThanOrEqual(0);
    await badges.click('button.pill', ai);
    await expect.poll(async () => (await badges.one(ai)).buttons).toContain('Report');
    const [detail] = await Promise.all([e2e.context.waitForEvent('page'), badges.click('button.report', ai)]);
    await detail.waitForLoadState('domcontentloaded');
    expect(detail.url()).toContain(`detail.html?tab=${tabId}&video=${encodeURIComponent(video.id)}&view=report`);
    const form = detail.locator('.report-form');
    await form.getByRole('button', { name: 'Create report' }).click();
    expect(await form.getByRole('alert').textContent()).toBe('Choose what is wrong with the video.');
    await form.getByLabel('Impersonates a real person').check();
    await form.getByLabel('Notes (optional)').fill('Pretends to be a news anchor.');
    expect(await form.getByRole('checkbox').isChecked()).toBe(true);
    await detail.screenshot({ path: `${ARTIFACTS}/report-form.png`, fullPage: true });
    await form.getByRole('button', { name: 'Create report' }).click();
    const status = detail.getByRole('status');
    await expect.poll(() => status.textContent()).toMatch(/Report ready with \d+ frames?\. Nothing has been kept/);
    // Nothing was kept by creating it.
    expect(await detail.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain(
      'provenance-lens-reports',
    );

    await detail.getByRole('button', { name: 'Keep in history' }).click();
    await expect.poll(() => status.textContent()).toBe('Kept in your report history.');

    // Download the .zip: manifest valid, frames hashed as listed.
    const [download] = await Promise.all([
      detail.waitForEvent('download'),
      detail.getByRole('button', { name: 'Download .zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^provenance-lens-report-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.zip$/);
    const files = await zipOf(download);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as ReportBundle;
    expect(validateBundle(manifest)).toEqual([]);
    expect(manifest).toMatchObject({
      reason: 'impersonation',
      notes: 'Pretends to be a news anchor.',
      page: { url: WATCH },
      video: { src: video.src, platform: video.platform },
      verdict: { level: video.verdict },
    });
    expect(manifest.page.title.length).toBeGreaterThan(0);
    expect(manifest.mediaTimes.length).toBeGreaterThanOrEqual(2);
    expect(manifest.signals.map((s) => s.kind)).toContain('platform-label');
    expect(manifest.frames.length).toBeGreaterThanOrEqual(2);
    for (const frame of manifest.frames) {
      const bytes = files[frame.file]!;
      expect(bytes[0]).toBe(0xff);
      expect(sha256(bytes)).toBe(frame.sha256);
      expect(bytes.length).toBe(frame.bytes);
    }
    await detail.screenshot({ path: `${ARTIFACTS}/report-ready.png`, fullPage: true });

    // Send to the reference receiver: it refuses the first try with 503; the sender tries again.
    await detail.getByLabel('Your reporting endpoint').fill(receiver.url);
    await detail.getByLabel('Endpoint token (optional)').fill(receiver.token);
    await detail.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toMatch(/^Sent to https:\/\/127\.0\.0\.1:\d+ \(answer 201, 2 tries\)\.$/);
    // The endpoint and token are kept where content scripts cannot reach: not in storage.local.
    expect(Object.keys(await e2e.worker.evaluate(() => chrome.storage.local.get(null)))).not.toContain(
      'reportEndpoint',
    );
    expect(receiver.received.map((x) => x.bundle.id)).toEqual([manifest.id]);
    expect(receiver.received[0]!.origin).toBe(`chrome-extension://${e2e.extensionId}`);
    expect(receiver.log.map((l) => l.status).filter((s) => s !== 204)).toEqual([503, 201]);
    expect(receiver.received[0]!.bundle.frames.map((f) => f.sha256)).toEqual(manifest.frames.map((f) => f.sha256));

    // The platform's own report flow: the post opens, the summary is on the clipboard.
    // Read the clipboard back from the opened post's page (an origin that can be granted clipboard access).
    await e2e.context.grantPermissions(['clipboard-read'], { origin: 'https://www.youtube.com' });
    await detail.bringToFront();
    const [platformPage] = await Promise.all([
      e2e.context.waitForEvent('page'),
      detail.getByRole('button', { name: 'Report on YouTube' }).click(),
    ]);
    await platformPage.waitForLoadState('domcontentloaded');
    expect(platformPage.url()).toBe(video.platform!.reportUrl);
    expect(await platformPage.locator('video').count()).toBeGreaterThan(0);
    await expect
      .poll(() => status.textContent())
      .toMatch(/^Opened YouTube\. A summary of the report is on your clipboard/);
    await platformPage.bringToFront();
    const clip = await platformPage.evaluate(() => navigator.clipboard.readText());
    expect(clip).toContain('Reported as: Impersonates a real person.');
    expect(clip).toContain(`Page: ${WATCH}`);
    await platformPage.close();

    // The history lists it with every place it went, exports all and deletes.
    const history = await historyPage();
    const item = history.locator(`li.history-item[data-report-id="${manifest.id}"]`);
    await expect
      .poll(() => item.locator('.destinations li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))
      .toEqual(['kept', 'exported', 'endpoint', 'platform']);
    expect(await item.locator('.destinations').textContent()).toMatch(
      /Sent to https:\/\/127\.0\.0\.1:\d+\/reports \(answer 201/,
    );
    await item.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => item.locator('.strip img').count()).toBe(manifest.frames.length);
    const [all] = await Promise.all([
      history.waitForEvent('download'),
      history.getByRole('button', { name: /Export all \(1\) as \.zip/ }).click(),
    ]);
    const allFiles = await zipOf(all);
    const index = JSON.parse(strFromU8(allFiles['manifest.json']!));
    expect(index.reports.map((x: { id: string }) => x.id)).toEqual([manifest.id]);
    expect(sha256(allFiles[`${manifest.id}/${manifest.frames[0]!.file}`]!)).toBe(manifest.frames[0]!.sha256);
    await history.screenshot({ path: `${ARTIFACTS}/report-history.png`, fullPage: true });
    await item.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => history.locator('li.history-item').count()).toBe(0);
    await history.close();
    await detail.close();
    await page.close();
  });

  it('never sends to a plain-http endpoint', async () => {
    const { page, tabId } = await openPage(e2e, WATCH);
    const r = await waitFor(e2e, tabId, (res) => res.videos.some((v) => v.platform !== null && v.framesAnalysed >= 1));
    const video = r.videos.find((v) => v.platform)!;
    const detail = await e2e.context.newPage();
    await detail.goto(
      `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(video.id)}&view=report`,
    );
    await detail.getByLabel('Scam or fraud').check();
    await detail.getByRole('button', { name: 'Create report' }).click();
    const before = receiver.log.length;
    await detail.getByLabel('Your reporting endpoint').fill(receiver.url.replace('https:', 'http:'));
    await detail.getByRole('button', { name: 'Send' }).click();
    expect(await detail.getByRole('alert').textContent()).toBe('The endpoint must start with https://.');
    expect(receiver.log.length).toBe(before);
    await detail.close();
    await page.close();
  });
});
