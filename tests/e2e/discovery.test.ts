import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allJudged, bySrc, type E2E, openPage, results, startE2E, waitFor } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('finding videos', () => {
  it('analyses a same-origin file from the page canvas', async () => {
    const { page, tabId, url } = await openPage(e2e, '/pages/same-origin.html');
    const r = await waitFor(e2e, tabId, allJudged(1));
    const v = r.videos[0]!;
    expect(r.url).toBe(url);
    expect(v.src).toBe(`${e2e.base}/media/clip.mp4`);
    expect(v.framePath).toBe('canvas');
    expect(v.framesAnalysed).toBeGreaterThanOrEqual(1);
    // No AI detector ships yet: the honest verdict is "uncertain" with no score.
    expect(v.verdict).toBe('uncertain');
    expect(v.score).toBeNull();
    expect(v.reasons[0]).toMatch(/No AI detector/);
    expect(v.signals).toContainEqual(expect.objectContaining({ kind: 'frame-quality', blankFrames: 0 }));
    expect(v.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    expect(typeof v.updatedAt).toBe('number');
    await page.close();
  });

  it('analyses a streamed MSE video by its blob: URL', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/mse.html');
    const r = await waitFor(e2e, tabId, allJudged(1));
    const v = r.videos[0]!;
    expect(v.src).toMatch(/^blob:/);
    expect(v.framePath).toBe('canvas');
    expect(v.verdict).toBe('uncertain');
    await page.close();
  });

  it('finds a video inserted after load', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/late.html');
    const early = await results(e2e, tabId);
    expect(early?.videos.length ?? 0).toBe(0);
    const r = await waitFor(e2e, tabId, allJudged(1));
    expect(r.videos[0]!.src).toMatch(/\/media\/clip\.mp4$/);
    await page.close();
  });

  it('finds videos in same- and cross-origin iframes', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/iframes.html');
    const r = await waitFor(e2e, tabId, allJudged(2));
    const same = bySrc(r, '/media/clip.mp4');
    const cross = bySrc(r, '/media/fractal.mp4');
    expect(same.frameId).not.toBe(0);
    expect(cross.frameId).not.toBe(0);
    expect(cross.src.startsWith(e2e.otherBase)).toBe(true);
    expect(same.framePath).toBe('canvas');
    expect(cross.framePath).toBe('canvas');
    expect([same.verdict, cross.verdict]).toEqual(['uncertain', 'uncertain']);
    await page.close();
  });

  it('finds videos inside open shadow roots, nested and added later', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/shadow.html');
    const r = await waitFor(e2e, tabId, allJudged(2));
    expect(bySrc(r, '/media/clip.mp4').framePath).toBe('canvas');
    expect(bySrc(r, '/media/fractal.mp4').framePath).toBe('canvas');
    await page.close();
  });

  it('skips videos too small, hidden or zero-size to be clips', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/skip.html');
    const r = await waitFor(e2e, tabId, allJudged(1));
    // Let the other videos load and play for a moment: they must stay unlisted.
    await page.waitForTimeout(1500);
    const later = await results(e2e, tabId);
    expect(later!.videos.map((v) => v.src)).toEqual([`${e2e.base}/media/clip.mp4`]);
    expect(r.videos[0]!.width).toBe(480);
    await page.close();
  });

  it('forgets removed videos and follows single-page navigation', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/spa.html');
    await waitFor(e2e, tabId, allJudged(1));
    await page.evaluate(() =>
      (window as unknown as { navigateTo: (p: string) => void }).navigateTo('/pages/spa-watch'),
    );
    const r = await waitFor(
      e2e,
      tabId,
      (res) =>
        res.videos.length === 1 && res.videos[0]!.src.endsWith('/media/fractal.mp4') && res.url.endsWith('/spa-watch'),
    );
    expect(r.url).toBe(`${e2e.base}/pages/spa-watch`);
    expect(r.videos[0]!.verdict).not.toBe('unavailable');
    await page.close();
  });

  it('starts a fresh list when the page reloads', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/same-origin.html');
    const first = await waitFor(e2e, tabId, allJudged(1));
    await page.reload();
    const second = await waitFor(e2e, tabId, (r) => allJudged(1)(r) && r.videos[0]!.id !== first.videos[0]!.id);
    expect(second.videos).toHaveLength(1);
    await page.close();
  });
});
