import type { FrameStats } from '../core/signals';

/**
 * Thresholds for "nothing to judge". A frame is blank when its luma barely
 * varies and it has almost no edges (a flat colour, a loading screen), or when
 * nearly all of it sits at video black level. Chosen so that dim but real
 * footage (night scenes keep edges and noise) is not called blank.
 */
export const BLANK_THRESHOLDS = {
  maxStd: 0.02,
  maxEdge: 0.004,
  minDarkFraction: 0.985,
} as const;

/** True when the frame carries no picture worth judging. */
export function isBlankFrame(stats: FrameStats): boolean {
  const flat = stats.lumaStd < BLANK_THRESHOLDS.maxStd && stats.edgeEnergy < BLANK_THRESHOLDS.maxEdge;
  const black = stats.darkFraction >= BLANK_THRESHOLDS.minDarkFraction;
  return flat || black;
}

/** Converts RGBA bytes to the NCHW float tensor (0..1) the frame models take. */
export function rgbaToNchw(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0, p = 0; p < plane; i += 4, p++) {
    out[p] = rgba[i]! / 255;
    out[plane + p] = rgba[i + 1]! / 255;
    out[2 * plane + p] = rgba[i + 2]! / 255;
  }
  return out;
}

/**
 * The same statistics as the ONNX graph, in plain TypeScript: the reference
 * the parity test holds the model to.
 */
export function referenceFrameStats(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): FrameStats {
  const n = width * height;
  const luma = new Float64Array(n);
  let sum = 0;
  let dark = 0;
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    const y = (0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!) / 255;
    luma[p] = y;
    sum += y;
    if (y < 16 / 255) dark++;
  }
  const mean = sum / n;
  let sq = 0;
  for (let p = 0; p < n; p++) sq += (luma[p]! - mean) ** 2;
  let ex = 0;
  let ey = 0;
  for (let yy = 0; yy < height; yy++) {
    for (let xx = 0; xx < width; xx++) {
      const p = yy * width + xx;
      if (xx + 1 < width) ex += Math.abs(luma[p + 1]! - luma[p]!);
      if (yy + 1 < height) ey += Math.abs(luma[p + width]! - luma[p]!);
    }
  }
  const edgeX = width > 1 ? ex / ((width - 1) * height) : 0;
  const edgeY = height > 1 ? ey / (width * (height - 1)) : 0;
  return { meanLuma: mean, lumaStd: Math.sqrt(sq / n), edgeEnergy: (edgeX + edgeY) / 2, darkFraction: dark / n };
}
