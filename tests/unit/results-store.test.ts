import { beforeEach, describe, expect, it } from 'vitest';
import type { TabResults, VideoReport } from '../../lib/core/report';
import type { ClassifierSignal, ProvenanceSignal, Signal, WatermarkSignal } from '../../lib/core/signals';
import type { VideoAnnouncement } from '../../lib/messaging/protocol';
import {
  TAB_ALLOWANCE,
  MAX_FRAMES_PER_VIDEO,
  RESULTS_WRITE_DELAY_MS,
  ResultsStore,
  type FrameResultInput,
  type SessionArea,
} from '../../lib/background/results-store';

/**
 * `storage.session` in memory. Values are cloned in and out, as the real area
 * serialises them, and every call yields to the event loop so that unsynchronised
 * read-modify-write sequences would interleave and lose updates.
 */
class MemoryArea implements SessionArea {
  readonly data = new Map<string, unknown>();
  writes = 0;

  async get(key: string): Promise<Record<string, unknown>> {
    await tick();
    return this.data.has(key) ? { [key]: structuredClone(this.data.get(key)) } : {};
  }

  async set(items: Record<string, unknown>): Promise<void> {
    await tick();
    for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
    this.writes++;
  }

  async remove(key: string): Promise<void> {
    await tick();
    this.data.delete(key);
  }

  stored(tabId: number): TabResults | undefined {
    return this.data.get(`tab:${tabId}`) as TabResults | undefined;
  }

  video(tabId: number, id: string): VideoReport | undefined {
    return this.stored(tabId)?.videos.find((v) => v.id === id);
  }
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const TAB = 7;
const FRAME_ID = 0;
/** A corner mark's place, in fractions of the frame. */
const KLING_BOX = { x: 0.8, y: 0.9, width: 0.15, height: 0.05 };

function announce(overrides: Partial<VideoAnnouncement> = {}): VideoAnnouncement {
  return {
    id: 'v1',
    src: 'https://cdn.example/a.mp4',
    pageUrl: 'https://example.com/',
    width: 640,
    height: 360,
    ...overrides,
  };
}

function frame(overrides: Partial<FrameResultInput> = {}): FrameResultInput {
  return {
    mediaTime: 1,
    framePath: 'canvas',
    blank: false,
    timings: { capture: 1, mainThread: 2, encode: 3, transfer: 4, preprocess: 5, inference: 6, classify: 0 },
    transferBytes: 1000,
    thumbnail: null,
    sincePlaying: 500,
    aiLogit: null,
    ...overrides,
  };
}

function classifier(score: number): ClassifierSignal {
  return {
    kind: 'classifier',
    model: 'clf',
    score,
    framesScored: 4,
    thresholds: { likelyAi: 0.8, uncertain: 0.4, noSigns: 0.4 },
  };
}

let area: MemoryArea;
let time: number;
let store: ResultsStore;
const now = () => time;

beforeEach(() => {
  area = new MemoryArea();
  time = 1_000;
  store = new ResultsStore(area, now);
});

describe('ResultsStore.videoSeen', () => {
  it('creates a pending report stored under tab:<id> with the documented fields', async () => {
    const summary = await store.videoSeen(TAB, FRAME_ID, announce());
    expect(summary).toEqual({
      level: 'pending',
      score: null,
      reasons: ['Not analysed yet.'],
      framesAnalysed: 0,
      framePath: null,
      flagged: false,
    });

    await store.flush();
    const stored = area.data.get('tab:7') as TabResults;
    expect(stored.videos).toHaveLength(1);
    expect(stored.videos[0]).toMatchObject({
      id: 'v1',
      src: 'https://cdn.example/a.mp4',
      frameId: FRAME_ID,
      pageUrl: 'https://example.com/',
      verdict: 'pending',
      score: null,
      reasons: ['Not analysed yet.'],
      signals: [],
      framesAnalysed: 0,
      framePath: null,
      thumbnail: null,
      frames: [],
      firstVerdictMs: null,
      width: 640,
      height: 360,
      firstSeenAt: 1_000,
      updatedAt: 1_000,
    });
  });

  it('keeps frames when the same source is announced again with a new size', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.recordFrame(TAB, 'v1', frame());
    const summary = await store.videoSeen(TAB, FRAME_ID, announce({ width: 1280, height: 720 }));
    expect(summary.framesAnalysed).toBe(1);
    await store.flush();
    expect(area.video(TAB, 'v1')).toMatchObject({ width: 1280, height: 720, framesAnalysed: 1 });
  });

  it('resets the report when the video element switched to another source', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.recordFrame(TAB, 'v1', frame());
    await store.addSignal(TAB, 'v1', classifier(0.9));
    time = 5_000;
    const summary = await store.videoSeen(TAB, FRAME_ID, announce({ src: 'https://cdn.example/b.mp4' }));
    expect(summary.level).toBe('pending');
    expect(summary.framesAnalysed).toBe(0);
    await store.flush();
    expect(area.video(TAB, 'v1')).toMatchObject({
      src: 'https://cdn.example/b.mp4',
      verdict: 'pending',
      signals: [],
      frames: [],
      framesAnalysed: 0,
      firstSeenAt: 5_000,
    });
  });
});

