import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalysisHost } from '../../lib/analysis/analysis-host';
import type { FrameStatsModel } from '../../lib/analysis/frame-stats-model';
import { OCR_FRAMES_WITHOUT_SIGHTING } from '../../lib/analysis/watermark/ocr-budget';
import type { OcrResponse } from '../../lib/analysis/watermark/ocr-worker-protocol';
import { WatermarkService } from '../../lib/analysis/watermark/watermark-service';
import { createFrameService, type Origin } from '../../lib/background/frame-service';
import { inProcessClient } from '../../lib/background/in-process-client';
import { ResultsStore } from '../../lib/background/results-store';
import type { WatermarkSignal } from '../../lib/core/signals';
import { HOST_CALL_NAMES, type HostEventSink } from '../../lib/messaging/protocol';
import type { ProvenanceChecker } from '../../lib/provenance/provenance-checker';
import type { RemoteVideoReader } from '../../lib/analysis/remote-video-reader';
import { memoryArea } from './memory-session-area';

// The whole trip of a frame in one process, as Firefox runs it: the frame service, the in-process client and the
// real analysis host with its real watermark service and OCR queue. Only the browser's image decoding and canvases
// and the models themselves are stand-ins (the OCR "reads" a Kling mark in the corner, or nothing).

/** What the stand-in OCR reads on every frame; the test sets it. */
let marked = true;
/** OCR readings held back until the test lets them finish (the reader is slow; the classifier must not wait). */
const held: Array<() => void> = [];
let holdReadings = false;
/** Frames the OCR read, with the image and crop it was given. */
const ocrCalls: Array<{ image: Blob; crop: unknown }> = [];

async function standInOcr(image: Blob, crop: { x: number; y: number; width: number; height: number } | null) {
  ocrCalls.push({ image, crop });
  if (holdReadings) await new Promise<void>((release) => held.push(release));
  const response: OcrResponse = {
    id: 0,
    width: 960,
    height: 540,
    lines: marked ? [{ text: 'KlingAI 2.0', confidence: 0.95, box: { x: 820, y: 500, width: 120, height: 24 } }] : [],
    logos: [],
    candidates: marked ? 1 : 0,
    ms: 900,
    load: 0,
    stages: { detect: 500, recognise: 300, logos: 100 },
  };
  return response;
}

/** The host the in-process client starts: the real one, over stand-in models. */
const hosts: AnalysisHost[] = [];
vi.mock('../../lib/analysis/browser-host', () => ({
  createBrowserAnalysisHost: (emit: HostEventSink) => {
    const stats = {
      warm: async () => undefined,
      run: async () => ({ meanLuma: 0.5, lumaStd: 0.2, edgeEnergy: 0.05, darkFraction: 0 }),
    } as unknown as FrameStatsModel;
    const host = new AnalysisHost(
      stats,
      { forget: () => undefined } as unknown as RemoteVideoReader,
      { cancel: () => undefined } as unknown as ProvenanceChecker,
      new WatermarkService(standInOcr),
      null,
      null,
      undefined,
      emit,
    );
    hosts.push(host);
    return host;
  },
}));

beforeAll(() => {
  // What the analysis host takes from the browser: decoded images and canvases that give grey pixels.
  vi.stubGlobal('createImageBitmap', async (_: unknown, _x?: number, _y?: number, w = 1280, h = 800) => ({
    width: w,
    height: h,
    close: () => undefined,
  }));
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      getContext() {
        return {
          drawImage: () => undefined,
          getImageData: (_x: number, _y: number, w: number, h: number) => ({
            data: new Uint8ClampedArray(w * h * 4).fill(128),
          }),
        };
      }
    },
  );
  vi.stubGlobal('document', {
    createElement: () => ({
      getContext: () => ({ drawImage: () => undefined }),
      toDataURL: () => 'data:image/jpeg;base64,VEhVTUI=',
    }),
  });
});
afterAll(() => vi.unstubAllGlobals());

const TAB = 5;
const jpeg = (tag: string) => `data:image/jpeg;base64,${btoa(tag)}`;

