import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/core/signals';
import {
  type CachedJudgement,
  frameMatches,
  hexHammingDistance,
  IdbVerdictStore,
  mediaKey,
  VerdictCache,
  VERDICT_CACHE_TTL_MS,
} from '../../lib/background/verdict-cache';

const URL_A = 'https://cdn.example/clip.mp4';
const HASH = '0f0f0f0f0f0f0f0f';

function judgement(signals: Signal[] = []): CachedJudgement {
  return { signals, frames: [], framesAnalysed: 6, blankFrames: 0, thumbnail: null };
}

function flip(hash: string, bits: number): string {
  let x = BigInt(`0x${hash}`);
  for (let i = 0; i < bits; i++) x ^= 1n << BigInt(i * 3);
  return x.toString(16).padStart(16, '0');
}

describe('verdict cache keys and matching', () => {
  it('keys http(s) URLs by SHA-256 without the fragment, and never caches blob: or data: sources', async () => {
    const key = await mediaKey(URL_A);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await mediaKey(`${URL_A}#t=3`)).toBe(key);
    expect(await mediaKey('https://cdn.example/other.mp4')).not.toBe(key);
    expect(await mediaKey('blob:https://page.example/0b5e')).toBeNull();
    expect(await mediaKey('data:video/mp4;base64,AAAA')).toBeNull();
    expect(await mediaKey('not a url')).toBeNull();
  });

  it('counts differing bits, and treats a malformed hash as entirely different', () => {
    expect(hexHammingDistance(HASH, HASH)).toBe(0);
    expect(hexHammingDistance(HASH, flip(HASH, 5))).toBe(5);
    expect(hexHammingDistance(HASH, 'zz')).toBe(64);
  });

  it('matches only a frame of the same moment that shows nearly the same picture', () => {
    const remembered = [
      { mediaTime: 0.1, hash: HASH },
      { mediaTime: 2, hash: 'ffffffffffffffff' },
    ];
    expect(frameMatches(remembered, { mediaTime: 0.3, hash: flip(HASH, 4) })).toBe(true);
    // Same picture, another moment: nothing to compare with.
    expect(frameMatches(remembered, { mediaTime: 1.0, hash: HASH })).toBe(false);
    // Same moment, other picture (the server answered the URL with other bytes).
    expect(frameMatches(remembered, { mediaTime: 0.1, hash: 'f0f0f0f0f0f0f0f0' })).toBe(false);
  });
});

describe('VerdictCache in IndexedDB', () => {
  const provenance: Signal = {
    kind: 'provenance',
    state: 'valid',
    declaresAi: false,
    captureDevice: true,
    digitalSourceTypes: [],
    signer: 'Test camera',
    source: 'file',
    hashVerified: true,
  };
  const label: Signal = {
    kind: 'platform-label',
    platform: 'youtube',
    label: 'Altered or synthetic',
    source: 'platform',
  };

  it('gives a remembered judgement back for the same URL and picture, without the page-specific signals', async () => {
    let now = 1_000;
    const cache = new VerdictCache(new IdbVerdictStore(new IDBFactory()), () => now);
    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement([provenance, label]));
    now += 60_000;
    const hit = await cache.recall(URL_A, { mediaTime: 0.2, hash: flip(HASH, 2) });
    expect(hit?.framesAnalysed).toBe(6);
    expect(hit?.signals.map((s) => s.kind)).toEqual(['provenance']);
    expect(await cache.recall('https://cdn.example/other.mp4', { mediaTime: 0, hash: HASH })).toBeNull();
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: 'f0f0f0f0f0f0f0f0' })).toBeNull();
  });

  it('forgets entries past their time, when turned off, and on clear', async () => {
    let now = 1_000;
    const store = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(store, () => now);
    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement());
    now += VERDICT_CACHE_TTL_MS + 1;
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: HASH })).toBeNull();
    expect(await store.get((await mediaKey(URL_A))!)).toBeUndefined();

    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement());
    cache.setEnabled(false);
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: HASH })).toBeNull();
    cache.setEnabled(true);
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: HASH })).not.toBeNull();
    await cache.clear();
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: HASH })).toBeNull();
  });

  it('keeps at most the newest entries past its cap', async () => {
    let now = 1_000;
    const store = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(store, () => now, VERDICT_CACHE_TTL_MS, 3);
    for (let i = 0; i < 5; i++) {
      now += 1;
      await cache.remember(`https://cdn.example/${i}.mp4`, [{ mediaTime: 0, hash: HASH }], judgement());
    }
    const kept = [];
    for (let i = 0; i < 5; i++)
      kept.push((await cache.recall(`https://cdn.example/${i}.mp4`, { mediaTime: 0, hash: HASH })) !== null);
    expect(kept).toEqual([false, false, true, true, true]);
  });
});