describe('ResultsStore.recordFrame', () => {
  beforeEach(async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
  });

  it('counts the frame, records its path and makes the verdict uncertain after a frame with picture', async () => {
    time = 2_000;
    const report = await store.recordFrame(TAB, 'v1', frame({ framePath: 'tab-capture', mediaTime: 3.5 }));
    expect(report).toMatchObject({
      framesAnalysed: 1,
      framePath: 'tab-capture',
      verdict: 'uncertain',
      updatedAt: 2_000,
    });
    expect(report?.frames).toEqual([expect.objectContaining({ mediaTime: 3.5, blank: false, analysedAt: 2_000 })]);
    await store.flush();
    expect(area.video(TAB, 'v1')).toMatchObject({ framesAnalysed: 1, framePath: 'tab-capture', verdict: 'uncertain' });
  });

  it('is unavailable when every frame so far was blank', async () => {
    await store.recordFrame(TAB, 'v1', frame({ blank: true }));
    const report = await store.recordFrame(TAB, 'v1', frame({ blank: true }));
    expect(report?.verdict).toBe('unavailable');
    expect(report?.reasons[0]).toMatch(/black or blank \(2 checked\)/);
    await store.flush();
    expect(area.video(TAB, 'v1')?.verdict).toBe('unavailable');
  });

  it('sets firstVerdictMs once, from the first frame with picture', async () => {
    const blank = await store.recordFrame(TAB, 'v1', frame({ blank: true, sincePlaying: 100 }));
    expect(blank?.firstVerdictMs).toBeNull();
    await store.recordFrame(TAB, 'v1', frame({ sincePlaying: 1_234 }));
    const later = await store.recordFrame(TAB, 'v1', frame({ sincePlaying: 9_999 }));
    expect(later?.firstVerdictMs).toBe(1_234);
    await store.flush();
    expect(area.video(TAB, 'v1')?.firstVerdictMs).toBe(1_234);
  });

  it('keeps the first thumbnail until a frame with picture brings a better one', async () => {
    await store.recordFrame(TAB, 'v1', frame({ blank: true, thumbnail: 'data:blank1' }));
    expect((await store.recordFrame(TAB, 'v1', frame({ blank: true, thumbnail: 'data:blank2' })))?.thumbnail).toBe(
      'data:blank1',
    );
    expect((await store.recordFrame(TAB, 'v1', frame({ thumbnail: 'data:picture' })))?.thumbnail).toBe('data:picture');
  });

  it('returns undefined for a video it does not know', async () => {
    await expect(store.recordFrame(TAB, 'nope', frame())).resolves.toBeUndefined();
  });

  it('loses no update when frames arrive concurrently', async () => {
    const reports = await Promise.all(
      [1, 2, 3, 4, 5].map((t) => store.recordFrame(TAB, 'v1', frame({ mediaTime: t }))),
    );
    expect(reports.map((r) => r?.framesAnalysed)).toEqual([1, 2, 3, 4, 5]);
    await store.flush();
    const stored = area.video(TAB, 'v1');
    expect(stored?.framesAnalysed).toBe(5);
    expect(stored?.frames.map((f) => f.mediaTime)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns a copy, not the live report', async () => {
    const first = await store.recordFrame(TAB, 'v1', frame());
    await store.recordFrame(TAB, 'v1', frame());
    expect(first?.framesAnalysed).toBe(1);
  });
});

