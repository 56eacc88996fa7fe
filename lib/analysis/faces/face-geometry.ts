import type { Box } from '../../core/signals';

/** A face as the detector reports it, in pixels of the image it saw. */
export interface PixelFace {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** Most faces kept per frame: the largest, which are the ones a viewer looks at. */
export const MAX_FACES_PER_FRAME = 3;
/**
 * Faces below this detector confidence are not reported. On the 88 video clips of ../shared/data, detections
 * on animals and objects (a bear, a cat, a dog, a pillow, onions, a hummingbird) scored at most 0.68, while
 * faces in talking-head clips scored 0.83–0.97 (models/faces/MODEL_CARD.md).
 */
export const MIN_DETECTOR_SCORE = 0.75;
/** What MediaPipe itself keeps; the stricter cut above is applied afterwards. */
export const DETECTOR_FLOOR = 0.5;
/** The crop around a face is this much larger than the box, so jaw, hairline and ears are in it. */
export const CROP_MARGIN = 1.4;
/**
 * A face crop smaller than this (pixels, on the ≤256 px frame) is not scored:
 * the classifier would see mostly up-sampling of a handful of pixels.
 */
export const MIN_SCORED_CROP = 32;

/** A pixel rectangle with integer corners inside a `width`×`height` image. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * The faces worth reporting, largest first: confident enough, clipped to
 * the image, with some area left, at most {@link MAX_FACES_PER_FRAME}.
 */
export function selectFaces(faces: readonly PixelFace[], width: number, height: number): PixelFace[] {
  const kept: PixelFace[] = [];
  for (const f of faces) {
    if (!(f.score >= MIN_DETECTOR_SCORE)) continue;
    const x0 = clamp(f.x, 0, width);
    const y0 = clamp(f.y, 0, height);
    const x1 = clamp(f.x + f.width, 0, width);
    const y1 = clamp(f.y + f.height, 0, height);
    if (x1 - x0 < 1 || y1 - y0 < 1) continue;
    kept.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: f.score });
  }
  return kept.sort((a, b) => b.width * b.height - a.width * a.height).slice(0, MAX_FACES_PER_FRAME);
}

/** A face box in fractions (0..1) of the frame, as the report keeps it. */
export function relativeBox(face: PixelRect, width: number, height: number): Box {
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return { x: r(face.x / width), y: r(face.y / height), width: r(face.width / width), height: r(face.height / height) };
}

/**
 * The square around a face to score: the box's longer side times
 * {@link CROP_MARGIN}, centred on the box, shifted (not shrunk) to stay in
 * the image where it can, and cut at the image edges where it cannot.
 */
export function faceCropRect(face: PixelRect, width: number, height: number): PixelRect {
  const side = Math.min(Math.round(Math.max(face.width, face.height) * CROP_MARGIN), width, height);
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  const x = clamp(Math.round(cx - side / 2), 0, width - side);
  const y = clamp(Math.round(cy - side / 2), 0, height - side);
  return { x, y, width: side, height: side };
}
