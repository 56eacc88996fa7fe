import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadgeProbe } from './badge-probe';
import { allJudged, type E2E, openPage, startE2E, waitFor } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

type Rect = { x: number; y: number; width: number; height: number };

function rectOf(page: Page, selector: string): Promise<Rect> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

async function openPopup(tabId: number): Promise<Page> {
  const popup = await e2e.context.newPage();
  await popup.goto(`chrome-extension://${e2e.extensionId}/popup.html?tab=${tabId}`);
  return popup;
}

describe('badge', () => {
  it('sits in the video’s top-left corner, states the verdict, and follows scrolling', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html');
    await waitFor(e2e, tabId, allJudged(1));
    const badges = await BadgeProbe.of(page);
    await expect.poll(async () => (await badges.one()).label).toMatch(/^Provenance Lens: Uncertain\. Show why\.$/);
    const video = await rectOf(page, '#v');
    const badge = await rectOf(page, 'provenance-lens-badge');
    expect(badge.x - video.x).toBeGreaterThanOrEqual(4);
    expect(badge.x - video.x).toBeLessThanOrEqual(12);
    expect(badge.y - video.y).toBeGreaterThanOrEqual(4);
    expect(badge.y - video.y).toBeLessThanOrEqual(12);
    // A page header at z-index 2147483647 does not bury it: the badge is what a click there hits.
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.localName,
      [badge.x + 5, badge.y + 5],
    );
    expect(hit).toBe('provenance-lens-badge');

    await page.mouse.wheel(0, 60);
    await expect
      .poll(async () => {
        const [v, b] = [await rectOf(page, '#v'), await rectOf(page, 'provenance-lens-badge')];
        return Math.round(b.y - v.y);
      })
      .toBe(8);
    await page.close();
  });

  it('never covers the site’s controls and keeps its own clicks from the page', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html');
    await waitFor(e2e, tabId, allJudged(1));
    const badge = await rectOf(page, 'provenance-lens-badge');
    const controls = await rectOf(page, '.controls');
    expect(badge.y + badge.height).toBeLessThan(controls.y);
    // The site's own play button still works.
    await page.click('#play');
    expect(await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).paused)).toBe(true);
    // Clicking the badge does not reach the page's listeners (it would toggle a real player).
    const before = await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks.length);
    const badges = await BadgeProbe.of(page);
    await badges.click('button.pill');
    await expect.poll(async () => (await badges.one()).expanded).toBe(true);
    const after = await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks.length);
    expect(after).toBe(before);
    await page.close();
  });

  it('opens its reasons from the keyboard, closes on Escape, and can be hidden', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html');
    await waitFor(e2e, tabId, allJudged(1));
    const badges = await BadgeProbe.of(page);
    await badges.focus('button.pill');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await badges.one()).expanded).toBe(true);
    // The verdict reaches the badge in a message of its own, after the stored results.
    await expect.poll(async () => (await badges.one()).panel?.reasons[0]).toMatch(/No AI detector/);
    const { panel } = await badges.one();
    expect(panel?.role).toBe('region');
    expect(panel?.text).toMatch(/read from the page/);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await badges.one()).expanded).toBe(false);
    expect((await badges.one()).panel).toBeNull();

    await page.keyboard.press('Enter');
    await expect.poll(async () => (await badges.one()).expanded).toBe(true);
    await badges.click('button.hide');
    await expect
      .poll(() => page.locator('provenance-lens-badge').evaluate((h) => getComputedStyle(h).display))
      .toBe('none');
    await page.close();
  });

  it('stays on top of the player, clickable, in fullscreen', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html');
    await waitFor(e2e, tabId, allJudged(1));
    await page.click('#fs');
    await page.waitForFunction(() => document.fullscreenElement?.id === 'player');
    // 1280×800 screen, 16:9 picture: letterboxed 40 px from the top; the badge sits on the picture.
    await expect
      .poll(async () => {
        const b = await rectOf(page, 'provenance-lens-badge');
        return [Math.round(b.x), Math.round(b.y)];
      })
      .toEqual([8, 48]);
    const badge = await rectOf(page, 'provenance-lens-badge');
    const clicksBefore = await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks.length);
    await page.mouse.click(badge.x + 10, badge.y + badge.height / 2);
    const badges = await BadgeProbe.of(page);
    await expect.poll(async () => (await badges.one()).expanded).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks.length)).toBe(clicksBefore);
    await page.close();
  });
});

describe('popup', () => {
  it('lists the tab’s videos with thumbnail, verdict and top reason', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/iframes.html');
    await waitFor(e2e, tabId, allJudged(2));
    const popup = await openPopup(tabId);
    const rows = popup.locator('li.video');
    await expect.poll(() => rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      expect(await row.locator('.verdict').textContent()).toMatch(/Uncertain/);
      expect(await row.locator('.reason').textContent()).toMatch(/No AI detector/);
      expect(await row.locator('img.thumb').getAttribute('src')).toMatch(/^data:image\/jpeg/);
      expect(await row.locator('.meta').textContent()).toMatch(/via page canvas/);
    }
    expect(await popup.locator('.count').textContent()).toBe('2 videos on this page');
    await popup.close();
    await page.close();
  });

  it('shows "not analysed yet" for a video that has not been on screen', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/below-fold.html');
    await waitFor(e2e, tabId, (r) => r.videos.length === 1);
    const popup = await openPopup(tabId);
    await expect.poll(() => popup.locator('li.video .verdict').textContent()).toMatch(/Not analysed yet/);
    // Scrolling it into view gets it analysed, and the open popup updates by itself.
    await page.bringToFront();
    await page.locator('#v').scrollIntoViewIfNeeded();
    await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).play());
    await waitFor(e2e, tabId, allJudged(1));
    await expect.poll(() => popup.locator('li.video .verdict').textContent()).toMatch(/Uncertain/);
    await popup.close();
    await page.close();
  });

  it('has an empty state for a page without videos', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/empty.html');
    const popup = await openPopup(tabId);
    await expect.poll(() => popup.locator('.empty-state').textContent()).toMatch(/No videos found/);
    await popup.close();
    await page.close();
  });
});