describe('ResultsStore.markUnavailable', () => {
  beforeEach(async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
  });

  it('makes the video unavailable with the given detail', async () => {
    const summary = await store.markUnavailable(TAB, 'v1', 'drm', 'This video is DRM-protected.');
    expect(summary).toMatchObject({ level: 'unavailable', reasons: ['This video is DRM-protected.'] });
    await store.flush();
    expect(area.video(TAB, 'v1')?.signals).toEqual([
      { kind: 'unavailable', reason: 'drm', detail: 'This video is DRM-protected.' },
    ]);
  });

  it('is cleared by a later frame with picture', async () => {
    await store.markUnavailable(TAB, 'v1', 'load-error', 'Failed to load.');
    const report = await store.recordFrame(TAB, 'v1', frame());
    expect(report?.verdict).toBe('uncertain');
    expect(report?.signals.some((s) => s.kind === 'unavailable')).toBe(false);
  });

  it('is not cleared by a blank frame', async () => {
    await store.markUnavailable(TAB, 'v1', 'load-error', 'Failed to load.');
    const report = await store.recordFrame(TAB, 'v1', frame({ blank: true }));
    expect(report).toMatchObject({ verdict: 'unavailable', reasons: ['Failed to load.'] });
  });

  it('returns undefined for a video it does not know', async () => {
    await expect(store.markUnavailable(TAB, 'nope', 'drm', 'x')).resolves.toBeUndefined();
  });
});

describe('ResultsStore: videos coming and going', () => {
  it('forgets a video that left the page', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce({ id: 'v1' }));
    await store.videoSeen(TAB, FRAME_ID, announce({ id: 'v2' }));
    await store.videoGone(TAB, 'v1');
    await store.flush();
    expect(area.stored(TAB)?.videos.map((v) => v.id)).toEqual(['v2']);
  });

  it('on a new document drops videos first seen before its time origin and keeps later ones', async () => {
    time = 1_000;
    await store.videoSeen(TAB, FRAME_ID, announce({ id: 'old' }));
    time = 2_000;
    await store.videoSeen(TAB, FRAME_ID, announce({ id: 'new' }));
    await store.pageStarted(TAB, 'https://example.com/next', 1_500);
    await store.flush();
    const stored = area.stored(TAB);
    expect(stored?.url).toBe('https://example.com/next');
    expect(stored?.videos.map((v) => v.id)).toEqual(['new']);
  });

  it('records an in-place URL change', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.pageChanged(TAB, 'https://example.com/#2');
    await store.flush();
    expect(area.stored(TAB)).toMatchObject({ url: 'https://example.com/#2', videos: [{ id: 'v1' }] });
  });

  it('keeps tabs apart', async () => {
    await store.videoSeen(1, FRAME_ID, announce({ id: 'a' }));
    await store.videoSeen(2, FRAME_ID, announce({ id: 'b' }));
    await store.flush();
    expect(area.stored(1)?.videos.map((v) => v.id)).toEqual(['a']);
    await store.flush();
    expect(area.stored(2)?.videos.map((v) => v.id)).toEqual(['b']);
  });

  it('deletes the storage key of a closed tab', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.flush();
    expect(area.data.has('tab:7')).toBe(true);
    await store.removeTab(TAB);
    await store.flush();
    expect(area.data.has('tab:7')).toBe(false);
    await expect(store.read(TAB)).resolves.toEqual({ url: '', videos: [] });
  });
});

