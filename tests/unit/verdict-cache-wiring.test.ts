import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { AnalysisClient } from '../../lib/background/analysis-client';
import { createFrameService, type Origin } from '../../lib/background/frame-service';
import { ResultsStore } from '../../lib/background/results-store';
import {
  IdbVerdictStore,
  mediaKey,
  VERDICT_CACHE_DATABASE,
  VerdictCache,
  type VerdictStore,
} from '../../lib/background/verdict-cache';
import type { PlatformLabelSignal, ProvenanceSignal, WatermarkSignal } from '../../lib/core/signals';
import type { HostFrameResult, VideoAnnouncement } from '../../lib/messaging/protocol';
import { fromCacheLine } from '../../lib/detail/explain';
import type { VideoReport } from '../../lib/core/report';
import { evaluateVerdict } from '../../lib/core/verdict';
import { memoryArea } from './memory-session-area';

/** The verdict of a report's evidence without what its page said: what another page showing the clip starts from. */
function withoutPage(report: VideoReport) {
  return evaluateVerdict(report.signals.filter((s) => s.kind !== 'platform-label')).level;
}

/** A store that counts every call, so a test can say "nothing was read or written". */
function counting(inner: VerdictStore) {
  const calls: string[] = [];
  const store: VerdictStore = {
    get: (key) => (calls.push('get'), inner.get(key)),
    put: (entry) => (calls.push('put'), inner.put(entry)),
    delete: (key) => (calls.push('delete'), inner.delete(key)),
    prune: (olderThan, max) => (calls.push('prune'), inner.prune(olderThan, max)),
    clear: () => (calls.push('clear'), inner.clear()),
  };
  return { store, calls };
}

const SRC = 'https://cdn.example/clip.mp4';
/** The clip's pictures: one hash per sampled moment. */
const CLIP_HASHES = ['3c3c3c3c3c3c3c3c', '0ff00ff00ff00ff0', 'a5a5a5a5a5a5a5a5', '5a5a5a5a5a5a5a5a'];
/** What a server answering the same URL with another clip renders at the same moments. */
const OTHER_HASHES = ['c3c3c3c3c3c3c3c3', 'f00ff00ff00ff00f', '5a5a5a5a5a5a5a5a', 'a5a5a5a5a5a5a5a5'];
const FRAME_TIMES = [0, 1.5, 3, 4.5, 6, 7.5, 0.2, 1.7];

const SIGNED: ProvenanceSignal = {
  kind: 'provenance',
  state: 'untrusted',
  declaresAi: true,
  captureDevice: false,
  digitalSourceTypes: ['trainedAlgorithmicMedia'],
  generator: 'Some generator',
  source: 'file',
};
const MARK: WatermarkSignal = {
  kind: 'watermark',
  generator: 'Sora',
  text: 'Sora',
  frames: 3,
  box: { x: 0, y: 0, width: 1, height: 1 },
};
const LABEL: PlatformLabelSignal = {
  kind: 'platform-label',
  platform: 'example',
  label: 'AI-generated',
  source: 'platform',
};

/** A host that renders the given pictures (by media time) and scores every frame high; `jitter` flips hash bits. */
function host(hashes: readonly string[], jitter = 0n) {
  let next = '0000000000000000';
  const analysed = (): HostFrameResult => ({
    status: 'analysed',
    stats: { meanLuma: 0.5, lumaStd: 0.2, edgeEnergy: 0.05, darkFraction: 0 },
    blank: false,
    aiLogit: 12,
    thumbnail: 'data:image/jpeg;base64,AAAA',
    frameHash: next,
    timings: { preprocess: 2, inference: 1, classify: 3 },
    bytes: 1000,
  });
  const client: AnalysisClient = {
    analyseImage: vi.fn(async () => analysed()),
    analyseRemote: vi.fn(async () => analysed()),
    readProvenanceClaims: vi.fn(async () => null),
    readProvenance: vi.fn(async () => ({ ...SIGNED })),
    readStreamProvenance: vi.fn(async () => SIGNED),
    listen: vi.fn(),
    hashVerifiedFrames: vi.fn(async () => null),
    forget: vi.fn(async () => undefined),
    prepare: vi.fn(async () => undefined),
  };
  return {
    client,
    /** The picture of the frame being sent. */
    current: () => next,
    /** Sets the picture of the next frame from its media time. */
    at(mediaTime: number) {
      const slot = Math.round(mediaTime / 1.5) % hashes.length;
      next = (BigInt(`0x${hashes[slot]!}`) ^ jitter).toString(16).padStart(16, '0');
    },
  };
}

