import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoReport } from '../../lib/core/report';
import { BadgeProbe } from './badge-probe';
import { type E2E, openPage, results, startE2E, waitFor } from './harness';

const ARTIFACTS = 'artifacts';
let e2e: E2E;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

function detailUrl(tabId: number, video: VideoReport): string {
  return `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(video.id)}`;
}

/** The stored frame images of a video, as the background keeps them. */
async function storedFrames(tabId: number, videoId: string): Promise<number> {
  return e2e.worker.evaluate(
    async ([key]) => ((await chrome.storage.session.get(key!))[key!] as unknown[] | undefined)?.length ?? 0,
    [`frames:${tabId}:${videoId}`],
  );
}

/** Whether a canvas has been drawn with more than one colour. */
function canvasHasPicture(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    if (canvas.width < 8 || canvas.height < 4) return false;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let min = 255;
    let max = 0;
    for (let i = 0; i < data.length; i += 4) {
      min = Math.min(min, data[i]!);
      max = Math.max(max, data[i]!);
    }
    return max - min > 40;
  });
}

describe('detail view', () => {
  it('opens from the badge menu: verdict and why, every signal, the watermark crop, frames and chart', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/watermark.html');
    const r = await waitFor(
      e2e,
      tabId,
      (res) =>
        (res.videos[0]?.signals.some((s) => s.kind === 'watermark') ?? false) &&
        (res.videos[0]?.signals.some((s) => s.kind === 'classifier') ?? false),
      60_000,
    );
    const video = r.videos[0]!;
    await expect.poll(() => storedFrames(tabId, video.id)).toBeGreaterThanOrEqual(4);

    const badges = await BadgeProbe.of(page);
    await badges.click('button.pill');
    await expect.poll(async () => (await badges.one()).buttons).toContain('Details');
    const [detail] = await Promise.all([e2e.context.waitForEvent('page'), badges.click('button.details')]);
    await detail.waitForLoadState('domcontentloaded');
    expect(detail.url()).toBe(detailUrl(tabId, video));

    const heading = detail.locator('#verdict-heading');
    await expect.poll(() => heading.textContent()).toMatch(/AI-generated/);
    // The reasons shown are the stored ones (later frames may still change them: compare live).
    await expect
      .poll(async () => {
        const stored = (await results(e2e, tabId))!.videos[0]!.reasons;
        const shown = await detail.locator('.verdict-card .reasons li').allTextContents();
        return JSON.stringify(shown) === JSON.stringify(stored) && shown.length > 0;
      })
      .toBe(true);

    // Watermark card: generator, text, frame count, and a crop drawn from a stored frame.
    const mark = detail.locator('.card.watermark');
    expect(await mark.locator('h3').textContent()).toBe('Visible watermark: Kling');
    expect(await mark.textContent()).toMatch(/Seen on\d+ frames/);
    await expect.poll(() => canvasHasPicture(detail, '.card.watermark canvas.crop')).toBe(true);
    expect(await mark.locator('canvas.crop').getAttribute('aria-label')).toMatch(/The Kling mark, cropped/);

    // Classifier card: thresholds, a score per frame, and the chart with a point per scored frame.
    const classifier = detail.locator('.card.classifier');
    expect(await classifier.textContent()).toMatch(/Likely AI from\d+%/);
    const strip = classifier.locator('.strip li');
    await expect.poll(() => strip.count()).toBeGreaterThanOrEqual(video.frames.length);
    const scores = await classifier.locator('.strip .score').allTextContents();
    expect(scores.filter((s) => /^frame \d+%$/.test(s)).length).toBeGreaterThanOrEqual(4);
    await expect.poll(() => classifier.locator('.strip img').count()).toBeGreaterThanOrEqual(4);
    const points = await classifier.locator('svg.chart circle.point').count();
    expect(points).toBe(scores.filter((s) => /^frame /.test(s)).length);
    expect(await classifier.locator('svg.chart .threshold').count()).toBe(2);

    // Where the models ran: the host's own probe in the offscreen document (headless Chromium here: one wasm
    // thread, and whatever GPU the browser offers it, said as not used).
    await expect
      .poll(() => detail.locator('.analysed-on').textContent())
      .toMatch(
        /^Models ran on this device's processor \(WebAssembly, 1 thread\)\. (This browser offers extensions no WebGPU|The browser offered no graphics adapter|The browser offered only a software graphics adapter|A graphics processor)/,
      );

    // What could not be checked: no site adapter knows the test server.
    expect(await detail.locator('.unchecked').textContent()).toMatch(/The platform’s own label: no site adapter/);

    await detail.screenshot({ path: `${ARTIFACTS}/detail-light.png`, fullPage: true });
    await detail.emulateMedia({ colorScheme: 'dark' });
    const bg = await detail.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(21, 21, 24)');
    await detail.screenshot({ path: `${ARTIFACTS}/detail-dark.png`, fullPage: true });
    await detail.close();
    await page.close();
  });

  it('opens from the popup’s row and follows the video live from "analysing" to its verdict', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/provenance.html');
    const first = await waitFor(e2e, tabId, (res) => res.videos.length > 0);
    const popup = await e2e.context.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${e2e.extensionId}/popup.html?tab=${tabId}`);
    const row = popup.locator(`li.video[data-video-id="${first.videos[0]!.id}"]`);
    const [detail] = await Promise.all([
      e2e.context.waitForEvent('page'),
      row.getByRole('button', { name: /Open full details/ }).click(),
    ]);
    await detail.waitForLoadState('domcontentloaded');
    expect(detail.url()).toBe(detailUrl(tabId, first.videos[0]!));
    const judged = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.every((v) => v.signals.some((s) => s.kind === 'provenance')),
      40_000,
    );
    const video = judged.videos.find((v) => v.id === first.videos[0]!.id)!;
    // The page updated by itself from storage change events.
    await expect.poll(() => detail.locator('.card.provenance').count()).toBeGreaterThanOrEqual(1);
    const card = detail.locator('.card.provenance').first();
    const provenance = video.signals.find((s) => s.kind === 'provenance')!;
    if (provenance.kind === 'provenance' && provenance.signer) {
      expect(await card.textContent()).toContain(provenance.signer);
    }
    // The Sora clip's card: who signed, what made it, what was done to it, the signature and the hash.
    const sora = judged.videos.find((v) => v.src.endsWith('/c2pa/ai-sora.mp4'))!;
    await detail.goto(detailUrl(tabId, sora));
    const soraCard = detail.locator('.card.provenance').first();
    await soraCard.waitFor();
    const soraText = await soraCard.textContent();
    expect(soraText).toMatch(/Who signed.*C2PA Test Signing Cert/);
    expect(soraText).toMatch(/What made itOpenAI Sora/);
    expect(soraText).toMatch(/What it says it ismade by generative AI/);
    expect(soraText).toMatch(/What was done to itCreated/);
    expect(soraText).toMatch(/SignatureValid, but the signer is not in your trust list/);
    expect(soraText).toMatch(/HashMatched the signed hash/);
    // The asset rubric's signals, in words, with the rubric's version.
    expect(soraText).toMatch(
      /What the C2PA asset rubric reads in itRead with the C2PA asset rubric, local signals 1\.0 \(2026-08-06\)\./,
    );
    expect(await soraCard.locator('li[data-signal]').allTextContents()).toEqual([
      'Made entirely by generative AI (fullyGenAIMedia)',
    ]);
    await detail.screenshot({ path: `${ARTIFACTS}/detail-provenance.png`, fullPage: true });
    await popup.screenshot({ path: `${ARTIFACTS}/popup.png` });
    await popup.close();
    await detail.close();
    await page.close();
  });
});