describe('ResultsStore.budgetLeft', () => {
  it('is unknown-video for an id it never saw', async () => {
    await expect(store.budgetLeft(TAB, 'ghost')).resolves.toBe('unknown-video');
  });

  it(`allows frames until ${MAX_FRAMES_PER_VIDEO} were analysed for the video`, async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    for (let i = 0; i < MAX_FRAMES_PER_VIDEO - 1; i++) await store.recordFrame(TAB, 'v1', frame());
    await expect(store.budgetLeft(TAB, 'v1')).resolves.toBe('ok');
    await store.recordFrame(TAB, 'v1', frame());
    await expect(store.budgetLeft(TAB, 'v1')).resolves.toBe('budget');
  });

  it(`lets a page full of videos use ${TAB_ALLOWANCE.burst} frames at once, then holds the next video back until the allowance refills`, async () => {
    const perVideo = 10;
    for (let v = 0; v < TAB_ALLOWANCE.burst / perVideo; v++) {
      await store.videoSeen(TAB, FRAME_ID, announce({ id: `v${v}`, src: `https://cdn.example/${v}.mp4` }));
      await Promise.all(Array.from({ length: perVideo }, () => store.recordFrame(TAB, `v${v}`, frame())));
    }
    await store.videoSeen(TAB, FRAME_ID, announce({ id: 'fresh', src: 'https://cdn.example/fresh.mp4' }));
    await expect(store.budgetLeft(TAB, 'fresh')).resolves.toBe('tab-budget');
    // Videos that left the page still count: the allowance is on work done, not on what is on the page.
    await store.videoGone(TAB, 'v0');
    await expect(store.budgetLeft(TAB, 'fresh')).resolves.toBe('tab-budget');
    // One frame's worth of refill later, the fresh video gets its turn.
    time += Math.ceil(60_000 / TAB_ALLOWANCE.perMinute);
    await expect(store.budgetLeft(TAB, 'fresh')).resolves.toBe('ok');
  });

  it('keeps judging a long feed at the steady rate once the burst is spent', async () => {
    const minutes = 5;
    let analysed = 0;
    const step = 60_000 / (TAB_ALLOWANCE.perMinute / 4);
    for (let t = 0; t < minutes * 60_000; t += step) {
      const id = `v${t}`;
      await store.videoSeen(TAB, FRAME_ID, announce({ id, src: `https://cdn.example/${id}.mp4` }));
      // Twice the steady rate is asked for, so the burst is spent and the rate is what limits.
      for (let f = 0; f < 8; f++) {
        if ((await store.budgetLeft(TAB, id)) !== 'ok') break;
        await store.recordFrame(TAB, id, frame());
        analysed++;
      }
      time += step;
    }
    // Under the old total cap this stopped at 150 frames; now the burst plus about 64 a minute.
    expect(analysed).toBeGreaterThanOrEqual(TAB_ALLOWANCE.burst + TAB_ALLOWANCE.perMinute * (minutes - 1));
    expect(analysed).toBeLessThanOrEqual(TAB_ALLOWANCE.burst + TAB_ALLOWANCE.perMinute * minutes);
  });

  it('a restarted background starts the tab with a full allowance', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    store.setFrameLimits(MAX_FRAMES_PER_VIDEO, { burst: 1, perMinute: 1 });
    await store.recordFrame(TAB, 'v1', frame());
    await expect(store.budgetLeft(TAB, 'v1')).resolves.toBe('tab-budget');
    await store.flush();
    const restarted = new ResultsStore(area, now);
    restarted.setFrameLimits(MAX_FRAMES_PER_VIDEO, { burst: 1, perMinute: 1 });
    await expect(restarted.budgetLeft(TAB, 'v1')).resolves.toBe('ok');
  });

  it('does not write to storage', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    const writes = area.writes;
    await store.budgetLeft(TAB, 'v1');
    expect(area.writes).toBe(writes);
  });
});

