// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { facebook } from '../../../lib/adapters/facebook';
import { readPlatform } from '../../../lib/adapters/registry';
import { load, video } from './fixture-dom';

const FEED = new URL('https://www.facebook.com/');

describe('facebook adapter', () => {
  it('matches facebook.com', () => {
    expect(facebook.matches(FEED)).toBe(true);
    expect(facebook.matches(new URL('https://m.facebook.com/reel/1'))).toBe(true);
    expect(facebook.matches(new URL('https://facebook.com.evil.example/'))).toBe(false);
  });

  it('reads "AI info" on post 1 with its reel link', () => {
    const doc = load('facebook-feed.html');
    const reading = readPlatform(video(doc, '[aria-posinset="1"] video'), doc, FEED);
    expect(reading).toEqual({
      adapter: 'facebook',
      platform: 'Facebook',
      signals: [{ kind: 'platform-label', platform: 'Facebook', label: 'AI info', source: 'platform' }],
      reportUrl: 'https://www.facebook.com/reel/1111111111111111',
    });
  });

  it('gives a news post about Sora no signal; "AI info" and "#sora" in its comments do not count', () => {
    const doc = load('facebook-feed.html');
    const reading = readPlatform(video(doc, '[aria-posinset="2"] video'), doc, FEED);
    expect(reading?.signals).toEqual([]);
    expect(reading?.reportUrl).toBe('https://www.facebook.com/watch/?v=2222222222222222');
  });

  it('reads "Made with Veo 3" from post 3 only', () => {
    const doc = load('facebook-feed.html');
    const reading = readPlatform(video(doc, '[aria-posinset="3"] video'), doc, FEED);
    expect(reading?.signals).toEqual([
      { kind: 'platform-label', platform: 'Facebook', label: 'Made with Veo 3', source: 'creator-text' },
    ]);
    expect(reading?.reportUrl).toBe('https://www.facebook.com/dragonstudio/videos/3333333333333333');
  });

  it('answers null for an unknown layout', () => {
    const doc = load('facebook-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, FEED)).toBeNull();
  });
});
