import { describe, expect, it } from 'vitest';
import {
  frameSightings,
  isEdgePlaced,
  MAX_SIGHTINGS_PER_FRAME,
  WatermarkTracker,
  watermarkSignals,
  type FrameLines,
} from '../../../lib/core/watermark-tracker';

const W = 1280;
const H = 720;

/** A frame with lines given as fractions of the frame, as the tests think of them. */
function frame(
  ...lines: Array<[text: string, x: number, y: number, w?: number, h?: number, confidence?: number]>
): FrameLines {
  return {
    width: W,
    height: H,
    lines: lines.map(([text, x, y, w = 0.12, h = 0.04, confidence = 0.9]) => ({
      text,
      confidence,
      box: { x: x * W, y: y * H, width: w * W, height: h * H },
    })),
  };
}

describe('WatermarkTracker: fixed marks', () => {
  it('emits a signal for a corner mark seen on two frames, with the box as fractions', () => {
    const t = new WatermarkTracker();
    t.addFrame(frame(['KlingAI 2.0', 0.84, 0.92, 0.15, 0.06]));
    expect(t.signal()).toBeNull();
    t.addFrame(frame(['KingAI 2.0', 0.841, 0.921, 0.15, 0.06]));
    const s = t.signal();
    expect(s).toMatchObject({ kind: 'watermark', generator: 'Kling', frames: 2 });
    expect(s!.box.x).toBeCloseTo(0.8405, 4);
    expect(s!.box.y).toBeCloseTo(0.9205, 4);
    expect(s!.box.width).toBeCloseTo(0.15, 4);
    expect(s!.box.height).toBeCloseTo(0.06, 4);
    expect(t.framesChecked).toBe(2);
  });

  it('counts frames, not lines: the same mark twice on one frame is one sighting', () => {
    const t = new WatermarkTracker();
    t.addFrame(frame(['Show-1', 0.88, 0.92], ['Show-1', 0.88, 0.92]));
    expect(t.signal()).toBeNull();
  });

  it('honours a higher frame requirement', () => {
    const t = new WatermarkTracker({ minFrames: 3 });
    t.addFrame(frame(['Show-1', 0.88, 0.92]));
    t.addFrame(frame(['Show-1', 0.88, 0.92]));
    expect(t.signal()).toBeNull();
    t.addFrame(frame(['Show-1', 0.88, 0.92]));
    expect(t.signal()).toMatchObject({ generator: 'Show-1', frames: 3 });
  });

  it('ignores a fixed mark in the middle of the picture (a sign or product in the scene)', () => {
    const t = new WatermarkTracker();
    for (let i = 0; i < 4; i++) t.addFrame(frame(['KlingAI', 0.45, 0.45]));
    expect(t.signal()).toBeNull();
  });

  it('ignores a fixed mark that wanders between frames', () => {
    const t = new WatermarkTracker();
    t.addFrame(frame(['Runway', 0.02, 0.02]));
    t.addFrame(frame(['Runway', 0.85, 0.9]));
    t.addFrame(frame(['Runway', 0.02, 0.9]));
    expect(t.signal()).toBeNull();
  });

  it('ignores large text and unsure reads', () => {
    const big = new WatermarkTracker();
    big.addFrame(frame(['KlingAI', 0.02, 0.8, 0.4, 0.18]));
    big.addFrame(frame(['KlingAI', 0.02, 0.8, 0.4, 0.18]));
    expect(big.signal()).toBeNull();
    const unsure = new WatermarkTracker();
    unsure.addFrame(frame(['KlingAI', 0.84, 0.92, 0.15, 0.06, 0.3]));
    unsure.addFrame(frame(['KlingAI', 0.84, 0.92, 0.15, 0.06, 0.3]));
    expect(unsure.signal()).toBeNull();
  });

  it('never emits for a chyron that mentions a generator, however often it is seen', () => {
    const t = new WatermarkTracker();
    for (let i = 0; i < 5; i++) t.addFrame(frame(['OpenAI unveils Sora video model', 0.05, 0.85, 0.45, 0.05]));
    expect(t.signals()).toEqual([]);
  });
});