describe('ResultsStore.addSignal', () => {
  beforeEach(async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.recordFrame(TAB, 'v1', frame());
  });

  it('re-judges the video with a classifier signal', async () => {
    const report = await store.addSignal(TAB, 'v1', classifier(0.95));
    expect(report).toMatchObject({ verdict: 'likely-ai', score: 0.95 });
    await store.flush();
    expect(area.video(TAB, 'v1')).toMatchObject({ verdict: 'likely-ai', score: 0.95 });
  });

  it('replaces an older classifier reading instead of adding to it', async () => {
    await store.addSignal(TAB, 'v1', classifier(0.95));
    const report = await store.addSignal(TAB, 'v1', classifier(0.1));
    expect(report).toMatchObject({ verdict: 'no-signs', score: 0.1 });
    expect(report?.signals.filter((s) => s.kind === 'classifier')).toEqual([classifier(0.1)]);
    // The frame pipeline's own signal survives the replacement.
    expect(report?.signals.some((s) => s.kind === 'frame-quality')).toBe(true);
  });

  it('keeps several watermark signals side by side', async () => {
    const mark = (generator: string): WatermarkSignal => ({
      kind: 'watermark',
      generator,
      text: generator,
      frames: 2,
      box: { x: 0, y: 0, width: 1, height: 1 },
    });
    await store.addSignal(TAB, 'v1', mark('Sora'));
    const report = await store.addSignal(TAB, 'v1', mark('Veo'));
    expect(report?.signals.filter((s) => s.kind === 'watermark')).toHaveLength(2);
    expect(report?.verdict).toBe('ai');
  });

  it('keeps added signals when later frames arrive', async () => {
    await store.addSignal(TAB, 'v1', classifier(0.95));
    const report = await store.recordFrame(TAB, 'v1', frame());
    expect(report).toMatchObject({ verdict: 'likely-ai', score: 0.95, framesAnalysed: 2 });
  });

  it('returns undefined for a video it does not know', async () => {
    await expect(store.addSignal(TAB, 'nope', classifier(0.5))).resolves.toBeUndefined();
  });
});