/** One tab showing the clip: its own results store and frame service, sharing the profile's cache. */
function tab(
  tabId: number,
  cache: VerdictCache,
  hashes: readonly string[],
  jitter = 0n,
  /** Hash frames in the background before the host (as the extension does for canvas frames). */
  early = false,
) {
  const store = new ResultsStore(memoryArea());
  store.setFrameLimits(12, { burst: 150, perMinute: 64 }, 8);
  const h = host(hashes, jitter);
  const service = createFrameService({
    store,
    client: h.client,
    captureVisibleTab: async () => 'data:image/jpeg;base64,SHOT',
    isTabActive: async () => true,
    provenanceSettings: async () => ({
      trust: { lists: { official: true, legacy: true }, userAnchors: '' },
      maxBytes: 1e8,
    }),
    notify: async () => undefined,
    clock: () => 100,
    verdictCache: cache,
    ...(early ? { hashFrame: async () => h.current() } : {}),
  });
  const origin: Origin = { tabId, frameId: 0, windowId: 1, frameUrl: 'https://page.example/' };
  const announce = (over: Partial<VideoAnnouncement> = {}) =>
    service.videoSeen(origin, {
      id: 'v1',
      src: SRC,
      loaded: false,
      pageUrl: 'https://page.example/',
      width: 640,
      height: 360,
      ...over,
    });
  const frame = (mediaTime: number) => {
    h.at(mediaTime);
    return service.analyseFrame(origin, {
      videoId: 'v1',
      mediaTime,
      jpeg: 'data:image/jpeg;base64,AAAA',
      priority: 'visible',
      sentAt: 0,
      sincePlaying: 10,
      timings: { capture: 1, mainThread: 1, encode: 1 },
    });
  };
  const report = async () => (await store.read(tabId)).videos[0]!;
  return { store, service, origin, announce, frame, report, client: h.client };
}

/** Judges the clip in full on one tab: provenance and a label on the page, then the page's eight frames. */
async function judgeInFull(cache: VerdictCache, tabId = 1) {
  const t = tab(tabId, cache, CLIP_HASHES);
  await t.announce();
  await t.store.addSignal(tabId, 'v1', SIGNED);
  await t.service.platformReading(t.origin, 'v1', {
    adapter: 'example',
    platform: 'example',
    signals: [LABEL],
    reportUrl: null,
  });
  for (const time of FRAME_TIMES) await t.frame(time);
  return t;
}

async function remembered(store: VerdictStore): Promise<boolean> {
  return (await store.get((await mediaKey(SRC))!)) !== undefined;
}

