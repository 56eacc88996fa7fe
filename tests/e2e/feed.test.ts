import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabResults } from '../../lib/core/report';
import { type E2E, openPage, startE2E, waitFor } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

const video = (r: TabResults, file: string) => r.videos.find((v) => v.src.endsWith(file));
const frames = (r: TabResults, file: string) => video(r, file)?.framesAnalysed ?? 0;

describe('a feed scrolled past', () => {
  it('follows a video the reader saw off screen to its first verdict, and leaves one never reached alone', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/feed-followed.html');
    await waitFor(e2e, tabId, (r) => frames(r, 'clip.mp4') >= 1, 60_000);
    // The reader scrolls on: neither video is on screen now.
    await page.evaluate(() => document.getElementById('gap')!.scrollIntoView({ block: 'center' }));
    const seenOff = await page.evaluate(() => {
      const box = document.getElementById('seen')!.getBoundingClientRect();
      return box.bottom <= 0 || box.top >= innerHeight;
    });
    expect(seenOff).toBe(true);
    const r = await waitFor(e2e, tabId, (res) => frames(res, 'clip.mp4') >= 4, 90_000);
    expect(video(r, 'clip.mp4')!.verdict).not.toBe('pending');
    // The video below was never on screen: no frame of it was taken.
    expect(frames(r, 'small.mp4')).toBe(0);
    await page.close();
  }, 150_000);

  it('stops sampling a clip once its mark decides the verdict, while a plain clip beside it goes on', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/early-exit.html');
    const decided = await waitFor(
      e2e,
      tabId,
      (r) => video(r, 'kling-mark.mp4')?.verdict === 'ai' && frames(r, 'kling-mark.mp4') >= 4,
      90_000,
    );
    const marked = frames(decided, 'kling-mark.mp4');
    // Decided before the per-video budget ran out, or the test would show nothing.
    expect(marked).toBeLessThan(8);
    const plainTarget = Math.min(8, Math.max(frames(decided, 'clip.mp4'), marked) + 2);
    const later = await waitFor(e2e, tabId, (r) => frames(r, 'clip.mp4') >= plainTarget, 90_000);
    // At most the frame that was on its way when the verdict came.
    expect(frames(later, 'kling-mark.mp4')).toBeLessThanOrEqual(Math.max(marked, 4) + 1);
    await page.close();
  }, 200_000);
});