describe('ResultsStore: frames read for watermarks', () => {
  const SRC = announce().src;
  const kling = { sightings: [{ generator: 'Kling', moving: false, text: 'KlingAI', box: KLING_BOX, logo: false }] };

  it('admits a frame’s larger copy only while the host said its reader has room, its latest word counting', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await expect(store.admitFrame(TAB, 'v1', true)).resolves.toMatchObject({ status: 'ok', readWatermark: true });
    // No copy from the page, no reading.
    await expect(store.admitFrame(TAB, 'v1', false)).resolves.toMatchObject({ readWatermark: false });
    await store.recordFrame(TAB, 'v1', frame({ ocr: { frames: 0, done: false, version: 5 } }));
    await expect(store.admitFrame(TAB, 'v1', true)).resolves.toMatchObject({ readWatermark: false });
    // A word the host gave earlier, arriving late, does not open the room again; a later one does.
    await store.recordWatermark(TAB, 'v1', { frame: null, room: { frames: 2, done: false, version: 4 } }, SRC);
    await expect(store.admitFrame(TAB, 'v1', true)).resolves.toMatchObject({ readWatermark: false });
    await store.recordWatermark(TAB, 'v1', { frame: null, room: { frames: 1, done: false, version: 6 } }, SRC);
    await expect(store.admitFrame(TAB, 'v1', true)).resolves.toMatchObject({ readWatermark: true });
  });

  it('sends no frame to the reader once a declaration made the verdict "ai", and only then', async () => {
    // Sora's credentials under the bundled legacy list, the file's frames matched with what the page showed.
    const declared: ProvenanceSignal = {
      kind: 'provenance',
      state: 'valid',
      trust: 'legacy',
      declaresAi: true,
      captureDevice: false,
      digitalSourceTypes: ['trainedAlgorithmicMedia'],
      generator: 'OpenAI Sora',
      source: 'file',
      shown: 'matched',
    };
    const readsMarks = async (id: string) => {
      const admission = await store.admitFrame(TAB, id, true);
      const landed = await store.landFrame({ tabId: TAB, videoId: id, frame: frame(), remember: false });
      return { read: admission.status === 'ok' && admission.readWatermark, done: landed?.ocrDone };
    };
    const cases: Array<[string, Signal | null, boolean]> = [
      ['nothing yet', null, true],
      ['a trusted declaration, frames matched', declared, false],
      // A page can answer the extension with other bytes than it plays: until the frames match, it decides nothing.
      ['a trusted declaration, frames not compared yet', { ...declared, shown: 'unconfirmed' }, true],
      ['a trusted declaration on other bytes than shown', { ...declared, shown: 'differs' }, true],
      // An unknown signer's declaration makes "likely AI": a mark would make it "ai".
      ['a declaration no list vouches for', { ...declared, state: 'untrusted', trust: undefined }, true],
      [
        'the platform’s label',
        { kind: 'platform-label', platform: 'example', label: 'AI-generated', source: 'platform' },
        false,
      ],
      [
        'the post’s own words',
        { kind: 'platform-label', platform: 'example', label: '#ai', source: 'creator-text' },
        true,
      ],
    ];
    for (const [i, [what, signal, reads]] of cases.entries()) {
      const id = `v${i}`;
      await store.videoSeen(TAB, FRAME_ID, announce({ id, src: `https://cdn.example/${id}.mp4` }));
      if (signal) await store.addSignal(TAB, id, signal);
      expect({ what, ...(await readsMarks(id)) }).toEqual({ what, read: reads, done: !reads });
    }
  });

  it('makes the watermark signal from the frames’ sightings, and lands nothing on a video that changed source', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.recordFrame(TAB, 'v1', frame());
    expect(
      await store.recordWatermark(TAB, 'v1', { frame: kling, room: { frames: 1, done: false, version: 1 } }, SRC),
    ).toBe(undefined);
    // The page swapped the clip before the second reading came back: it belongs to the old one.
    await store.videoSeen(TAB, FRAME_ID, announce({ src: 'https://cdn.example/other.mp4' }));
    await store.recordWatermark(TAB, 'v1', { frame: kling, room: { frames: 1, done: false, version: 2 } }, SRC);
    await store.flush();
    expect(area.video(TAB, 'v1')?.signals.some((s) => s.kind === 'watermark')).toBe(false);
    const other = 'https://cdn.example/other.mp4';
    await store.recordWatermark(TAB, 'v1', { frame: kling, room: { frames: 1, done: false, version: 3 } }, other);
    const report = await store.recordWatermark(
      TAB,
      'v1',
      { frame: kling, room: { frames: 0, done: false, version: 4 } },
      other,
    );
    expect(report?.signals).toContainEqual(
      expect.objectContaining({ kind: 'watermark', generator: 'Kling', frames: 2 }),
    );
    expect(report?.verdict).toBe('ai');
    await store.flush();
    expect(area.video(TAB, 'v1')?.watermarkFrames).toHaveLength(2);
  });

  it('lands no reading on a judgement restored from the verdict cache: it carries its own watermark', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    const sora: WatermarkSignal = { kind: 'watermark', generator: 'Sora', text: 'Sora', frames: 4, box: KLING_BOX };
    const origin = { judgedAt: 1, matchedAt: 0, restoredAt: 2, restoredMs: 30 };
    const judgement = {
      signals: [sora],
      frames: [],
      framesAnalysed: 8,
      blankFrames: 0,
      thumbnail: null,
      frameModel: 'x',
    };
    await store.restore(TAB, 'v1', judgement, origin, SRC);
    for (let version = 1; version <= 2; version++)
      expect(
        await store.recordWatermark(TAB, 'v1', { frame: kling, room: { frames: 1, done: false, version } }, SRC),
      ).toBe(undefined);
    await store.flush();
    const report = area.video(TAB, 'v1')!;
    expect(report.signals.filter((s) => s.kind === 'watermark')).toEqual([sora]);
    expect(report.watermarkFrames).toBeUndefined();
  });
});

