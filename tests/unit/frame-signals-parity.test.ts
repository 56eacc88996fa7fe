import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isBlankFrame } from '../../lib/analysis/frame-quality';
import { CLASSIFIER_CONFIG } from '../../lib/analysis/classifier/config';
import { type FrameResultInput, ResultsStore, type SessionArea } from '../../lib/background/results-store';
import { STANDARD_FRAME_BUDGET } from '../../lib/core/frame-budget';
import type { FrameReading } from '../../lib/core/frame-signals';
import type { ProvenanceSignal, Signal } from '../../lib/core/signals';
import type { VideoReport } from '../../lib/core/report';
import { frameSightings, type WatermarkFrame, type WatermarkSighting } from '../../lib/core/watermark-tracker';
import { type DecodedFrame, decodeSpread } from '../../lib/node/frames';
import { nodeClassifierModel, nodeFrameStatsModel } from '../../lib/node/models';
import { nodeTrustSet, readProvenance } from '../../lib/node/provenance';
import { judgeScan, type ScanResult, scanInput } from '../../lib/node/scan';
import { nodeWatermarkReader, WATERMARK_FRAMES, WATERMARK_MAX_SIDE } from '../../lib/node/watermark';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { makeMedia } from '../../scripts/make-media.mjs';

// The extension (the background's results store, fed per-frame results as the analysis host returns them) and
// `scan` must come to the same signals and verdict on the same frames: `scan` is the proof of the extension's recipe.