describe('verdict cache in the frame pipeline', () => {
  it('remembers a settled video once, then restores its verdict on another tab from one matching frame', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    let now = Date.UTC(2026, 10, 30, 9, 0);
    const cache = new VerdictCache(idb, () => now);
    const first = await judgeInFull(cache);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));
    const judged = await first.report();
    expect(judged.verdict).not.toBe('pending');
    expect(judged.framesAnalysed).toBe(8);
    // What the page said is not the clip's: only media evidence is kept.
    const entry = (await idb.get((await mediaKey(SRC))!))!;
    expect(entry.judgement.signals.map((s) => s.kind).sort()).toEqual(['classifier', 'provenance']);
    expect(entry.frames).toHaveLength(8);

    now += 60 * 60 * 1000;
    const second = tab(2, cache, CLIP_HASHES, 0b10101n);
    await second.announce();
    // The same picture at about the same moment, rendered a little differently (three bits apart).
    const outcome = await second.frame(0.1);
    expect(outcome).toMatchObject({
      status: 'analysed',
      verdict: { level: withoutPage(judged), framesAnalysed: 8 },
    });
    const restored = await second.report();
    expect(fromCacheLine(judged)).toBeNull();
    expect(restored.fromCache).toMatchObject({ judgedAt: entry.savedAt, matchedAt: 0.1, restoredMs: 110 });
    expect(restored.score).toBe(judged.score);
    expect(restored.signals.some((s) => s.kind === 'platform-label')).toBe(false);
    expect(fromCacheLine(restored, { locale: 'en-GB', timeZone: 'UTC' })).toBe(
      'Judged earlier on 30 Nov 2026, 09:00; this frame matches.',
    );
    // Later frames are only compared, not analysed: the host saw one frame.
    expect(await second.frame(1.5)).toMatchObject({ status: 'analysed', verdict: { framesAnalysed: 8 } });
    expect(second.client.analyseImage).toHaveBeenCalledTimes(1);

    // This page's own label still fuses on top of the restored evidence.
    const withLabel = await second.service.platformReading(second.origin, 'v1', {
      adapter: 'example',
      platform: 'example',
      signals: [LABEL],
      reportUrl: null,
    });
    expect((await second.report()).signals.filter((s) => s.kind === 'platform-label')).toEqual([LABEL]);
    expect(withLabel.reasons.join(' ')).toContain('AI-generated');
  });

  it('restores a canvas frame hashed in the background without asking the host, and only on a match', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(idb);
    const first = await judgeInFull(cache);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));
    const judged = await first.report();

    const fast = tab(2, cache, CLIP_HASHES, 0b111n, true);
    await fast.announce();
    expect(await fast.frame(0.05)).toMatchObject({
      status: 'analysed',
      verdict: { level: withoutPage(judged), framesAnalysed: 8 },
    });
    expect(fast.client.analyseImage).not.toHaveBeenCalled();
    expect((await fast.report()).fromCache?.matchedAt).toBe(0.05);

    // Other pixels: the background does not decide; the host reads the frame, and it is analysed in full.
    const swapped = tab(3, cache, OTHER_HASHES, 0n, true);
    await swapped.announce();
    expect(await swapped.frame(0)).toMatchObject({ status: 'analysed', verdict: { framesAnalysed: 1 } });
    expect(swapped.client.analyseImage).toHaveBeenCalledTimes(1);
    expect((await swapped.report()).fromCache).toBeUndefined();
  });

  it('takes a restored judgement back when a later frame shows other pixels, keeping what the page said', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(idb);
    await judgeInFull(cache);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));

    // The same first second, then another clip: what a server that swaps content after the first frame serves.
    const spliced = tab(2, cache, [CLIP_HASHES[0]!, ...OTHER_HASHES.slice(1)], 0n, true);
    await spliced.announce();
    await spliced.service.platformReading(spliced.origin, 'v1', {
      adapter: 'example',
      platform: 'example',
      signals: [LABEL],
      reportUrl: null,
    });
    expect(await spliced.frame(0)).toMatchObject({ verdict: { framesAnalysed: 8 } });
    expect((await spliced.report()).signals.some((s) => s.kind === 'provenance')).toBe(true);

    const outcome = await spliced.frame(1.5);
    expect(outcome).toMatchObject({ status: 'analysed', verdict: { framesAnalysed: 1 } });
    const report = await spliced.report();
    expect(report.fromCache).toBeUndefined();
    expect(report.frames).toHaveLength(1);
    // The cache's evidence is gone; the page's label stays.
    expect(report.signals.some((s) => s.kind === 'provenance')).toBe(false);
    expect(report.signals.filter((s) => s.kind === 'platform-label')).toEqual([LABEL]);
    expect(spliced.client.analyseImage).toHaveBeenCalledTimes(1);
    // And the address's remembered judgement is forgotten.
    expect(await remembered(idb)).toBe(false);
  });

  it('remembers a clip its own mark decides after the first verdict’s frames, but not one only a page label decides', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(idb);
    // The page stops sampling at four frames once the verdict reads "AI-generated".
    const labelled = tab(1, cache, CLIP_HASHES);
    await labelled.announce();
    await labelled.service.platformReading(labelled.origin, 'v1', {
      adapter: 'example',
      platform: 'example',
      signals: [LABEL],
      reportUrl: null,
    });
    for (const time of FRAME_TIMES.slice(0, 4)) await labelled.frame(time);
    expect((await labelled.report()).verdict).toBe('ai');
    await new Promise((r) => setTimeout(r, 50));
    expect(await remembered(idb)).toBe(false);

    const marked = tab(2, cache, CLIP_HASHES);
    await marked.announce();
    await marked.store.addSignal(2, 'v1', MARK);
    for (const time of FRAME_TIMES.slice(0, 4)) await marked.frame(time);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));
  });

  it('does not reuse a judgement when the URL now serves other pixels, and analyses in full', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(idb);
    await judgeInFull(cache);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));

    const swapped = tab(2, cache, OTHER_HASHES);
    await swapped.announce();
    const outcome = await swapped.frame(0);
    expect(outcome).toMatchObject({ status: 'analysed', verdict: { framesAnalysed: 1 } });
    expect((await swapped.report()).fromCache).toBeUndefined();
    // One mismatch ends the lookups: a later frame showing the old picture does not bring the judgement back.
    expect(await swapped.frame(1.5)).toMatchObject({ status: 'analysed', verdict: { framesAnalysed: 2 } });
    expect((await swapped.report()).fromCache).toBeUndefined();
    expect(swapped.client.analyseImage).toHaveBeenCalledTimes(2);
  });

  it('keeps comparing while no remembered frame is of the same moment', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(idb);
    await judgeInFull(cache);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));
    const later = tab(2, cache, CLIP_HASHES);
    await later.announce();
    // 10.5 s: the first viewing sampled nothing there.
    expect(await later.frame(10.5)).toMatchObject({ verdict: { framesAnalysed: 1 } });
    expect((await later.report()).fromCache).toBeUndefined();
    expect(await later.frame(3)).toMatchObject({ verdict: { framesAnalysed: 8 } });
    expect((await later.report()).fromCache?.matchedAt).toBe(3);
  });

  it('lands each frame of a clip the cache does not know in one store visit, the settled judgement taken in it', async () => {
    const idb = new IdbVerdictStore(new IDBFactory());
    const cache = new VerdictCache(idb);
    // As the extension runs: canvas frames hashed in the background, looked up before the host is asked.
    const t = tab(1, cache, CLIP_HASHES, 0n, true);
    await t.announce();
    // The announcement's own look at the cache (a visit queued as the video is seen) is over before playback.
    await t.store.read(1);
    // Each queued read or change of a tab is one visit, whatever method asked for it.
    const visits = vi.spyOn(ResultsStore.prototype as unknown as { update: () => Promise<unknown> }, 'update');
    const perFrame: number[] = [];
    try {
      for (const time of FRAME_TIMES) {
        visits.mockClear();
        await t.frame(time);
        perFrame.push(visits.mock.calls.length);
      }
    } finally {
      visits.mockRestore();
    }
    // The first frame also closes the cache's lookups for the clip (the cache knew nothing of it).
    expect(perFrame).toEqual([2, 1, 1, 1, 1, 1, 1, 1]);
    // The eighth frame settled the judgement: remembered without a visit of its own.
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));
    expect((await idb.get((await mediaKey(SRC))!))!.frames).toHaveLength(8);
  });

  it('neither reads nor writes with the setting off', async () => {
    const { store, calls } = counting(new IdbVerdictStore(new IDBFactory()));
    const cache = new VerdictCache(store);
    await judgeInFull(cache);
    await vi.waitFor(() => expect(calls).toContain('put'));
    calls.length = 0;

    cache.setEnabled(false);
    const off = tab(2, cache, CLIP_HASHES);
    await off.announce();
    expect(await off.frame(0)).toMatchObject({ verdict: { framesAnalysed: 1 } });
    expect((await off.report()).fromCache).toBeUndefined();
    const fresh = await judgeInFull(cache, 3);
    expect((await fresh.report()).framesAnalysed).toBe(8);
    // Give any write a chance to happen before saying none did.
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
  });

  it('restores nothing after a clear, which deletes the database', async () => {
    const idbFactory = new IDBFactory();
    const idb = new IdbVerdictStore(idbFactory);
    const cache = new VerdictCache(idb);
    await judgeInFull(cache);
    await vi.waitFor(async () => expect(await remembered(idb)).toBe(true));
    await cache.clear();
    expect((await idbFactory.databases()).map((d) => d.name)).not.toContain(VERDICT_CACHE_DATABASE);
    const after = tab(2, cache, CLIP_HASHES);
    await after.announce();
    expect(await after.frame(0)).toMatchObject({ verdict: { framesAnalysed: 1 } });
    expect((await after.report()).fromCache).toBeUndefined();
  });

  it('never caches a source that names no file of its own', async () => {
    const { store, calls } = counting(new IdbVerdictStore(new IDBFactory()));
    const cache = new VerdictCache(store);
    const t = tab(1, cache, CLIP_HASHES);
    await t.announce({ src: 'blob:https://page.example/5f1e' });
    for (const time of FRAME_TIMES) await t.frame(time);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
  });
});
