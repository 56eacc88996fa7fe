// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readPlatform } from '../../../lib/adapters/registry';
import { youtubeShorts } from '../../../lib/adapters/youtube-shorts';
import { load, video } from './fixture-dom';

const SHORTS = new URL('https://www.youtube.com/shorts/ShOrTs00001');

describe('youtube-shorts adapter', () => {
  it('matches /shorts/<id> only', () => {
    expect(youtubeShorts.matches(SHORTS)).toBe(true);
    expect(youtubeShorts.matches(new URL('https://www.youtube.com/watch?v=ShOrTs00001'))).toBe(false);
    expect(youtubeShorts.matches(new URL('https://www.youtube.com/shorts/'))).toBe(false);
    expect(youtubeShorts.matches(new URL('https://www.tiktok.com/shorts/ShOrTs00001'))).toBe(false);
  });

  it('gives the active unlabelled short no signal, with its own URL as report link', () => {
    const doc = load('youtube-shorts-feed.html');
    const reading = readPlatform(video(doc, 'ytd-reel-video-renderer[id="0"] video'), doc, SHORTS);
    expect(reading).toEqual({
      adapter: 'youtube-shorts',
      platform: 'YouTube',
      signals: [],
      reportUrl: 'https://www.youtube.com/shorts/ShOrTs00001',
    });
  });

  it('ties the AI badge and hashtag of the next short to that short only', () => {
    const doc = load('youtube-shorts-feed.html');
    const reading = readPlatform(video(doc, 'ytd-reel-video-renderer[id="1"] video'), doc, SHORTS);
    expect(reading?.signals).toEqual([
      { kind: 'platform-label', platform: 'YouTube', label: 'Altered or synthetic content', source: 'platform' },
      { kind: 'platform-label', platform: 'YouTube', label: '#sora2', source: 'creator-text' },
    ]);
    // Its id is not in the markup, and the page URL is the active short's: no link rather than a wrong one.
    expect(reading?.reportUrl).toBeNull();
  });

  it('answers null for an unknown layout', () => {
    const doc = load('youtube-shorts-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, SHORTS)).toBeNull();
  });
});