/** `storage.session` in memory, cloning values in and out as the real area serialises them. */
class MemoryArea implements SessionArea {
  private readonly data = new Map<string, unknown>();
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
const SRC = 'https://cdn.example/clip.mp4';

/** What the background records for a frame the host analysed. */
function hostResult(r: FrameReading, i: number): FrameResultInput {
  return {
    mediaTime: i,
    framePath: 'canvas',
    blank: r.blank,
    timings: { capture: 1, mainThread: 2, encode: 3, transfer: 4, preprocess: 5, inference: 6, classify: 7 },
    transferBytes: 1000,
    thumbnail: null,
    sincePlaying: 100 * i,
    aiLogit: r.aiLogit,
    hash: r.blank ? null : `${i}`.padStart(16, '0'),
    // Crops of what the screen showed: the frames that can confirm a file's credentials.
    shown: true,
  };
}

/**
 * The background's path: a video announced, its frames recorded one by one, other detectors' readings added, and
 * each frame read for watermarks landing as the host reports it (its sightings, after the frame's own answer).
 */
async function background(
  frames: readonly FrameResultInput[],
  provenance: ProvenanceSignal | null,
  watermarks: readonly WatermarkFrame[],
): Promise<VideoReport> {
  const store = new ResultsStore(new MemoryArea(), () => 1_000);
  await store.videoSeen(TAB, 0, { id: 'v1', src: SRC, pageUrl: 'https://example.com/', width: 640, height: 360 });
  for (const [i, f] of frames.entries()) {
    await store.recordFrame(TAB, 'v1', f);
    const read = watermarks[i];
    if (read)
      await store.recordWatermark(TAB, 'v1', { frame: read, room: { frames: 1, done: false, version: i + 1 } }, SRC);
  }
  // A reading that ends after the last frame's answer lands all the same.
  for (const [i, read] of watermarks.entries())
    if (i >= frames.length)
      await store.recordWatermark(TAB, 'v1', { frame: read, room: { frames: 0, done: false, version: i + 1 } }, SRC);
  if (provenance) {
    // The extension reads the file whole from its own download, so its hash is checked; its credentials decide only
    // once the page's frames match frames of those bytes. Scan decodes the very file it judges: here the verified
    // file's frames are the page's, as they are when the server gives the page and the extension the same file.
    await store.addSignal(TAB, 'v1', { ...provenance, hashVerified: true }, SRC);
    const want = await store.shownFramesWanted(TAB, 'v1');
    if (want) {
      const frames = want.shown.map((f) => ({ mediaTime: f.mediaTime, hashes: [f.hash] }));
      await store.addFileFrames(TAB, 'v1', want.reading, { frames, ms: 0 });
    }
  }
  const report = (await store.read(TAB)).videos[0];
  if (!report) throw new Error('the store lost the video');
  return report;
}

/**
 * A signal without what only the extension keeps on a file's credentials: that it checked the hash of its own
 * download, and the comparison of the page's frames with that download's (`lib/core/frame-match.ts`).
 */
function withoutDownloadChecks(signal: Signal): Signal {
  if (signal.kind !== 'provenance') return signal;
  const rest: ProvenanceSignal = { ...signal };
  delete rest.hashVerified;
  delete rest.shown;
  delete rest.fileFrames;
  delete rest.fileFramesMs;
  return rest;
}

function expectSame(report: VideoReport, scan: Omit<ScanResult, 'input'>): void {
  expect(report.signals.map(withoutDownloadChecks)).toEqual(scan.signals);
  expect(report.verdict).toBe(scan.verdict);
  expect(report.score).toBe(scan.score);
  expect(report.reasons).toEqual(scan.reasons);
}

const picture = (aiLogit: number): FrameReading => ({ blank: false, aiLogit });
const BLANK: FrameReading = { blank: true, aiLogit: null };

const declaredAi: ProvenanceSignal = {
  kind: 'provenance',
  state: 'untrusted',
  declaresAi: true,
  captureDevice: false,
  digitalSourceTypes: ['trainedAlgorithmicMedia'],
  generator: 'Example Generator',
  trust: 'unknown',
  source: 'file',
};
/** A frame read for watermarks, its sightings as the host's reader gives them. */
const read = (...sightings: WatermarkSighting[]): WatermarkFrame => ({ sightings });
const kling = (x = 0.8, y = 0.9): WatermarkSighting => ({
  generator: 'Kling',
  moving: false,
  text: 'Kling AI',
  box: { x, y, width: 0.15, height: 0.05 },
  logo: false,
});
const sora = (x: number, y: number, handle?: string): WatermarkSighting => ({
  generator: 'Sora',
  moving: true,
  text: 'Sora',
  box: { x, y, width: 0.08, height: 0.04 },
  logo: false,
  ...(handle ? { handle: { text: handle, confidence: 0.8 } } : {}),
});

describe('the same frames give the same verdict in the background and in scan (synthetic readings)', () => {
  const cases: Array<{
    name: string;
    frames: FrameReading[];
    provenance: ProvenanceSignal | null;
    marks: WatermarkFrame[];
  }> = [
    {
      name: 'high logits on every frame',
      frames: [3, 2.5, 4, 3.2, 2.8, 3.9].map(picture),
      provenance: null,
      marks: [],
    },
    {
      name: 'blank frames between low logits',
      frames: [BLANK, picture(-3), BLANK, picture(-2.5), picture(-4), picture(-3.1), BLANK],
      provenance: null,
      marks: [],
    },
    {
      name: 'too few frames with picture for a score',
      frames: [BLANK, picture(5), BLANK],
      provenance: null,
      marks: [],
    },
    { name: 'only blank frames', frames: [BLANK, BLANK, BLANK, BLANK], provenance: null, marks: [] },
    {
      name: 'a declaration and a watermark beside the frames',
      frames: [-1, 0.5, 1, -0.2, 0.3].map(picture),
      provenance: declaredAi,
      marks: [read(kling()), read(), read(kling(0.801, 0.901)), read(kling())],
    },
    {
      name: 'a corner mark on two frames read, the second reading landing after the last frame',
      frames: [0.2, -0.4].map(picture),
      provenance: null,
      marks: [read(kling()), read(), read(kling(0.802, 0.899))],
    },
    {
      name: 'a mark seen once, and a fixed mark that wanders, give no watermark',
      frames: [1, 1, 1, 1].map(picture),
      provenance: null,
      marks: [read(kling(0.02, 0.02)), read(kling(0.8, 0.9)), read()],
    },
    {
      name: 'Sora’s moving mark with the creator’s handle, among blank frames',
      frames: [BLANK, picture(2), picture(1)],
      provenance: null,
      marks: [read(sora(0.05, 0.05, '@maker')), read(sora(0.85, 0.5)), read(sora(0.4, 0.9, '@rnaker'))],
    },
  ];

  for (const c of cases)
    it(c.name, async () => {
      const report = await background(c.frames.map(hostResult), c.provenance, c.marks);
      const scan = judgeScan(c.frames, c.provenance ? [c.provenance] : [], null, true, c.marks);
      expectSame(report, scan);
    });

  it('names the mark the same way on both paths and lets it decide the verdict', async () => {
    const frames = [0.1, 0.2, 0.3].map(picture);
    const marks = [read(kling()), read(kling(0.801, 0.9))];
    const report = await background(frames.map(hostResult), null, marks);
    const scan = judgeScan(frames, [], null, true, marks);
    expectSame(report, scan);
    expect(scan.signals).toContainEqual(expect.objectContaining({ kind: 'watermark', generator: 'Kling', frames: 2 }));
    expect(scan.verdict).toBe('ai');
  });

  it('keeps the watermark a judgement brought when no frame of this viewing was read for watermarks', () => {
    const restored: Signal = {
      kind: 'watermark',
      generator: 'Kling',
      text: 'KlingAI',
      frames: 3,
      box: { x: 0.8, y: 0.9, width: 0.15, height: 0.05 },
    };
    expect(judgeScan([picture(0)], [restored], null).signals).toContainEqual(restored);
    // Frames read here say the marks afresh: a reading of this viewing replaces what came with the judgement.
    expect(judgeScan([picture(0)], [restored], null, true, [read()]).signals).not.toContainEqual(restored);
  });

  it('reads the classifier over the frames the background keeps when more frames were analysed', async () => {
    // Two very high logits first, then low ones: counting the first two would lift the clip's score.
    const frames = [9, 9, ...Array.from({ length: STANDARD_FRAME_BUDGET.frameLogLimit }, () => -3)].map(picture);
    const report = await background(frames.map(hostResult), null, []);
    const scan = judgeScan(frames, [], null);
    expectSame(report, scan);
    const classifier = scan.signals.find((s) => s.kind === 'classifier');
    expect(classifier).toMatchObject({ framesScored: STANDARD_FRAME_BUDGET.frameLogLimit });
    expect(scan.signals).toContainEqual({ kind: 'frame-quality', framesChecked: frames.length, blankFrames: 0 });
  });

  it('gives the classifier signal the verdict fuses, in the order both paths keep', () => {
    const scan = judgeScan([2, 2, 2, 2].map(picture), [declaredAi], null);
    expect(scan.signals.map((s: Signal) => s.kind)).toEqual(['classifier', 'frame-quality', 'provenance']);
    expect(scan.signals[0]).toMatchObject({ model: `${CLASSIFIER_CONFIG.name}@${CLASSIFIER_CONFIG.version}` });
  });
});

// Real frames: decoded from the project's test media with ffmpeg, read by the real frame-statistics model and the
// shipped classifier in onnxruntime, and the file's Content Credentials read for real.
const DATA = resolve(__dirname, '../../../shared/data');
const REAL_CLIP = join(DATA, 'ai-video/THUDM__CogVideo/resources__videos__1.mp4');
if (!existsSync(REAL_CLIP)) console.warn(`skipping the real shared-clip parity case: ${REAL_CLIP} is absent`);

describe('the same decoded frames give the same verdict in the background and in scan (real models)', () => {
  let dir = '';
  const stats = nodeFrameStatsModel();
  const classifier = nodeClassifierModel();

  beforeAll(async () => {
    dir = (await makeC2paFixtures()).dir;
  }, 180_000);

  /** The analysis host, faked in Node with the same models the offscreen document runs: one result per frame. */
  async function fakeHost(frames: readonly DecodedFrame[]): Promise<FrameResultInput[]> {
    const out: FrameResultInput[] = [];
    for (const [i, f] of frames.entries()) {
      const blank = isBlankFrame(await stats.run(f.rgba, f.width, f.height));
      out.push(hostResult({ blank, aiLogit: blank ? null : await classifier.run(f.rgba, f.width, f.height) }, i));
    }
    return out;
  }

  async function compare(file: string): Promise<ScanResult> {
    const frames = STANDARD_FRAME_BUDGET.framesPerVideo;
    const scan = await scanInput(file, { frames, watermarks: false });
    const results = await fakeHost(decodeSpread(file, frames, 256));
    const provenance = await readProvenance(
      file,
      'video/mp4',
      await nodeTrustSet('', { official: true, legacy: true }),
    );
    expectSame(await background(results, provenance, []), scan);
    return scan;
  }

  it('on an AI-declared clip with Content Credentials', async () => {
    const scan = await compare(join(dir, 'ai-sora.mp4'));
    expect(scan.signals).toContainEqual(expect.objectContaining({ kind: 'provenance', declaresAi: true }));
    expect(scan.signals).toContainEqual(expect.objectContaining({ kind: 'classifier', framesScored: 8 }));
  }, 300_000);

  it('on a black clip', async () => {
    const scan = await compare(join(dir, '../black.mp4'));
    expect(scan.verdict).toBe('unavailable');
  }, 300_000);

  it('on a clip with a corner mark, read by the real OCR reader frame by frame', async () => {
    const file = join(makeMedia({ quiet: true }), 'kling-mark.mp4');
    const frames = STANDARD_FRAME_BUDGET.framesPerVideo;
    const scan = await scanInput(file, { frames, watermarks: true });
    // The host reads each frame's larger copy and reports its sightings; here the same frames scan reads.
    const marks: WatermarkFrame[] = [];
    for (const f of decodeSpread(file, WATERMARK_FRAMES, WATERMARK_MAX_SIDE)) {
      const reading = await nodeWatermarkReader().readFrame(f.rgba, f.width, f.height);
      marks.push({
        sightings: frameSightings({ width: f.width, height: f.height, lines: reading.lines, logos: reading.logos }),
      });
    }
    const results = await fakeHost(decodeSpread(file, frames, 256));
    const provenance = await readProvenance(
      file,
      'video/mp4',
      await nodeTrustSet('', { official: true, legacy: true }),
    );
    expectSame(await background(results, provenance, marks), scan);
    expect(scan.signals).toContainEqual(expect.objectContaining({ kind: 'watermark', generator: 'Kling' }));
    expect(scan.verdict).toBe('ai');
  }, 300_000);

  it.skipIf(!existsSync(REAL_CLIP))(
    'on a generated clip from ../shared/data',
    async () => {
      const scan = await compare(REAL_CLIP);
      expect(scan.signals).toContainEqual(expect.objectContaining({ kind: 'classifier', framesScored: 8 }));
    },
    300_000,
  );
});
