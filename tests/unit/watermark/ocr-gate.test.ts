import { join } from 'node:path';
import type * as Ort from 'onnxruntime-web';
import * as ort from 'onnxruntime-web/wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrtModule } from '../../../lib/analysis/frame-stats-model';
import { matchGeneratorMark } from '../../../lib/core/generator-marks';
import {
  edgeDistance,
  joinLineBoxes,
  refineWindows,
  snapWindow,
  WatermarkReader,
  type WatermarkReaderOptions,
} from '../../../lib/analysis/watermark/watermark-reader';
import {
  drawtextEscape,
  extractFrame,
  ffmpeg,
  FONT_LATIN,
  HAVE_FFMPEG,
  loadModelFile,
  tempDir,
  type Frame,
} from './video-frames';

describe('the gate geometry', () => {
  it('measures how far a box lies from the nearest edge, per side', () => {
    expect(edgeDistance({ x: 0, y: 300, width: 50, height: 20 }, 1000, 500)).toBe(0);
    expect(edgeDistance({ x: 900, y: 460, width: 80, height: 20 }, 1000, 500)).toBeCloseTo(0.02);
    expect(edgeDistance({ x: 400, y: 200, width: 100, height: 50 }, 1000, 500)).toBeCloseTo(0.4);
  });

  it('grows each candidate by twice its height (32 px at least), clips to the frame and merges what overlaps', () => {
    const windows = refineWindows(
      [
        { x: 10, y: 10, width: 60, height: 20 },
        { x: 80, y: 12, width: 40, height: 20 },
        { x: 900, y: 460, width: 80, height: 20 },
      ],
      1000,
      500,
    );
    expect(windows).toEqual([
      { x: 0, y: 0, width: 160, height: 72 },
      { x: 860, y: 420, width: 140, height: 80 },
    ]);
  });

  it('snaps a window to whole detector strides at the given scale, inside the frame', () => {
    const w = snapWindow({ x: 860, y: 420, width: 140, height: 80 }, 0.75, 1000, 500);
    expect((w.width * 0.75) % 32).toBeCloseTo(0);
    expect((w.height * 0.75) % 32).toBeCloseTo(0);
    expect(w.x + w.width).toBeLessThanOrEqual(1000);
    expect(w.y + w.height).toBeLessThanOrEqual(500);
    expect(w.x).toBeLessThanOrEqual(860);
    expect(w.y).toBeLessThanOrEqual(420);
    // A window larger than the frame at that stride keeps the frame's size.
    expect(snapWindow({ x: 0, y: 0, width: 90, height: 40 }, 1, 100, 40)).toEqual({
      x: 0,
      y: 0,
      width: 96,
      height: 40,
    });
  });

  it('joins the pieces of one line and keeps separate lines apart', () => {
    const joined = joinLineBoxes([
      { x: 830, y: 470, width: 120, height: 24, score: 0.8 },
      { x: 810, y: 471, width: 14, height: 23, score: 0.7 },
      { x: 810, y: 420, width: 140, height: 24, score: 0.9 },
      { x: 20, y: 470, width: 50, height: 24, score: 0.9 },
    ]);
    expect(joined).toHaveLength(3);
    expect(joined).toContainEqual({ x: 810, y: 470, width: 140, height: 24, score: 0.8 });
  });
});

/** Every inference the reader runs, by model: the detector's input sizes, and how many recognitions. */
interface Runs {
  detector: Array<[number, number]>;
  recognitions: number;
}

/** onnxruntime-web whose sessions record their runs (the recogniser is the model fed 48 px tall lines). */
function countingOrt(runs: Runs): OrtModule {
  const create = async (bytes: Uint8Array, options?: Ort.InferenceSession.SessionOptions) => {
    const session = await ort.InferenceSession.create(bytes, options);
    const run = session.run.bind(session);
    session.run = ((feeds: Ort.InferenceSession.FeedsType, ...rest: unknown[]) => {
      const dims = Object.values(feeds)[0]!.dims;
      if (dims[2] === 48) runs.recognitions++;
      else runs.detector.push([dims[3]!, dims[2]!]);
      return (run as (...a: unknown[]) => Promise<Ort.InferenceSession.OnnxValueMapType>)(feeds, ...rest);
    }) as typeof session.run;
    return session;
  };
  return { Tensor: ort.Tensor, InferenceSession: { ...ort.InferenceSession, create } } as unknown as OrtModule;
}

if (!HAVE_FFMPEG) console.info('[ocr-gate] ffmpeg is absent (FFMPEG or PATH): the real-model gate tests are skipped.');