/** The frame service on the in-process client, with every host call and every store visit counted. */
function setup() {
  const store = new ResultsStore(memoryArea());
  const notify = vi.fn(async () => undefined);
  const service = createFrameService({
    store,
    client: inProcessClient,
    captureVisibleTab: async () => jpeg('screenshot'),
    isTabActive: async () => true,
    provenanceSettings: async () => ({
      trust: { lists: { official: true, legacy: true }, userAnchors: '' },
      maxBytes: 1,
    }),
    notify,
  });
  return { store, service, notify, host: () => hosts.at(-1)! };
}

let videoCount = 0;
async function newVideo(service: ReturnType<typeof setup>['service'], origin: Origin) {
  const id = `v${++videoCount}`;
  // Not loaded yet: no provenance reading joins the count.
  await service.videoSeen(origin, {
    id,
    src: 'https://cdn.example/clip.mp4',
    pageUrl: 'https://example.test/',
    width: 640,
    height: 360,
  });
  return id;
}

const ORIGIN: Origin = { tabId: TAB, frameId: 0, windowId: 1, frameUrl: 'https://example.test/' };

function canvasFrame(videoId: string, i: number, withOcr = true) {
  return {
    videoId,
    mediaTime: i,
    jpeg: jpeg(`small-${i}`),
    ...(withOcr ? { ocrJpeg: jpeg(`large-${i}`) } : {}),
    priority: 'visible' as const,
    sentAt: 0,
    sincePlaying: 10,
    timings: { capture: 1, mainThread: 1, encode: 1 },
  };
}

/** The page's request for a screenshot crop of the video, which lies at (100, 50), 640×360, in a 1280×800 tab. */
function screenshotRequest(videoId: string, mediaTime: number) {
  return {
    videoId,
    mediaTime,
    rect: { x: 100, y: 50, width: 640, height: 360 },
    viewport: { width: 1280, height: 800 },
    priority: 'visible' as const,
    sentAt: 0,
    sincePlaying: 0,
  };
}

/** Waits until the host's watermark readings of this video have all landed. */
async function settled(store: ResultsStore, videoId: string, frames: number) {
  await vi.waitFor(
    async () => {
      const v = (await store.read(TAB)).videos.find((x) => x.id === videoId);
      expect(v?.watermarkFrames?.length ?? 0).toBe(frames);
    },
    { timeout: 5_000, interval: 5 },
  );
}

