import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/core/signals';
import {
  type CachedJudgement,
  compareFrame,
  frameMatches,
  hexHammingDistance,
  IdbVerdictStore,
  mediaKey,
  VerdictCache,
  VERDICT_CACHE_DATABASE,
  VERDICT_CACHE_TTL_MS,
} from '../../lib/background/verdict-cache';

const URL_A = 'https://cdn.example/clip.mp4';
const HASH = '0f0f0f0f0f0f0f0f';
const MODEL = 'frame-classifier@1';

function judgement(signals: Signal[] = []): CachedJudgement {
  return { signals, frames: [], framesAnalysed: 6, blankFrames: 0, thumbnail: null, frameModel: MODEL };
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
    expect(compareFrame(remembered, { mediaTime: 1.0, hash: HASH })).toBe('other-moment');
    // Same moment, other picture (the server answered the URL with other bytes).
    expect(frameMatches(remembered, { mediaTime: 0.1, hash: 'f0f0f0f0f0f0f0f0' })).toBe(false);
    expect(compareFrame(remembered, { mediaTime: 0.1, hash: 'f0f0f0f0f0f0f0f0' })).toBe('mismatch');
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
    const poster: Signal = { ...provenance, source: 'image', signer: 'The page’s poster' };
    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement([provenance, label, poster]));
    now += 60_000;
    const hit = await cache.recall(URL_A, { mediaTime: 0.2, hash: flip(HASH, 2) }, MODEL);
    if (hit.status !== 'hit') throw new Error(`expected a hit, got ${hit.status}`);
    expect(hit.judgedAt).toBe(1_000);
    expect(hit.judgement.framesAnalysed).toBe(6);
    expect(hit.judgement.signals).toEqual([provenance]);
    expect(await cache.recall('https://cdn.example/other.mp4', { mediaTime: 0, hash: HASH }, MODEL)).toEqual({
      status: 'none',
    });
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: 'f0f0f0f0f0f0f0f0' }, MODEL)).toEqual({
      status: 'mismatch',
    });
    expect(await cache.recall(URL_A, { mediaTime: 3, hash: HASH }, MODEL)).toEqual({ status: 'other-moment' });
    // Logits of another classifier read differently: its judgements are not reused.
    expect(await cache.recall(URL_A, { mediaTime: 0, hash: HASH }, 'frame-classifier@2')).toEqual({ status: 'none' });
  });

  it('forgets entries past their time, when turned off, and on clear (which deletes the database)', async () => {
    let now = 1_000;
    const idb = new IDBFactory();
    const store = new IdbVerdictStore(idb);
    const cache = new VerdictCache(store, () => now);
    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement());
    now += VERDICT_CACHE_TTL_MS + 1;
    expect((await cache.recall(URL_A, { mediaTime: 0, hash: HASH }, MODEL)).status).toBe('none');
    expect(await store.get((await mediaKey(URL_A))!)).toBeUndefined();

    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement());
    cache.setEnabled(false);
    expect((await cache.recall(URL_A, { mediaTime: 0, hash: HASH }, MODEL)).status).toBe('off');
    cache.setEnabled(true);
    expect((await cache.recall(URL_A, { mediaTime: 0, hash: HASH }, MODEL)).status).toBe('hit');
    await cache.clear();
    expect((await idb.databases()).map((d) => d.name)).not.toContain(VERDICT_CACHE_DATABASE);
    expect((await cache.recall(URL_A, { mediaTime: 0, hash: HASH }, MODEL)).status).toBe('none');
  });

  it('reads the setting before the first lookup, and counts an unreadable setting as off', async () => {
    const store = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(store);
    let answer: (on: boolean) => void = () => undefined;
    cache.setEnabled(new Promise<boolean>((resolve) => (answer = resolve)));
    const writing = cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement());
    answer(false);
    await writing;
    expect(await store.get((await mediaKey(URL_A))!)).toBeUndefined();
    cache.setEnabled(Promise.reject(new Error('storage gone')));
    await cache.remember(URL_A, [{ mediaTime: 0, hash: HASH }], judgement());
    expect(await store.get((await mediaKey(URL_A))!)).toBeUndefined();
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
      kept.push(
        (await cache.recall(`https://cdn.example/${i}.mp4`, { mediaTime: 0, hash: HASH }, MODEL)).status === 'hit',
      );
    expect(kept).toEqual([false, false, true, true, true]);
  });
});
