// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readPlatform } from '../../../lib/adapters/registry';
import { tiktok } from '../../../lib/adapters/tiktok';
import { load, video } from './fixture-dom';

const FEED = new URL('https://www.tiktok.com/foryou');

describe('tiktok adapter', () => {
  it('matches tiktok.com', () => {
    expect(tiktok.matches(FEED)).toBe(true);
    expect(tiktok.matches(new URL('https://m.tiktok.com/@a/video/1'))).toBe(true);
    expect(tiktok.matches(new URL('https://tiktok.com.example.org/'))).toBe(false);
    expect(tiktok.matches(new URL('https://www.youtube.com/'))).toBe(false);
  });

  it('reads "Creator labeled as AI-generated" and the hashtag on the labelled item only', () => {
    const doc = load('tiktok-feed.html');
    const reading = readPlatform(video(doc, '#item-2 video'), doc, FEED);
    expect(reading).toEqual({
      adapter: 'tiktok',
      platform: 'TikTok',
      signals: [
        { kind: 'platform-label', platform: 'TikTok', label: 'Creator labeled as AI-generated', source: 'platform' },
        { kind: 'platform-label', platform: 'TikTok', label: '#aivideo', source: 'creator-text' },
      ],
      reportUrl: 'https://www.tiktok.com/@dreamreels/video/7300000000000000002',
    });
  });

  it('gives the neighbouring unlabelled item no signal (comments with "#sora" do not count)', () => {
    const doc = load('tiktok-feed.html');
    const reading = readPlatform(video(doc, '#item-1 video'), doc, FEED);
    expect(reading?.signals).toEqual([]);
    expect(reading?.reportUrl).toBe('https://www.tiktok.com/@balconyviews/video/7300000000000000001');
  });

  it('does not take a nickname reading "AI-generated" or a question caption as a label', () => {
    const doc = load('tiktok-feed.html');
    expect(readPlatform(video(doc, '#item-3 video'), doc, FEED)?.signals).toEqual([]);
  });

  it('reads the label on a video page and ignores the comments', () => {
    const doc = load('tiktok-video-page.html');
    const url = new URL('https://www.tiktok.com/@catvids/video/7311111111111111111?lang=en');
    const reading = readPlatform(video(doc, 'video'), doc, url);
    expect(reading?.signals).toEqual([
      { kind: 'platform-label', platform: 'TikTok', label: 'Contains AI-generated media', source: 'platform' },
    ]);
    expect(reading?.reportUrl).toBe('https://www.tiktok.com/@catvids/video/7311111111111111111');
  });

  it('answers null for an unknown layout', () => {
    const doc = load('tiktok-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, FEED)).toBeNull();
  });
});
