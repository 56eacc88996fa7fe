import { describe, expect, it, vi } from 'vitest';
import type { AnalysisClient } from '../../../lib/background/analysis-client';
import { type FrameImageArea, FrameImageStore } from '../../../lib/background/frame-images';
import { frameImagesKey, type StoredFrameImage } from '../../../lib/core/report';
import { createFrameService } from '../../../lib/background/frame-service';
import { ResultsStore } from '../../../lib/background/results-store';
import type { HostFrameResult } from '../../../lib/messaging/protocol';

function memoryArea() {
  const data = new Map<string, unknown>();
  const area: FrameImageArea = {
    get: async (keys) => {
      if (keys === null) return Object.fromEntries([...data].map(([k, v]) => [k, structuredClone(v)]));
      return data.has(keys) ? { [keys]: structuredClone(data.get(keys)) } : {};
    },
    set: async (items) => {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    remove: async (keys) => {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
  return { area, data };
}

const jpeg = (n: number) => `data:image/jpeg;base64,${'A'.repeat(n)}`;
const framesOf = (data: Map<string, unknown>, key: string) => (data.get(key) as StoredFrameImage[] | undefined) ?? [];

describe('frame images in storage.session', () => {
  it('keeps the last frames per video, replacing a frame of the same media time', async () => {
    const { area, data } = memoryArea();
    const store = new FrameImageStore(area, 1_000_000, 3);
    for (const t of [1, 2, 3, 4]) await store.add(7, 'v', { mediaTime: t, jpeg: jpeg(10) });
    await store.add(7, 'v', { mediaTime: 4, jpeg: jpeg(12) });
    expect(framesOf(data, frameImagesKey(7, 'v')).map((f) => [f.mediaTime, f.jpeg.length])).toEqual([
      [2, 33],
      [3, 33],
      [4, 35],
    ]);
    // Not a JPEG data URL: ignored.
    await store.add(7, 'v', { mediaTime: 9, jpeg: 'data:image/png;base64,AAAA' });
    expect(framesOf(data, frameImagesKey(7, 'v'))).toHaveLength(3);
  });

  it('stays within its budget by dropping the videos written longest ago, never the one being written', async () => {
    const { area, data } = memoryArea();
    const store = new FrameImageStore(area, 3 * (1000 + 23 + 32), 12);
    await store.add(1, 'old', { mediaTime: 0, jpeg: jpeg(1000) });
    await store.add(2, 'mid', { mediaTime: 0, jpeg: jpeg(1000) });
    await store.add(3, 'new', { mediaTime: 0, jpeg: jpeg(1000) });
    expect(data.size).toBe(3);
    await store.add(3, 'new', { mediaTime: 1, jpeg: jpeg(1000) });
    expect([...data.keys()].sort()).toEqual([frameImagesKey(2, 'mid'), frameImagesKey(3, 'new')]);
    // A worker that restarts rebuilds its index from storage and keeps to the budget.
    const restarted = new FrameImageStore(area, 3 * (1000 + 23 + 32), 12);
    await restarted.add(4, 'next', { mediaTime: 0, jpeg: jpeg(1000) });
    expect(data.has(frameImagesKey(4, 'next'))).toBe(true);
    expect(data.size).toBe(2);
  });

  it('forgets a tab’s frames except the videos still on it', async () => {
    const { area, data } = memoryArea();
    const store = new FrameImageStore(area);
    await store.add(5, 'a', { mediaTime: 0, jpeg: jpeg(4) });
    await store.add(5, 'b', { mediaTime: 0, jpeg: jpeg(4) });
    await store.add(6, 'c', { mediaTime: 0, jpeg: jpeg(4) });
    await store.forgetTab(5, ['b']);
    expect([...data.keys()].sort()).toEqual([frameImagesKey(5, 'b'), frameImagesKey(6, 'c')]);
    await store.forgetVideo(5, 'b');
    await store.forgetTab(6);
    expect(data.size).toBe(0);
  });

  it('the frame service keeps the page’s JPEG for canvas frames and the host’s thumbnail for screenshots', async () => {
    const { area, data } = memoryArea();
    const analysed = (thumbnail: string | null): HostFrameResult => ({
      status: 'analysed',
      stats: { meanLuma: 0.5, lumaStd: 0.2, edgeEnergy: 0.05, darkFraction: 0 },
      blank: false,
      aiLogit: 1,
      thumbnail,
      timings: { preprocess: 1, inference: 1, classify: 1 },
      bytes: 100,
    });
    const analyseImage = vi.fn(async (req: { wantThumbnail: boolean }) =>
      analysed(req.wantThumbnail ? 'data:image/jpeg;base64,VEhVTUI=' : null),
    );
    const client: AnalysisClient = {
      analyseImage,
      analyseRemote: vi.fn(async () => analysed('data:image/jpeg;base64,UkVNT1RF')),
      readProvenanceClaims: vi.fn(async () => null),
      readProvenance: vi.fn(async () => ({
        kind: 'provenance' as const,
        state: 'absent' as const,
        declaresAi: false,
        captureDevice: false,
        digitalSourceTypes: [],
      })),
      readStreamProvenance: vi.fn(),
      listen: vi.fn(),
      hashVerifiedFrames: vi.fn(async () => null),
      forget: vi.fn(async () => undefined),
      prepare: vi.fn(async () => undefined),
    };
    const frameImages = new FrameImageStore(area);
    const service = createFrameService({
      store: new ResultsStore(memoryArea().area),
      client,
      captureVisibleTab: async () => 'data:image/jpeg;base64,U0NSRUVO',
      isTabActive: async () => true,
      provenanceSettings: async () => ({
        trust: { lists: { official: true, legacy: true }, userAnchors: '' },
        maxBytes: 1,
      }),
      notify: async () => undefined,
      frameImages,
    });
    const origin = { tabId: 7, frameId: 0, windowId: 1, frameUrl: 'https://example.test/' };
    await service.videoSeen(origin, { id: 'v', src: 'blob:x', pageUrl: 'https://p/', width: 640, height: 360 });
    const base = { videoId: 'v', priority: 'visible' as const, sentAt: 0, sincePlaying: 0 };
    await service.analyseFrame(origin, {
      ...base,
      mediaTime: 1,
      jpeg: 'data:image/jpeg;base64,UEFHRQ==',
      timings: { capture: 0, mainThread: 0, encode: 0 },
    });
    await service.captureTabFrame(origin, {
      ...base,
      mediaTime: 2,
      rect: { x: 0, y: 0, width: 640, height: 360 },
      viewport: { width: 1280, height: 800 },
    });
    await service.fetchVideoFrame(origin, { ...base, mediaTime: 3, src: 'https://v/clip.mp4' });
    await vi.waitFor(() => expect(framesOf(data, frameImagesKey(7, 'v'))).toHaveLength(3));
    expect(framesOf(data, frameImagesKey(7, 'v'))).toEqual([
      { mediaTime: 1, jpeg: 'data:image/jpeg;base64,UEFHRQ==' },
      { mediaTime: 2, jpeg: 'data:image/jpeg;base64,VEhVTUI=' },
      { mediaTime: 3, jpeg: 'data:image/jpeg;base64,UkVNT1RF' },
    ]);
    // The screenshot path asked the host for a thumbnail even though the video had one already.
    expect(analyseImage.mock.calls.at(-1)![0].wantThumbnail).toBe(true);
    await service.videoGone(origin, 'v');
    expect(data.size).toBe(0);
  });
});
