// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapterFor, ADAPTERS, readPlatform } from '../../../lib/adapters/registry';
import { tiktok } from '../../../lib/adapters/tiktok';

function videoIn(html: string): { doc: Document; video: HTMLVideoElement } {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const video = doc.querySelector('video');
  if (!video) throw new Error('no video');
  return { doc, video: video as HTMLVideoElement };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('adapter registry', () => {
  it('picks the adapter for each site, Shorts before the watch page', () => {
    const ids = (u: string) => adapterFor(new URL(u))?.id ?? null;
    expect(ids('https://www.youtube.com/shorts/aBcDeFgHiJ0')).toBe('youtube-shorts');
    expect(ids('https://www.youtube.com/watch?v=aBcDeFgHiJ0')).toBe('youtube');
    expect(ids('https://www.tiktok.com/foryou')).toBe('tiktok');
    expect(ids('https://www.instagram.com/')).toBe('instagram');
    expect(ids('https://www.facebook.com/')).toBe('facebook');
    expect(ids('https://x.com/home')).toBe('x');
    expect(ids('https://www.reddit.com/')).toBe('reddit');
    expect(ids('https://www.linkedin.com/feed/')).toBe('linkedin');
    expect(ids('https://example.com/')).toBeNull();
    expect(new Set(ADAPTERS.map((a) => a.id)).size).toBe(ADAPTERS.length);
  });

  it('answers null on pages no adapter handles', () => {
    const { doc, video } = videoIn('<video></video>');
    expect(readPlatform(video, doc, new URL('https://example.com/'))).toBeNull();
  });

  it('never throws: a failing findPost yields null', () => {
    vi.spyOn(tiktok, 'findPost').mockImplementation(() => {
      throw new Error('layout exploded');
    });
    const { doc, video } = videoIn('<article data-e2e="recommend-list-item-container"><video></video></article>');
    expect(readPlatform(video, doc, new URL('https://www.tiktok.com/foryou'))).toBeNull();
  });

  it('keeps the other readings when one read throws', () => {
    vi.spyOn(tiktok, 'readPlatformLabel').mockImplementation(() => {
      throw new Error('label exploded');
    });
    const { doc, video } = videoIn(
      '<article data-e2e="recommend-list-item-container"><video></video><div data-e2e="video-desc">Koi #kling</div></article>',
    );
    expect(readPlatform(video, doc, new URL('https://www.tiktok.com/foryou'))).toEqual({
      adapter: 'tiktok',
      platform: 'TikTok',
      signals: [{ kind: 'platform-label', platform: 'TikTok', label: '#kling', source: 'creator-text' }],
      reportUrl: null,
    });
  });
});