describe.skipIf(!HAVE_FFMPEG)('the OCR gate with the real models', { timeout: 120_000 }, () => {
  let dir: ReturnType<typeof tempDir>;

  beforeAll(() => {
    ort.env.wasm.numThreads = 1;
    dir = tempDir('ocr-gate-');
  });
  afterAll(() => dir.remove());

  /** One 1280×720 frame of moving noise with the given drawtext filters burnt in. */
  function frameWith(name: string, texts: string[]): Frame {
    const file = join(dir.path, `${name}.mp4`);
    const graph = ['color=c=0x406080:s=1280x720:d=1:r=10', 'format=yuv420p', 'noise=alls=25:allf=t', ...texts];
    ffmpeg(['-f', 'lavfi', '-i', graph.join(','), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '26', file]);
    return extractFrame(file, 0.5);
  }

  const text = (t: string, opts: string) => `drawtext=fontfile=${FONT_LATIN}:text='${drawtextEscape(t)}':${opts}`;

  function readerWith(runs: Runs, options: Partial<WatermarkReaderOptions> = {}): WatermarkReader {
    return new WatermarkReader(countingOrt(runs), loadModelFile, options);
  }

  it('spends one low-resolution pass and no recognition on a frame without text', async () => {
    const frame = frameWith('plain', []);
    const runs: Runs = { detector: [], recognitions: 0 };
    const reading = await readerWith(runs).readFrame(frame.data, frame.width, frame.height);
    expect(reading).toMatchObject({ lines: [], candidates: 0 });
    expect(runs.detector).toEqual([[640, 352]]);
    expect(runs.recognitions).toBe(0);
  });

  it('runs neither model on a frame matched against the logos only', async () => {
    const frame = frameWith('logos-only', [
      text('KlingAI 2.0', 'x=w-tw-24:y=h-th-20:fontsize=26:fontcolor=white@0.85'),
    ]);
    const runs: Runs = { detector: [], recognitions: 0 };
    const reading = await readerWith(runs).readFrame(frame.data, frame.width, frame.height, undefined, false);
    expect(reading).toMatchObject({ lines: [], candidates: null, timings: { detect: 0, recognise: 0 } });
    expect(runs).toEqual({ detector: [], recognitions: 0 });
  });

  it('reads a corner mark from a small full-scale window, at a fraction of the whole-frame pass', async () => {
    const frame = frameWith('kling', [text('KlingAI 2.0', 'x=w-tw-24:y=h-th-20:fontsize=26:fontcolor=white@0.85')]);
    const runs: Runs = { detector: [], recognitions: 0 };
    const reading = await readerWith(runs).readFrame(frame.data, frame.width, frame.height);
    expect(reading.lines.map((l) => matchGeneratorMark(l.text)?.generator)).toContain('Kling');
    expect(runs.detector[0]).toEqual([640, 352]);
    const pixels = runs.detector.reduce((sum, [w, h]) => sum + w * h, 0);
    // The one pass over the whole frame the reader made before the gate: 960×544.
    expect(pixels).toBeLessThan(0.6 * 960 * 544);

    // Without the gate the same frame gives the same mark.
    const single: Runs = { detector: [], recognitions: 0 };
    const ungated = await readerWith(single, { gateSide: 960 }).readFrame(frame.data, frame.width, frame.height);
    expect(single.detector).toEqual([[960, 544]]);
    expect(ungated.lines.map((l) => matchGeneratorMark(l.text)?.generator)).toContain('Kling');
  });

  it('recognises at most maxRecognitions lines, those nearest an edge first', async () => {
    const words = ['alpha', 'bravo', 'delta', 'gamma', 'kappa', 'omega', 'sigma', 'theta'];
    const frame = frameWith(
      'many',
      words.map((w, i) => text(w, `x=${40 + (i % 4) * 300}:y=${i < 4 ? 30 : 640}:fontsize=30:fontcolor=white`)),
    );
    const runs: Runs = { detector: [], recognitions: 0 };
    const reading = await readerWith(runs, { maxRecognitions: 3 }).readFrame(frame.data, frame.width, frame.height);
    expect(reading.candidates).toBeGreaterThanOrEqual(6);
    expect(runs.recognitions).toBe(3);
    expect(reading.lines).toHaveLength(3);
    // "alpha" and "kappa" sit 40 px from the left edge, nearer than any other word is to its nearest edge.
    expect(reading.lines.map((l) => l.text.toLowerCase())).toEqual(expect.arrayContaining(['alpha', 'kappa']));
  });
});
