import type * as Ort from 'onnxruntime-web';
import type { Box } from '../../core/signals';
import type { OrtModule } from '../frame-stats-model';

/** RGBA pixels as a canvas or ffmpeg hands them over. */
export type RgbaPixels = Uint8ClampedArray | Uint8Array;

/**
 * Per-channel normalisation of PaddleOCR's detection models (ImageNet mean and
 * std, in the order the channels are fed: see {@link rgbaToBgrTensor}).
 */
const DET_MEAN = [0.485, 0.456, 0.406] as const;
const DET_STD = [0.229, 0.224, 0.225] as const;

/** Tunables of the DB (differentiable binarisation) post-processing; defaults follow PaddleOCR's inference script. */
export interface TextDetectorOptions {
  /**
   * Longest side of the image the model sees, a multiple of 32. Frames are scaled to it both down and up: 960 keeps a
   * 1080p corner logo (text ~30 px) at ~15 px, and doubles a 480 px-tall phone re-encode so Sora's 10 px handle
   * becomes detectable. 640 costs ~45% of the time but loses most text under ~12 source px on small clips.
   */
  maxSide: number;
  /** Probability above which a pixel of the DB map counts as text (PaddleOCR `det_db_thresh`). */
  binaryThreshold: number;
  /** Mean probability a region needs to be kept as a box (PaddleOCR `det_db_box_thresh`). */
  boxThreshold: number;
  /** How far a shrunk text kernel is grown back (PaddleOCR `det_db_unclip_ratio`). */
  unclipRatio: number;
  /** Regions whose shorter side is below this many model-input pixels are noise. */
  minSide: number;
  /** At most this many boxes, highest score first: a cap on recognition cost for text-heavy frames. */
  maxBoxes: number;
}

/** PaddleOCR's defaults except `maxSide` (see its note). */
export const DEFAULT_DETECTOR_OPTIONS: TextDetectorOptions = {
  maxSide: 960,
  binaryThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSide: 3,
  maxBoxes: 40,
};

/** A text region the detector found, in source-image pixels, with the mean probability of its region. */
export interface DetectedBox extends Box {
  score: number;
}

/** Size the detector feeds the model for a source of `width`×`height`: sides multiples of 32, longest ≈ `maxSide`. */
export function detectorInputSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  return scaledInputSize(width, height, maxSide / Math.max(width, height));
}

/** Size the detector feeds the model for a `width`×`height` window seen at `scale`: each side a multiple of 32. */
function scaledInputSize(width: number, height: number, scale: number): { width: number; height: number } {
  // DB's backbone downsamples by 32; any other size is cropped inside the model and the map would not line up.
  const round32 = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: round32(width), height: round32(height) };
}

/**
 * Bilinearly resamples the `sw`×`sh` window at (`sx`, `sy`) of an RGBA image to `dw`×`dh` and writes it as a planar
 * float tensor in B, G, R order (PaddleOCR trains on OpenCV's BGR images, so its first input channel is blue),
 * normalised per channel with `(v / 255 - mean) / std`. Columns from `dw` to `padWidth` stay 0, which is what
 * PaddleOCR pads recognition inputs with after normalising.
 */
