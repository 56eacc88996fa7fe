// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { linkedin } from '../../../lib/adapters/linkedin';
import { readPlatform } from '../../../lib/adapters/registry';
import { load, video } from './fixture-dom';

const FEED = new URL('https://www.linkedin.com/feed/');
const post = (n: number) => `[data-urn="urn:li:activity:720000000000000000${n}"] video`;

describe('linkedin adapter', () => {
  it('matches linkedin.com', () => {
    expect(linkedin.matches(FEED)).toBe(true);
    expect(linkedin.matches(new URL('https://linkedin.com/feed/update/urn:li:activity:1/'))).toBe(true);
    expect(linkedin.matches(new URL('https://linkedin.example.com/'))).toBe(false);
  });

  it('reads Content Credentials that declare AI', () => {
    const doc = load('linkedin-feed.html');
    expect(readPlatform(video(doc, post(1)), doc, FEED)).toEqual({
      adapter: 'linkedin',
      platform: 'LinkedIn',
      signals: [
        {
          kind: 'platform-label',
          platform: 'LinkedIn',
          label: 'Content Credentials: AI-generated with Sora',
          source: 'platform',
        },
      ],
      reportUrl: 'https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000001/',
    });
  });

  it('does not take a bare Cr icon or comments for AI', () => {
    const doc = load('linkedin-feed.html');
    const reading = readPlatform(video(doc, post(2)), doc, FEED);
    expect(reading?.signals).toEqual([]);
    expect(reading?.reportUrl).toBe('https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000002/');
  });

  it('reads "created with Kling AI" from post 3 only', () => {
    const doc = load('linkedin-feed.html');
    expect(readPlatform(video(doc, post(3)), doc, FEED)?.signals).toEqual([
      { kind: 'platform-label', platform: 'LinkedIn', label: 'created with Kling AI', source: 'creator-text' },
    ]);
  });

  it('answers null for an unknown layout', () => {
    const doc = load('linkedin-changed.html');
    expect(readPlatform(video(doc, 'video'), doc, FEED)).toBeNull();
  });
});
