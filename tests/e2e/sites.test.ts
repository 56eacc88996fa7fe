import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformLabelSignal } from '../../lib/core/signals';
import type { VideoReport } from '../../lib/core/report';
import { type E2E, openPage, startE2E, waitFor } from './harness';

const FIXTURES = 'tests/unit/adapters/fixtures';
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E({
    sites: {
      'www.youtube.com': {
        '/watch': { file: `${FIXTURES}/youtube-watch-labelled.html`, media: '/media/clip.mp4' },
        '/watch?v=kLmNoPqRsT1': { file: `${FIXTURES}/youtube-watch-creator.html`, media: '/media/clip.mp4' },
        '/watch?v=NeWs0000001': { file: `${FIXTURES}/youtube-watch-news.html`, media: '/media/clip.mp4' },
      },
      'www.tiktok.com': {
        '/foryou': { file: `${FIXTURES}/tiktok-feed.html`, media: '/media/portrait.mp4' },
      },
    },
  });
});
afterAll(async () => {
  await e2e?.close();
});

function labels(v: VideoReport): PlatformLabelSignal[] {
  return v.signals.filter((s): s is PlatformLabelSignal => s.kind === 'platform-label');
}

describe('site adapters on pages served at the sites’ own addresses', () => {
  it('YouTube’s own "altered or synthetic" disclosure makes the verdict AI', async () => {
    const { page, tabId } = await openPage(e2e, 'https://www.youtube.com/watch?v=aBcDeFgHiJ0');
    const r = await waitFor(e2e, tabId, (res) => res.videos.some((v) => v.platform !== null && v.framesAnalysed > 0));
    const v = r.videos.find((x) => x.platform)!;
    expect(v.platform).toMatchObject({ adapter: 'youtube', platform: 'YouTube' });
    expect(v.platform!.reportUrl).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=aBcDeFgHiJ0/);
    expect(labels(v)).toContainEqual(expect.objectContaining({ source: 'platform' }));
    expect(v.verdict).toBe('ai');
    expect(v.reasons[0]).toMatch(/^YouTube labels it/);
    await page.close();
  });

  it('a creator’s own #hashtag is a weaker signal: uncertain, never AI', async () => {
    const { page, tabId } = await openPage(e2e, 'https://www.youtube.com/watch?v=kLmNoPqRsT1');
    const r = await waitFor(e2e, tabId, (res) => res.videos.some((v) => labels(v).length > 0 && v.framesAnalysed > 0));
    const v = r.videos.find((x) => labels(x).length > 0)!;
    expect(labels(v).map((s) => s.source)).toEqual(['creator-text']);
    expect(v.verdict).toBe('uncertain');
    expect(v.reasons.join(' ')).toMatch(/The post itself says it is AI-made/);
    await page.close();
  });

  it('a news page that merely mentions Sora gives no platform signal', async () => {
    const { page, tabId } = await openPage(e2e, 'https://www.youtube.com/watch?v=NeWs0000001');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.some((v) => v.platform !== null && v.framesAnalysed > 0),
      15_000,
    );
    const v = r.videos.find((x) => x.platform)!;
    // Give late label reads a chance: still nothing.
    await page.waitForTimeout(2000);
    expect(labels(v)).toEqual([]);
    expect(v.verdict).toBe('uncertain');
    await page.close();
  });

  it('ties each TikTok feed video to its own post’s label', async () => {
    const { page, tabId } = await openPage(e2e, 'https://www.tiktok.com/foryou');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.filter((v) => v.platform).length >= 2 && res.videos.some((v) => v.verdict === 'ai'),
      25_000,
    );
    const withLabel = r.videos.filter((v) => labels(v).some((s) => s.source === 'platform'));
    const without = r.videos.filter((v) => v.platform && !labels(v).some((s) => s.source === 'platform'));
    expect(withLabel.length).toBeGreaterThanOrEqual(1);
    expect(without.length).toBeGreaterThanOrEqual(1);
    for (const v of withLabel) expect(v.verdict).toBe('ai');
    for (const v of without) expect(v.verdict).not.toBe('ai');
    await page.close();
  });
});
