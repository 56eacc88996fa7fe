// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { instagram } from '../../../lib/adapters/instagram';
import { readPlatform } from '../../../lib/adapters/registry';
import { load, video } from './fixture-dom';

const FEED = new URL('https://www.instagram.com/');

describe('instagram adapter', () => {
  it('matches instagram.com', () => {
    expect(instagram.matches(FEED)).toBe(true);
    expect(instagram.matches(new URL('https://instagram.com/reel/C0aBcDeFgH1/'))).toBe(true);
    expect(instagram.matches(new URL('https://www.facebook.com/'))).toBe(false);
  });

  it('reads the "AI info" label from the post header', () => {
    const doc = load('instagram-feed.html');
    const reading = readPlatform(video(doc, '#post-1 video'), doc, FEED);
    expect(reading).toEqual({
      adapter: 'instagram',
      platform: 'Instagram',
      signals: [{ kind: 'platform-label', platform: 'Instagram', label: 'AI info', source: 'platform' }],
      reportUrl: 'https://www.instagram.com/p/C0aBcDeFgH1/',
    });
  });

  it('reads the caption hashtag of post 2 without the label of post 1 leaking', () => {
    const doc = load('instagram-feed.html');
    const reading = readPlatform(video(doc, '#post-2 video'), doc, FEED);
    expect(reading?.signals).toEqual([
      { kind: 'platform-label', platform: 'Instagram', label: '#aiart', source: 'creator-text' },
    ]);
    expect(reading?.reportUrl).toBe('https://www.instagram.com/reel/C0aBcDeFgH2/');
  });

  it('ignores comments saying "#sora" or "AI info" and a caption denying AI', () => {
    const doc = load('instagram-feed.html');
    expect(readPlatform(video(doc, '#post-3 video'), doc, FEED)?.signals).toEqual([]);
  });

  it('answers null for an unknown layout', () => {
    const doc = load('instagram-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, FEED)).toBeNull();
  });
});
