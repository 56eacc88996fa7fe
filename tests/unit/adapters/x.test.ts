// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readPlatform } from '../../../lib/adapters/registry';
import { x } from '../../../lib/adapters/x';
import { load, video } from './fixture-dom';

const HOME = new URL('https://x.com/home');

function postVideo(doc: Document, n: number): HTMLVideoElement {
  const cells = doc.querySelectorAll('[data-testid="cellInnerDiv"]');
  const el = cells[n - 1]?.querySelector('article > [data-testid="videoComponent"] video');
  if (!el) throw new Error(`no video in post ${n}`);
  return el as HTMLVideoElement;
}

describe('x adapter', () => {
  it('matches x.com and twitter.com', () => {
    expect(x.matches(HOME)).toBe(true);
    expect(x.matches(new URL('https://twitter.com/home'))).toBe(true);
    expect(x.matches(new URL('https://mobile.x.com/home'))).toBe(true);
    expect(x.matches(new URL('https://box.com/'))).toBe(false);
  });

  it('reads the "Made with AI" label of post 1', () => {
    const doc = load('x-timeline.html');
    expect(readPlatform(postVideo(doc, 1), doc, HOME)).toEqual({
      adapter: 'x',
      platform: 'X',
      signals: [{ kind: 'platform-label', platform: 'X', label: 'Made with AI', source: 'platform' }],
      reportUrl: 'https://x.com/nightdriver/status/1900000000000000001',
    });
  });

  it('reads "Made with Sora 2" from post 2 without post 1 label leaking', () => {
    const doc = load('x-timeline.html');
    const reading = readPlatform(postVideo(doc, 2), doc, HOME);
    expect(reading?.signals).toEqual([
      { kind: 'platform-label', platform: 'X', label: 'Made with Sora 2', source: 'creator-text' },
    ]);
    expect(reading?.reportUrl).toBe('https://x.com/spacefilms/status/1900000000000000002');
  });

  it('ignores a denial with #notai and the label of a quoted post', () => {
    const doc = load('x-timeline.html');
    expect(readPlatform(postVideo(doc, 3), doc, HOME)?.signals).toEqual([]);
  });

  it('answers null for a video inside a quoted post', () => {
    const doc = load('x-timeline.html');
    expect(readPlatform(video(doc, '#quoted-video'), doc, HOME)).toBeNull();
  });

  it('answers null for an unknown layout', () => {
    const doc = load('x-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, HOME)).toBeNull();
  });
});
