import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_VIDEO_MENU_ID } from '../../lib/background/check-video-menu';
import type { CheckVideoOutcome } from '../../lib/messaging/protocol';
import { BadgeProbe } from './badge-probe';
import { type E2E, openPage, results, startE2E, waitFor } from './harness';

/**
 * "Check this video" in real Chromium. Playwright cannot choose an item of the browser's own context menu, so
 * the test right-clicks the video for real (a trusted `contextmenu` event) and then sends the frame the message
 * the background's menu handler sends (`handleCheckVideoClick`, unit-tested with fakes), from the service worker.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

/** What the background's handler sends for a click on the item, as @webext-core/messaging puts it on the wire. */
function sendCheck(tabId: number, srcUrl: string): Promise<CheckVideoOutcome | undefined> {
  return e2e.worker.evaluate(
    async ({ tabId, srcUrl }) => {
      const message = { id: 1, type: 'checkVideo', data: { srcUrl }, timestamp: Date.now() };
      const answer = (await chrome.tabs.sendMessage(tabId, message, { frameId: 0 })) as { res?: CheckVideoOutcome };
      return answer?.res;
    },
    { tabId, srcUrl },
  );
}

/** The badge label over a video, found by position (badges live in the top layer). */
async function badgeOver(page: Page, selector: string): Promise<string | null> {
  const v = await page.locator(selector).boundingBox();
  const probe = await BadgeProbe.of(page);
  const badges = await probe.all();
  await probe.close();
  for (const { rect, label } of badges) {
    if (!v || rect.width === 0) continue;
    if (rect.x >= v.x && rect.x < v.x + 20 && rect.y >= v.y && rect.y < v.y + 20) return label ?? '';
  }
  return null;
}

describe('"Check this video" from the context menu', () => {
  it('is registered on videos', async () => {
    const exists = (id: string) =>
      e2e.worker.evaluate(
        (id) =>
          chrome.contextMenus.update(id, {}).then(
            () => true,
            () => false,
          ),
        id,
      );
    expect(await exists(CHECK_VIDEO_MENU_ID)).toBe(true);
    expect(await exists('no-such-item')).toBe(false);
  });

  it('with scanning on request, checks the right-clicked video only, not the page’s decoy with the same file', async () => {
    const options = await e2e.context.newPage();
    await options.goto(`chrome-extension://${e2e.extensionId}/options.html`);
    await options.getByRole('radio', { name: 'Only when I ask' }).check();
    await expect
      .poll(() =>
        e2e.worker.evaluate(async () => (await chrome.storage.local.get('preferences')).preferences as unknown),
      )
      .toMatchObject({ scanMode: 'on-request' });

    const { page, tabId } = await openPage(e2e, '/pages/check-video.html');
    await page.waitForFunction(() => (document.getElementById('meant') as HTMLVideoElement).currentTime > 0.5);
    expect((await results(e2e, tabId))?.videos ?? []).toHaveLength(0);

    const srcUrl = await page.evaluate(() => (document.getElementById('meant') as HTMLVideoElement).currentSrc);
    // A real right-click (the page then forges one on its decoy; see the page).
    await page.click('#meant', { button: 'right' });
    await page.waitForFunction(() => (window as unknown as { forgedRightClicks?: number }).forgedRightClicks === 1);
    expect(await sendCheck(tabId, srcUrl)).toBe('started');

    const judged = await waitFor(e2e, tabId, (r) => r.videos.length === 1 && r.videos[0]!.verdict !== 'pending');
    expect(judged.videos[0]!.src).toBe(srcUrl);
    await expect.poll(() => badgeOver(page, '#meant')).toMatch(/^Provenance Lens: /);
    expect(await badgeOver(page, '#decoy')).toBeNull();

    // Asked again: already followed; an address no video of the page plays: nothing.
    await page.click('#meant', { button: 'right' });
    expect(await sendCheck(tabId, srcUrl)).toBe('already');
    expect(await sendCheck(tabId, `${e2e.base}/media/none.mp4`)).toBe('not-found');
    expect((await results(e2e, tabId))?.videos).toHaveLength(1);

    await e2e.worker.evaluate(() => chrome.storage.local.remove(['preferences', 'preferences$']));
    await options.close();
    await page.close();
  });
});