export function rgbaToBgrTensor(
  rgba: RgbaPixels,
  width: number,
  height: number,
  window: Box,
  dw: number,
  dh: number,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
  padWidth = dw,
): Float32Array {
  const plane = padWidth * dh;
  const out = new Float32Array(3 * plane);
  const sx = window.width / dw;
  const sy = window.height / dh;
  // Per channel: v/255 - mean over std as one multiply and one add.
  const mul = [1 / (255 * std[2]), 1 / (255 * std[1]), 1 / (255 * std[0])];
  const add = [-mean[2] / std[2], -mean[1] / std[1], -mean[0] / std[0]];
  for (let y = 0; y < dh; y++) {
    // Pixel centres map to pixel centres, as OpenCV's INTER_LINEAR does.
    const fy = Math.min(Math.max(window.y + (y + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(Math.max(window.x + (x + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      const i00 = (y0 * width + x0) * 4;
      const i01 = (y0 * width + x1) * 4;
      const i10 = (y1 * width + x0) * 4;
      const i11 = (y1 * width + x1) * 4;
      const o = y * padWidth + x;
      for (let c = 0; c < 3; c++) {
        // Output channel c is source channel 2 - c (BGR).
        const s = 2 - c;
        const top = rgba[i00 + s]! + (rgba[i01 + s]! - rgba[i00 + s]!) * wx;
        const bottom = rgba[i10 + s]! + (rgba[i11 + s]! - rgba[i10 + s]!) * wx;
        out[c * plane + o] = (top + (bottom - top) * wy) * mul[c]! + add[c]!;
      }
    }
  }
  return out;
}

/**
 * Turns DB's probability map into axis-aligned boxes: threshold, 8-connected components, mean probability per
 * component as its score, then "unclip". DB learns to mark a shrunk kernel of each text line, so each box is grown by
 * `area × unclipRatio / perimeter` on every side (the offset PaddleOCR applies to the polygon) to cover the glyphs.
 * Boxes come back in map pixels, best score first.
 */
export function boxesFromProbabilityMap(
  prob: Float32Array,
  width: number,
  height: number,
  options: Pick<TextDetectorOptions, 'binaryThreshold' | 'boxThreshold' | 'unclipRatio' | 'minSide' | 'maxBoxes'>,
): DetectedBox[] {
  const n = width * height;
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  const boxes: DetectedBox[] = [];
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (label[start] !== 0 || prob[start]! <= options.binaryThreshold) continue;
    next++;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    let sum = 0;
    let count = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const px = p % width;
      const py = (p - px) / width;
      sum += prob[p]!;
      count++;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (label[q] === 0 && prob[q]! > options.binaryThreshold) {
            label[q] = next;
            stack[top++] = q;
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    if (Math.min(w, h) < options.minSide) continue;
    const score = sum / count;
    if (score < options.boxThreshold) continue;
    const d = (w * h * options.unclipRatio) / (2 * (w + h));
    const x0 = Math.max(0, minX - d);
    const y0 = Math.max(0, minY - d);
    const x1 = Math.min(width, maxX + 1 + d);
    const y1 = Math.min(height, maxY + 1 + d);
    // PaddleOCR drops boxes still thinner than minSide + 2 after unclipping.
    if (Math.min(x1 - x0, y1 - y0) < options.minSide + 2) continue;
    boxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score });
  }
  boxes.sort((a, b) => b.score - a.score);
  return boxes.slice(0, options.maxBoxes);
}

/**
 * PaddleOCR v4 text detection (DB) on one RGBA frame: resize, normalise, run the model, extract boxes and map them
 * back to source pixels. The session is created by the caller, so one session serves every frame.
 */
export async function detectText(
  ort: OrtModule,
  session: Ort.InferenceSession,
  rgba: RgbaPixels,
  width: number,
  height: number,
  options: TextDetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): Promise<DetectedBox[]> {
  const scale = options.maxSide / Math.max(width, height);
  return detectTextIn(ort, session, rgba, width, height, { x: 0, y: 0, width, height }, scale, options);
}

/**
 * DB text detection on one window of a frame, seen at `scale` model pixels per source pixel (each side rounded to a
 * multiple of 32), with boxes in source pixels. Reading a few small windows at full scale costs a fraction of the
 * whole frame, which is how the reader confirms what a cheaper low-resolution pass found.
 */
export async function detectTextIn(
  ort: OrtModule,
  session: Ort.InferenceSession,
  rgba: RgbaPixels,
  width: number,
  height: number,
  window: Box,
  scale: number,
  options: TextDetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): Promise<DetectedBox[]> {
  const size = scaledInputSize(window.width, window.height, scale);
  const data = rgbaToBgrTensor(rgba, width, height, window, size.width, size.height, DET_MEAN, DET_STD);
  const input = new ort.Tensor('float32', data, [1, 3, size.height, size.width]);
  const inputName = session.inputNames[0] ?? 'x';
  const outputName = session.outputNames[0] ?? 'sigmoid_0.tmp_0';
  const result = await session.run({ [inputName]: input });
  input.dispose();
  const map = result[outputName];
  if (!map) throw new Error(`text detector returned no "${outputName}" output`);
  const [, , mapH, mapW] = map.dims;
  if (mapH === undefined || mapW === undefined) throw new Error(`text detector output has shape ${map.dims.join('×')}`);
  const boxes = boxesFromProbabilityMap(map.data as Float32Array, mapW, mapH, options);
  map.dispose();
  const sx = window.width / mapW;
  const sy = window.height / mapH;
  return boxes.map((b) => ({
    x: window.x + b.x * sx,
    y: window.y + b.y * sy,
    width: b.width * sx,
    height: b.height * sy,
    score: b.score,
  }));
}
