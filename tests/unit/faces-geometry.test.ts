import { describe, expect, it } from 'vitest';
import {
  CROP_MARGIN,
  faceCropRect,
  MAX_FACES_PER_FRAME,
  MIN_DETECTOR_SCORE,
  relativeBox,
  selectFaces,
} from '../../lib/analysis/faces/face-geometry';

describe('face boxes', () => {
  it('keeps confident faces, clipped to the frame, largest first, at most three', () => {
    const faces = selectFaces(
      [
        { x: 10, y: 10, width: 20, height: 20, score: 0.95 },
        { x: -10, y: 100, width: 60, height: 60, score: 0.9 },
        { x: 200, y: 10, width: 40, height: 40, score: MIN_DETECTOR_SCORE - 0.01 },
        { x: 100, y: 100, width: 30, height: 30, score: 0.85 },
        { x: 150, y: 150, width: 25, height: 25, score: 0.8 },
        { x: 300, y: 300, width: 25, height: 25, score: 0.99 },
      ],
      256,
      256,
    );
    expect(faces).toHaveLength(MAX_FACES_PER_FRAME);
    expect(faces[0]).toEqual({ x: 0, y: 100, width: 50, height: 60, score: 0.9 });
    expect(faces.map((f) => f.score)).toEqual([0.9, 0.85, 0.8]);
  });

  it('reports boxes in fractions of the frame', () => {
    expect(relativeBox({ x: 64, y: 36, width: 128, height: 72 }, 256, 144)).toEqual({
      x: 0.25,
      y: 0.25,
      width: 0.5,
      height: 0.5,
    });
  });

  it('crops a square with margin around the face, shifted to stay inside the frame', () => {
    const inside = faceCropRect({ x: 100, y: 50, width: 40, height: 50 }, 256, 144);
    expect(inside.width).toBe(Math.round(50 * CROP_MARGIN));
    expect(inside.height).toBe(inside.width);
    expect(inside.x + inside.width / 2).toBeCloseTo(120, 0);
    expect(inside.y + inside.height / 2).toBeCloseTo(75, 0);

    const corner = faceCropRect({ x: 0, y: 0, width: 40, height: 40 }, 256, 144);
    expect(corner).toEqual({ x: 0, y: 0, width: 56, height: 56 });

    const huge = faceCropRect({ x: 20, y: 0, width: 200, height: 144 }, 256, 144);
    expect(huge).toEqual({ x: 48, y: 0, width: 144, height: 144 });
  });
});