describe('one frame, one host call', () => {
  it('sends a canvas frame and its larger copy for the watermark reader in one call, and lands the reading', async () => {
    marked = true;
    const { service, store, notify, host } = setup();
    const id = await newVideo(service, ORIGIN);
    await inProcessClient.prepare();
    for (const call of HOST_CALL_NAMES) vi.spyOn(host(), call).mockClear();
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(await service.analyseFrame(ORIGIN, canvasFrame(id, i)));
      await settled(store, id, Math.min(i + 1, 2));
    }
    expect(outcomes.map((o) => o.status)).toEqual(['analysed', 'analysed', 'analysed']);
    // Three frames, three host calls: no second trip of the image for the watermark reader.
    const calls = Object.fromEntries(HOST_CALL_NAMES.map((c) => [c, vi.mocked(host()[c]).mock.calls.length]));
    expect(calls).toEqual(Object.fromEntries(HOST_CALL_NAMES.map((c) => [c, c === 'analyseImage' ? 3 : 0])));
    const requests = vi.mocked(host().analyseImage).mock.calls.map(([req]) => req);
    expect(requests[0]!.watermark).toEqual({
      image: jpeg('large-0'),
      reply: { tabId: TAB, frameId: 0, videoId: id, src: 'https://cdn.example/clip.mp4' },
    });
    // The mark was confirmed on two frames: the third frame's larger copy stayed in the page's message.
    expect(requests.map((r) => !!r.watermark)).toEqual([true, true, false]);
    const report = (await store.read(TAB)).videos.find((v) => v.id === id)!;
    const mark = report.signals.find((s): s is WatermarkSignal => s.kind === 'watermark');
    expect(mark).toMatchObject({ generator: 'Kling', frames: 2 });
    expect(report.verdict).toBe('ai');
    expect(notify).toHaveBeenLastCalledWith({ tabId: TAB, frameId: 0 }, id, expect.objectContaining({ level: 'ai' }));
  });

  it('answers the frame at once while its reading waits, and sends no copy the reader has no room for', async () => {
    marked = false;
    holdReadings = true;
    const { service, store, host } = setup();
    const id = await newVideo(service, ORIGIN);
    await inProcessClient.prepare();
    vi.spyOn(host(), 'analyseImage').mockClear();
    const before = ocrCalls.length;
    // Readings are held: every frame still gets its verdict, and the room the host gives back shrinks per frame.
    for (let i = 0; i < 4; i++)
      expect(await service.analyseFrame(ORIGIN, canvasFrame(id, i))).toMatchObject({ status: 'analysed' });
    expect(ocrCalls.length - before).toBe(1);
    // One frame being read and two waiting use the budget of a clip without a mark: the fourth copy never crossed.
    expect(vi.mocked(host().analyseImage).mock.calls.map(([req]) => !!req.watermark)).toEqual([
      true,
      true,
      true,
      false,
    ]);
    holdReadings = false;
    while (held.length > 0) held.shift()!();
    await settled(store, id, OCR_FRAMES_WITHOUT_SIGHTING);
    // Three frames read without a mark: the reader is done with the clip, and later frames go without a copy.
    for (let i = 4; i < 7; i++) await service.analyseFrame(ORIGIN, canvasFrame(id, i));
    const sent = vi.mocked(host().analyseImage).mock.calls.filter(([req]) => !!req.watermark).length;
    expect(sent).toBe(OCR_FRAMES_WITHOUT_SIGHTING);
    expect(ocrCalls.length - before).toBe(OCR_FRAMES_WITHOUT_SIGHTING);
    const report = (await store.read(TAB)).videos.find((v) => v.id === id)!;
    expect(report.signals.some((s) => s.kind === 'watermark')).toBe(false);
    expect(report.framesAnalysed).toBe(7);
  });

  it('tells the page once the reader is done with a video, never while a reading could still widen its budget', async () => {
    marked = false;
    holdReadings = true;
    const { service, store } = setup();
    const id = await newVideo(service, ORIGIN);
    await inProcessClient.prepare();
    const done = async (i: number) => {
      const outcome = await service.analyseFrame(ORIGIN, canvasFrame(id, i));
      return outcome.status === 'analysed' ? outcome.ocrDone : 'not analysed';
    };
    // One frame in the reader and two waiting fill the budget of a clip without a mark, but the one being read
    // could still show a mark (which gives the clip more frames): the page keeps drawing copies.
    const early: Array<boolean | string | undefined> = [];
    try {
      for (let i = 0; i < 4; i++) early.push(await done(i));
    } finally {
      holdReadings = false;
      while (held.length > 0) held.shift()!();
    }
    expect(early).toEqual([false, false, false, false]);
    await settled(store, id, OCR_FRAMES_WITHOUT_SIGHTING);
    // Three frames read, none with a mark, nothing left in the reader: done for good.
    expect(await done(4)).toBe(true);

    // A marked clip: done once its mark is confirmed on two frames.
    marked = true;
    const other = await newVideo(service, ORIGIN);
    const marks: Array<boolean | string | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await service.analyseFrame(ORIGIN, canvasFrame(other, i));
      marks.push(outcome.status === 'analysed' ? outcome.ocrDone : 'not analysed');
      await settled(store, other, Math.min(i + 1, 2));
    }
    // One sighting is not a confirmed mark; by the third frame two readings have landed (the second frame's own
    // answer may already carry its reading: the stand-in reader is quick).
    expect(marks[0]).toBe(false);
    expect(marks[2]).toBe(true);
  });

  it('reads a screenshot’s crop of the same call for the watermark reader', async () => {
    marked = true;
    const { service, store, host } = setup();
    const id = await newVideo(service, ORIGIN);
    await inProcessClient.prepare();
    vi.spyOn(host(), 'analyseImage').mockClear();
    const before = ocrCalls.length;
    const req = screenshotRequest(id, 1);
    expect(await service.captureTabFrame(ORIGIN, req)).toMatchObject({ status: 'analysed' });
    const [call] = vi.mocked(host().analyseImage).mock.calls.at(-1)!;
    expect(call.watermark).toEqual({ reply: expect.objectContaining({ videoId: id }) });
    expect(call.image).toBe(jpeg('screenshot'));
    await settled(store, id, 1);
    // The reader got the screenshot cropped to the video, as the frame was: no second decode, no second trip.
    expect(ocrCalls.slice(before)).toEqual([
      { image: expect.any(Blob), crop: { x: 100, y: 50, width: 640, height: 360 } },
    ]);
  });
});

