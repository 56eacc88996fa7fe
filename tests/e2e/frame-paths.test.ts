import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allJudged, bySrc, type E2E, openPage, startE2E, waitFor } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('reading frames the page canvas cannot give', () => {
  it('crops a tab screenshot for a cross-origin video without CORS in the top frame', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/cross-origin.html');
    const r = await waitFor(e2e, tabId, allJudged(1));
    const v = r.videos[0]!;
    expect(v.src).toBe(`${e2e.otherBase}/media/clip.mp4`);
    expect(v.framePath).toBe('tab-capture');
    expect(v.frames[0]!.framePath).toBe('tab-capture');
    // The crop holds the test pattern, not a blank area or the wrong part of the page.
    expect(v.frames.some((f) => !f.blank)).toBe(true);
    expect(v.verdict).toBe('uncertain');
    // The badge was hidden for the screenshot and is back afterwards.
    await expect
      .poll(() => page.locator('provenance-lens-badge').evaluate((h) => getComputedStyle(h).display))
      .toBe('block');
    await page.close();
  });

  it('still reads same-origin videos from the canvas next to a cross-origin one', async () => {
    // Regression: a canvas tainted by one video must never taint the frames of another.
    const { page, tabId } = await openPage(e2e, '/pages/mixed.html');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => allJudged(2)(res) && res.videos.every((v) => v.framesAnalysed >= 2),
      30_000,
    );
    expect(bySrc(r, '/media/fractal.mp4').frames.every((f) => f.framePath === 'canvas')).toBe(true);
    expect(bySrc(r, `127.0.0.1:${new URL(e2e.base).port}/media/clip.mp4`).framePath).toBe('tab-capture');
    await page.close();
  });

  it('keeps screenshots within two per second per window', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/cross-origin.html');
    const r = await waitFor(e2e, tabId, (res) => (res.videos[0]?.frames.length ?? 0) >= 3, 30_000);
    const times = r.videos[0]!.frames.map((f) => f.analysedAt).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(450);
    await page.close();
  });

  it('fetches the file in the analysis host for a cross-origin video inside a cross-origin frame', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/cross-origin-iframe.html');
    const r = await waitFor(e2e, tabId, allJudged(1));
    const v = bySrc(r, '/media/portrait.mp4');
    expect(v.frameId).not.toBe(0);
    expect(v.framePath).toBe('offscreen-fetch');
    expect(v.frames.every((f) => !f.blank)).toBe(true);
    expect(v.verdict).toBe('uncertain');
    // The extension fetched it without the page's credentials, from its own origin.
    // Besides the page's own media request, the extension fetched the file itself
    // (a plain fetch, not initiated by any site, and without cookies).
    const fetches = e2e.requests.filter((q) => q.path === '/media/portrait.mp4' && q.fetchDest === 'empty');
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((q) => q.fetchSite === 'none' && q.cookie === null)).toBe(true);
    await page.close();
  });
});

describe('videos that cannot be judged', () => {
  it('says "unavailable" for a DRM-protected player and takes no frame', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/drm.html');
    await page.waitForFunction(() => document.body.dataset.mediaKeys === 'set');
    const r = await waitFor(e2e, tabId, (res) => res.videos[0]?.verdict === 'unavailable');
    const v = r.videos[0]!;
    expect(v.reasons[0]).toMatch(/protected \(DRM\)/);
    expect(v.signals).toContainEqual(expect.objectContaining({ kind: 'unavailable', reason: 'drm' }));
    expect(v.score).toBeNull();
    await page.close();
  });

  it('says "unavailable" for a clip that is black throughout', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/black.html');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos[0]?.verdict === 'unavailable' && res.videos[0].framesAnalysed >= 2,
    );
    const v = r.videos[0]!;
    expect(v.frames.every((f) => f.blank)).toBe(true);
    expect(v.reasons[0]).toMatch(/black or blank/);
    expect(v.score).toBeNull();
    await page.close();
  });

  it('says "unavailable" with the reason for videos that never load or fail to decode', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/never-loads.html');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.length === 2 && res.videos.every((v) => v.verdict === 'unavailable'),
      25_000,
    );
    expect(bySrc(r, '/hang/clip.mp4').reasons[0]).toMatch(/did not load/);
    expect(bySrc(r, '/broken.mp4').reasons[0]).toMatch(/failed to load/);
    for (const v of r.videos) expect(v.framesAnalysed).toBe(0);
    await page.close();
  });
});
