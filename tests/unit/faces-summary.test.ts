import { describe, expect, it } from 'vitest';
import type { FaceRecord, FrameRecord } from '../../lib/core/report';
import { FACES_SHOWN, faceAiScore, summariseFaces } from '../../lib/analysis/faces/face-summary';

const face = (detectorScore: number, aiLogit: number | null = 0): FaceRecord => ({
  box: { x: 0.1, y: 0.1, width: 0.2, height: 0.2 },
  detectorScore,
  aiLogit,
  crop: null,
});

function frame(mediaTime: number, faces: FaceRecord[] | null): FrameRecord {
  return {
    mediaTime,
    framePath: 'canvas',
    blank: false,
    aiLogit: null,
    timings: { capture: 0, mainThread: 0, encode: 0, transfer: 0, preprocess: 0, inference: 0, classify: 0 },
    transferBytes: 0,
    analysedAt: 0,
    faces,
  };
}

describe('face summary for the detail view', () => {
  it('says nothing when the detector ran on no frame', () => {
    expect(summariseFaces([frame(0, null), frame(1, null)])).toBeNull();
    expect(summariseFaces([])).toBeNull();
  });

  it('counts checked frames, frames with faces and faces', () => {
    const s = summariseFaces([frame(0, null), frame(1, []), frame(2, [face(0.9), face(0.6)]), frame(3, [face(0.8)])]);
    expect(s).toMatchObject({ framesChecked: 3, framesWithFaces: 2, facesFound: 3 });
  });

  it('lists the most confident faces in frame order, with the crop score as a probability', () => {
    const frames = Array.from({ length: 8 }, (_, i) => frame(i, [face(0.5 + i / 20, i === 7 ? null : Math.log(3))]));
    const s = summariseFaces(frames)!;
    expect(s.shown).toHaveLength(FACES_SHOWN);
    expect(s.shown.map((f) => f.mediaTime)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(s.shown[0]!.aiScore).toBeCloseTo(0.75, 6);
    expect(s.shown.at(-1)!.aiScore).toBeNull();
  });

  it('turns a crop logit into a score without calibration', () => {
    expect(faceAiScore(face(1, 0))).toBe(0.5);
    expect(faceAiScore(face(1, null))).toBeNull();
  });
});
