// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { reddit } from '../../../lib/adapters/reddit';
import { readPlatform } from '../../../lib/adapters/registry';
import { load, video } from './fixture-dom';

const FEED = new URL('https://www.reddit.com/r/videos/');

/** Moves a post's video into its player's shadow root, as shreddit-player renders it. */
function intoShadow(doc: Document, postId: string): HTMLVideoElement {
  const player = doc.querySelector(`#${postId} shreddit-player`);
  const v = player?.querySelector('video');
  if (!player || !v) throw new Error('fixture changed');
  player.attachShadow({ mode: 'open' }).append(v);
  return v;
}

describe('reddit adapter', () => {
  it('matches reddit.com', () => {
    expect(reddit.matches(FEED)).toBe(true);
    expect(reddit.matches(new URL('https://old.reddit.com/r/videos/'))).toBe(true);
    expect(reddit.matches(new URL('https://notreddit.com/'))).toBe(false);
  });

  it('reads "AI Generated" flair as creator text (never a platform label), through the shadow root', () => {
    const doc = load('reddit-feed.html');
    const reading = readPlatform(intoShadow(doc, 't3_abc123'), doc, FEED);
    expect(reading).toEqual({
      adapter: 'reddit',
      platform: 'Reddit',
      signals: [{ kind: 'platform-label', platform: 'Reddit', label: 'AI Generated', source: 'creator-text' }],
      reportUrl: 'https://www.reddit.com/r/aivideo/comments/abc123/neon_koi_pond/',
    });
  });

  it('gives the question post no signal; a comment saying "#sora" does not count', () => {
    const doc = load('reddit-feed.html');
    const reading = readPlatform(video(doc, '#t3_def456 video'), doc, FEED);
    expect(reading?.signals).toEqual([]);
    expect(reading?.reportUrl).toBe('https://www.reddit.com/r/interestingasfuck/comments/def456/is_this_real_or_ai/');
  });

  it('answers null for an unknown layout (old Reddit)', () => {
    const doc = load('reddit-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, new URL('https://old.reddit.com/r/aivideo/'))).toBeNull();
  });
});
