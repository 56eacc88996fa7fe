import { describe, expect, it } from 'vitest';
import type { TabResults } from '../../lib/core/report';
import { MAX_VIDEOS_PER_TAB, ResultsStore, withinBytes } from '../../lib/background/results-store';
import { MAX_STORED_URL_CHARS, storedUrl } from '../../lib/background/stored-urls';
import { isPrivateHost, mayFetchFor } from '../../lib/provenance/fetch-policy';

/** A session area that keeps what it is given, as JSON, like `storage.session`. */
function area() {
  const data = new Map<string, string>();
  return {
    data,
    get: (key: string) => Promise.resolve(data.has(key) ? { [key]: JSON.parse(data.get(key)!) as unknown } : {}),
    set: (items: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(items)) data.set(k, JSON.stringify(v));
      return Promise.resolve();
    },
    remove: (key: string) => {
      data.delete(key);
      return Promise.resolve();
    },
  };
}

const announce = (id: string) => ({
  id,
  src: `https://example.test/${id}.mp4`,
  pageUrl: 'https://example.test/',
  width: 320,
  height: 180,
});

describe('per-tab limits of the results store', () => {
  it('tracks at most MAX_VIDEOS_PER_TAB videos; the rest are refused and ask for no frames', async () => {
    const store = new ResultsStore(area());
    for (let i = 0; i < MAX_VIDEOS_PER_TAB; i++) await store.videoSeen(1, 0, announce(`v${i}`));
    const refused = await store.videoSeen(1, 0, announce('one-too-many'));
    expect(refused.level).toBe('unavailable');
    expect((await store.read(1)).videos).toHaveLength(MAX_VIDEOS_PER_TAB);
    expect(await store.budgetLeft(1, 'one-too-many')).toBe('budget');
    // Another tab is not affected.
    expect((await store.videoSeen(2, 0, announce('x'))).level).toBe('pending');
  });

  it('keeps a tab’s stored copy under its byte cap by dropping old frame logs and thumbnails', () => {
    const video = (id: string, at: number) => ({
      ...announce(id),
      frameId: 0,
      verdict: 'uncertain' as const,
      score: null,
      reasons: [],
      signals: [],
      framesAnalysed: 1,
      framePath: null,
      thumbnail: `data:image/jpeg;base64,${'A'.repeat(10_000)}`,
      frames: [],
      firstVerdictMs: null,
      platform: null,
      firstSeenAt: at,
      updatedAt: at,
    });
    const results: TabResults = { url: 'https://example.test/', videos: [video('old', 1), video('new', 2)] };
    const trimmed = withinBytes(results, 15_000);
    expect(JSON.stringify(trimmed).length).toBeLessThanOrEqual(15_000);
    expect(trimmed.videos.map((v) => v.thumbnail === null)).toEqual([true, false]);
    expect(trimmed.videos.map((v) => v.verdict)).toEqual(['uncertain', 'uncertain']);
  });

  it('then drops the certificate descriptions of signed videos, oldest first, keeping their provenance signals', () => {
    const cert = {
      subject: `CN=${'s'.repeat(250)}`,
      issuer: `CN=${'i'.repeat(250)}`,
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z',
      serialNumber: '01',
      sha256: '0'.repeat(64),
    };
    const signed = (id: string, at: number) => ({
      ...announce(id),
      frameId: 0,
      verdict: 'likely-ai' as const,
      score: null,
      reasons: [],
      signals: [
        {
          kind: 'provenance' as const,
          state: 'untrusted' as const,
          declaresAi: true,
          captureDevice: false,
          digitalSourceTypes: [],
          signature: { chain: Array.from({ length: 5 }, () => cert) },
        },
      ],
      framesAnalysed: 0,
      framePath: null,
      thumbnail: null,
      frames: [],
      firstVerdictMs: null,
      platform: null,
      firstSeenAt: at,
      updatedAt: at,
    });
    const results: TabResults = { url: 'https://example.test/', videos: [signed('old', 1), signed('new', 2)] };
    const full = JSON.stringify(results).length;
    const trimmed = withinBytes(results, full - 100);
    expect(JSON.stringify(trimmed).length).toBeLessThanOrEqual(full - 100);
    const kept = trimmed.videos.map((v) => v.signals[0]!.kind === 'provenance' && !!v.signals[0]!.signature);
    expect(kept).toEqual([false, true]);
    expect(trimmed.videos[0]!.signals[0]).toMatchObject({ kind: 'provenance', state: 'untrusted', declaresAi: true });
  });
});

describe('addresses kept in reports', () => {
  it('keeps a data: URL as its type and SHA-256, the same for the same URL', async () => {
    const url = `data:video/mp4;base64,${'B'.repeat(1_000_000)}`;
    const kept = await storedUrl(url);
    expect(kept).toMatch(/^data:video\/mp4;sha256=[0-9a-f]{64}$/);
    expect(await storedUrl(url)).toBe(kept);
  });

  it('cuts a long address at the cap', async () => {
    expect((await storedUrl(`https://example.test/?q=${'z'.repeat(50_000)}`)).length).toBe(MAX_STORED_URL_CHARS);
    expect(await storedUrl('https://example.test/a.mp4')).toBe('https://example.test/a.mp4');
  });
});

describe('the private-network rule', () => {
  it('knows loopback, private, link-local and unique-local hosts', () => {
    for (const host of [
      'localhost',
      'a.localhost',
      '127.0.0.1',
      '127.9.9.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '[::1]',
      '::1',
      'fd00::1',
      'fe80::1',
      '[::ffff:7f00:1]',
      '0.0.0.0',
    ])
      expect(isPrivateHost(host), host).toBe(true);
    for (const host of ['example.com', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:db8::1', '11.0.0.1'])
      expect(isPrivateHost(host), host).toBe(false);
  });

  it('lets a public page fetch public media only; a page on a private host may fetch there too', () => {
    expect(mayFetchFor('https://cdn.example/v.mp4', 'https://site.example/')).toBe(true);
    expect(mayFetchFor('http://192.168.1.1/cgi-bin/reboot', 'https://site.example/')).toBe(false);
    expect(mayFetchFor('http://2130706433:9000/x.mp4', 'https://site.example/')).toBe(false);
    expect(mayFetchFor('http://127.0.0.1:9000/x.mp4', 'http://localhost:8000/page.html')).toBe(true);
    expect(mayFetchFor('file:///etc/passwd', 'http://localhost/')).toBe(false);
    expect(mayFetchFor('https://user:pw@cdn.example/v.mp4', 'https://site.example/')).toBe(false);
  });
});
