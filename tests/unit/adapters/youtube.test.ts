// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readPlatform } from '../../../lib/adapters/registry';
import { youtube } from '../../../lib/adapters/youtube';
import { load, video } from './fixture-dom';

const WATCH = new URL('https://www.youtube.com/watch?v=aBcDeFgHiJ0&t=30s');

describe('youtube adapter', () => {
  it('matches watch pages only', () => {
    expect(youtube.matches(WATCH)).toBe(true);
    expect(youtube.matches(new URL('https://m.youtube.com/watch?v=aBcDeFgHiJ0'))).toBe(true);
    expect(youtube.matches(new URL('https://www.youtube.com/'))).toBe(false);
    expect(youtube.matches(new URL('https://www.youtube.com/shorts/aBcDeFgHiJ0'))).toBe(false);
    expect(youtube.matches(new URL('https://www.youtube.com/watch?v=short'))).toBe(false);
    expect(youtube.matches(new URL('https://notyoutube.com/watch?v=aBcDeFgHiJ0'))).toBe(false);
  });

  it('reads the "Altered or synthetic content" disclosure, and not the comments or sidebar', () => {
    const doc = load('youtube-watch-labelled.html');
    const reading = readPlatform(video(doc, '#movie_player video'), doc, WATCH);
    expect(reading).toEqual({
      adapter: 'youtube',
      platform: 'YouTube',
      signals: [
        { kind: 'platform-label', platform: 'YouTube', label: 'Altered or synthetic content', source: 'platform' },
      ],
      reportUrl: 'https://www.youtube.com/watch?v=aBcDeFgHiJ0',
    });
  });

  it('ignores videos outside the main player (sidebar previews)', () => {
    const doc = load('youtube-watch-labelled.html');
    expect(readPlatform(video(doc, 'ytd-thumbnail video'), doc, WATCH)).toBeNull();
  });

  it('does not take a "Captured with a camera" section for an AI label, but reads the description hashtag', () => {
    const doc = load('youtube-watch-creator.html');
    const url = new URL('https://www.youtube.com/watch?v=kLmNoPqRsT1');
    const reading = readPlatform(video(doc, '#movie_player video'), doc, url);
    expect(reading?.signals).toEqual([
      { kind: 'platform-label', platform: 'YouTube', label: '#veo3', source: 'creator-text' },
    ]);
    expect(reading?.reportUrl).toBe('https://www.youtube.com/watch?v=kLmNoPqRsT1');
  });

  it('gives no signal for a news upload about Sora with "#sora" only in comments', () => {
    const doc = load('youtube-watch-news.html');
    const url = new URL('https://www.youtube.com/watch?v=NeWs0000001');
    const reading = readPlatform(video(doc, '#movie_player video'), doc, url);
    expect(reading?.signals).toEqual([]);
  });

  it('answers null for an unknown layout', () => {
    const doc = load('youtube-watch-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, WATCH)).toBeNull();
  });
});