describe('WatermarkTracker: moving marks (Sora)', () => {
  it("accepts Sora's mark hopping between positions, reporting where it was seen last", () => {
    // Positions read from the shared Sora 2 clip: top-left, middle-right, bottom-left.
    const t = new WatermarkTracker();
    t.addFrame(frame(['Sora', 0.18, 0.05, 0.12, 0.03], ['(mdrvwdel', 0.19, 0.08, 0.14, 0.02]));
    t.addFrame(frame(['Sora', 0.7, 0.48, 0.12, 0.03]));
    t.addFrame(frame(['Sora', 0.18, 0.91, 0.12, 0.03]));
    const s = t.signal();
    expect(s).toMatchObject({ generator: 'Sora', text: 'Sora', frames: 3 });
    expect(s!.box.y).toBeCloseTo(0.91, 5);
  });

  it('reports the place Sora was seen most when it repeats', () => {
    const t = new WatermarkTracker();
    t.addFrame(frame(['Sora', 0.7, 0.48, 0.12, 0.03]));
    t.addFrame(frame(['Sora', 0.18, 0.05, 0.12, 0.03]));
    t.addFrame(frame(['Sora', 0.18, 0.05, 0.12, 0.03]));
    expect(t.signal()).toMatchObject({ frames: 3, box: { x: 0.18, y: 0.05 } });
  });

  it('needs Sora on two frames too', () => {
    const t = new WatermarkTracker();
    t.addFrame(frame(['Sora', 0.18, 0.05, 0.12, 0.03]));
    t.addFrame(frame(['Soda', 0.7, 0.48, 0.12, 0.03]));
    expect(t.signal()).toBeNull();
  });

  it('reports each generator separately, most frames first', () => {
    const t = new WatermarkTracker();
    t.addFrame(frame(['Sora', 0.18, 0.05], ['Show-1', 0.88, 0.92]));
    t.addFrame(frame(['Sora', 0.7, 0.48], ['Show-1', 0.88, 0.92]));
    t.addFrame(frame(['Show-1', 0.88, 0.92]));
    expect(t.signals().map((s) => [s.generator, s.frames])).toEqual([
      ['Show-1', 3],
      ['Sora', 2],
    ]);
  });
});

describe('isEdgePlaced', () => {
  it('accepts corners and edge strips, rejects the middle', () => {
    expect(isEdgePlaced({ x: 0.84, y: 0.92, width: 0.15, height: 0.06 }, 0.2)).toBe(true);
    expect(isEdgePlaced({ x: 0.4, y: 0.02, width: 0.2, height: 0.05 }, 0.2)).toBe(true);
    expect(isEdgePlaced({ x: 0.4, y: 0.4, width: 0.2, height: 0.05 }, 0.2)).toBe(false);
  });
});

describe('WatermarkTracker: neighbours on the same row', () => {
  it('drops a mark that is one word of a sentence split by the detector', () => {
    const t = new WatermarkTracker();
    for (let i = 0; i < 3; i++) {
      t.addFrame(
        frame(
          ['OpenAI unveils', 0.02, 0.9, 0.2, 0.04],
          ['Sora', 0.23, 0.9, 0.06, 0.04],
          ['video model', 0.3, 0.9, 0.15, 0.04],
        ),
      );
    }
    expect(t.signal()).toBeNull();
  });

  it("keeps a mark next to its logo read as digits, a version or a handle (Sora's cloud read as '00')", () => {
    const t = new WatermarkTracker();
    t.addFrame(
      frame(['09', 0.1, 0.06, 0.05, 0.02], ['Sora', 0.18, 0.05, 0.12, 0.03], ['@someone', 0.31, 0.05, 0.1, 0.03]),
    );
    t.addFrame(frame(['Kling', 0.8, 0.92, 0.08, 0.05], ['Master', 0.89, 0.92, 0.06, 0.05]));
    t.addFrame(frame(['00', 0.62, 0.49, 0.05, 0.02], ['Sora', 0.7, 0.48, 0.12, 0.03]));
    t.addFrame(frame(['Kling', 0.8, 0.92, 0.08, 0.05], ['2.0', 0.89, 0.92, 0.03, 0.05]));
    expect(t.signals().map((s) => [s.generator, s.frames])).toEqual([
      ['Sora', 2],
      ['Kling', 2],
    ]);
  });
});

describe('sightings per frame, the rule over frames', () => {
  it('gives the tracker’s signals from each frame’s sightings alone, so they can travel and be judged elsewhere', () => {
    const frames = [
      frame(
        ['KlingAI 2.0', 0.84, 0.92, 0.15, 0.06],
        ['Sora', 0.18, 0.05, 0.12, 0.03],
        ['@maker', 0.18, 0.09, 0.1, 0.03],
      ),
      frame(),
      frame(['KingAI 2.0', 0.841, 0.921, 0.15, 0.06], ['Sora', 0.7, 0.48, 0.12, 0.03]),
    ];
    const t = new WatermarkTracker();
    for (const f of frames) t.addFrame(f);
    // What crosses from the host to the background: small, JSON, boxes as fractions, no OCR lines.
    const sent = JSON.parse(JSON.stringify(frames.map((f) => ({ sightings: frameSightings(f) }))));
    expect(sent[1]).toEqual({ sightings: [] });
    expect(watermarkSignals(sent)).toEqual(t.signals());
    expect(watermarkSignals(sent).map((s) => [s.generator, s.frames, s.handle])).toEqual([
      ['Kling', 2, undefined],
      ['Sora', 2, '@maker'],
    ]);
  });

  it('keeps a bounded number of sightings from a frame full of marks', () => {
    const lines = Array.from({ length: 20 }, (_, i): [string, number, number] => ['Kling', 0.02, 0.04 * i]);
    expect(frameSightings(frame(...lines))).toHaveLength(MAX_SIGHTINGS_PER_FRAME);
  });
});
