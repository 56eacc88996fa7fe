import { describe, expect, it } from 'vitest';
import type { FaceRecord, TabResults } from '../../lib/core/report';
import { type FrameResultInput, ResultsStore, type SessionArea } from '../../lib/background/results-store';

/** `storage.session` in memory, cloning values in and out as the real area serialises them. */
class MemoryArea implements SessionArea {
  readonly data = new Map<string, unknown>();
  async get(key: string): Promise<Record<string, unknown>> {
    return this.data.has(key) ? { [key]: structuredClone(this.data.get(key)) } : {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

const TAB = 3;
const face = (aiLogit: number | null): FaceRecord => ({
  box: { x: 0.3, y: 0.2, width: 0.25, height: 0.3 },
  detectorScore: 0.93,
  aiLogit,
  crop: 'data:image/jpeg;base64,AAAA',
});

function frame(i: number, faces: FaceRecord[] | null | undefined): FrameResultInput {
  return {
    mediaTime: i,
    framePath: 'canvas',
    blank: false,
    timings: { capture: 1, mainThread: 1, encode: 1, transfer: 1, preprocess: 1, inference: 1, classify: 1 },
    transferBytes: 1000,
    thumbnail: null,
    sincePlaying: 100 * i,
    aiLogit: -1,
    ...(faces === undefined ? {} : { faces }),
  };
}

async function storeWith(faces: (i: number) => FaceRecord[] | null | undefined) {
  const area = new MemoryArea();
  const store = new ResultsStore(area, () => 1000);
  await store.videoSeen(TAB, 0, {
    id: 'v',
    src: 'https://x.example/a.mp4',
    pageUrl: 'https://x.example/',
    width: 1,
    height: 1,
  });
  for (let i = 0; i < 6; i++) await store.recordFrame(TAB, 'v', frame(i, faces(i)));
  await store.flush();
  return { area, video: (area.data.get(`tab:${TAB}`) as TabResults).videos[0]! };
}

describe('faces in the results contract', () => {
  it('are kept per frame in storage, with null where the detector did not run', async () => {
    const { video } = await storeWith((i) => (i === 0 ? null : i === 1 ? undefined : i % 2 ? [] : [face(2.5)]));
    expect(video.frames.map((f) => f.faces)).toEqual([null, null, [face(2.5)], [], [face(2.5)], []]);
  });

  it('survive a service-worker restart (the store reads them back)', async () => {
    const { area } = await storeWith(() => [face(1)]);
    const again = new ResultsStore(area, () => 2000);
    const results = await again.read(TAB);
    expect(results.videos[0]!.frames.every((f) => f.faces?.[0]?.aiLogit === 1)).toBe(true);
  });

  it('do not change the verdict: face scores are evidence only', async () => {
    const without = (await storeWith(() => null)).video;
    const withAiLookingFaces = (await storeWith(() => [face(8), face(8)])).video;
    expect(withAiLookingFaces.verdict).toBe(without.verdict);
    expect(withAiLookingFaces.score).toBe(without.score);
    expect(withAiLookingFaces.reasons).toEqual(without.reasons);
    expect(withAiLookingFaces.signals).toEqual(without.signals);
  });
});