/** Spies on the store's visits to its tabs: each queued read or change of a tab is one, whatever method asked. */
function countVisits() {
  return vi.spyOn(ResultsStore.prototype as unknown as { update: () => Promise<unknown> }, 'update');
}

describe('one store visit per frame', () => {
  it('lands each frame in one visit, its admission read from memory, and a watermark reading in one more', async () => {
    marked = true;
    const { service, store } = setup();
    const id = await newVideo(service, ORIGIN);
    await inProcessClient.prepare();
    const visits = countVisits();
    try {
      // Canvas frames without a larger copy: the frame's record is its only visit.
      for (let i = 0; i < 3; i++) {
        visits.mockClear();
        expect(await service.analyseFrame(ORIGIN, canvasFrame(id, i, false))).toMatchObject({ status: 'analysed' });
        expect(visits).toHaveBeenCalledTimes(1);
      }
      // A frame whose larger copy rode along: one visit with the frame's answer (the reader's room in it), and one
      // more when its reading lands, later, as the host's event.
      const release = async () => {
        await vi.waitFor(() => expect(held.length).toBeGreaterThan(0), { timeout: 5_000, interval: 5 });
        holdReadings = false;
        while (held.length > 0) held.shift()!();
      };
      holdReadings = true;
      visits.mockClear();
      expect(await service.analyseFrame(ORIGIN, canvasFrame(id, 3))).toMatchObject({ status: 'analysed' });
      expect(visits).toHaveBeenCalledTimes(1);
      await release();
      await vi.waitFor(() => expect(visits).toHaveBeenCalledTimes(2), { timeout: 5_000, interval: 5 });
      // A screenshot crop, the same.
      visits.mockClear();
      holdReadings = true;
      expect(await service.captureTabFrame(ORIGIN, screenshotRequest(id, 4))).toMatchObject({ status: 'analysed' });
      expect(visits).toHaveBeenCalledTimes(1);
      await release();
      await vi.waitFor(() => expect(visits).toHaveBeenCalledTimes(2), { timeout: 5_000, interval: 5 });
    } finally {
      holdReadings = false;
      visits.mockRestore();
    }
    const report = (await store.read(TAB)).videos.find((v) => v.id === id)!;
    expect(report.framesAnalysed).toBe(5);
    expect(report.watermarkFrames).toHaveLength(2);
    expect(report.signals.find((s) => s.kind === 'watermark')).toMatchObject({ generator: 'Kling', frames: 2 });
  });

  it('still visits the store for the admission while another change to the tab waits its turn', async () => {
    marked = false;
    const { service, store } = setup();
    const id = await newVideo(service, ORIGIN);
    await inProcessClient.prepare();
    const visits = countVisits();
    try {
      // A change asked for and not yet applied: an admission read from memory could miss it.
      const gone = store.videoGone(TAB, id);
      expect(store.admissionNow(TAB, id, false)).toBeNull();
      expect(await service.analyseFrame(ORIGIN, canvasFrame(id, 0, false))).toEqual({
        status: 'dropped',
        reason: 'unknown-video',
      });
      await gone;
      expect(visits).toHaveBeenCalledTimes(2);
    } finally {
      visits.mockRestore();
    }
  });
});