describe('ResultsStore after a service worker restart', () => {
  it('reads previous data back from the session area', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.recordFrame(TAB, 'v1', frame({ framePath: 'offscreen-fetch' }));
    const before = await store.read(TAB);

    await store.flush();
    const restarted = new ResultsStore(area, now);
    await expect(restarted.read(TAB)).resolves.toEqual(before);
    const report = await restarted.recordFrame(TAB, 'v1', frame());
    expect(report?.framesAnalysed).toBe(2);
  });

  it('restores the blank-frame count, so all-blank stays unavailable', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.recordFrame(TAB, 'v1', frame({ blank: true }));
    await store.recordFrame(TAB, 'v1', frame({ blank: true }));

    await store.flush();
    const restarted = new ResultsStore(area, now);
    const report = await restarted.recordFrame(TAB, 'v1', frame({ blank: true }));
    expect(report).toMatchObject({ framesAnalysed: 3, verdict: 'unavailable' });
  });

  it('restores an unavailable reason', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.markUnavailable(TAB, 'v1', 'drm', 'DRM-protected.');

    await store.flush();
    const restarted = new ResultsStore(area, now);
    const report = await restarted.recordFrame(TAB, 'v1', frame({ blank: true }));
    expect(report).toMatchObject({ verdict: 'unavailable', reasons: ['DRM-protected.'] });
  });

  it('loses no update when the first calls after the restart race', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.flush();
    const restarted = new ResultsStore(area, now);
    await Promise.all([1, 2, 3, 4, 5].map(() => restarted.recordFrame(TAB, 'v1', frame())));
    await restarted.flush();
    expect(area.video(TAB, 'v1')?.framesAnalysed).toBe(5);
  });
});

describe('ResultsStore: writes to storage', () => {
  /** Resolves once `check` holds, polling between turns of the event loop (no fixed sleep). */
  async function until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('carries many changes in one write of the latest state, soon after them', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    for (let i = 0; i < 20; i++) await store.recordFrame(TAB, 'v1', frame());
    // Every change is in memory at once; the stored copy follows within the write delay.
    expect((await store.read(TAB)).videos[0]?.framesAnalysed).toBe(20);
    await until(() => area.video(TAB, 'v1')?.framesAnalysed === 20);
    // One write per tab per delay: far fewer than the 21 changes (one per change before).
    expect(area.writes).toBeLessThanOrEqual(3);
  });

  it('writes nothing back for a tab closed while a write was due', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.removeTab(TAB);
    await new Promise((resolve) => setTimeout(resolve, 2 * RESULTS_WRITE_DELAY_MS));
    expect(area.data.has('tab:7')).toBe(false);
  });

  it('writes nothing back after "Clear all data"', async () => {
    await store.videoSeen(TAB, FRAME_ID, announce());
    await store.clearAll();
    area.data.clear();
    await new Promise((resolve) => setTimeout(resolve, 2 * RESULTS_WRITE_DELAY_MS));
    expect(area.data.size).toBe(0);
  });

  it('keeps the tab going when a write fails, and writes it with the next change', async () => {
    const failing = new MemoryArea();
    let fail = true;
    const set = failing.set.bind(failing);
    failing.set = async (items) => {
      if (fail) throw new Error('quota');
      await set(items);
    };
    const s = new ResultsStore(failing, now);
    await s.videoSeen(TAB, FRAME_ID, announce());
    await s.flush();
    expect(failing.stored(TAB)).toBeUndefined();
    fail = false;
    expect((await s.recordFrame(TAB, 'v1', frame()))?.framesAnalysed).toBe(1);
    await s.flush();
    expect(failing.video(TAB, 'v1')?.framesAnalysed).toBe(1);
  });
});
