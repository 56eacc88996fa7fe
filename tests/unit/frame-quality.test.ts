import { describe, expect, it } from 'vitest';
import { BLANK_THRESHOLDS, isBlankFrame, referenceFrameStats, rgbaToNchw } from '../../lib/analysis/frame-quality';
import type { FrameStats } from '../../lib/core/signals';
import { flat, makeImage, noise } from './frame-images';

function stats(overrides: Partial<FrameStats>): FrameStats {
  return { meanLuma: 0.45, lumaStd: 0.2, edgeEnergy: 0.05, darkFraction: 0.02, ...overrides };
}

function statsOf(image: { data: Uint8ClampedArray; width: number; height: number }): FrameStats {
  return referenceFrameStats(image.data, image.width, image.height);
}

describe('isBlankFrame', () => {
  it('calls a black frame blank', () => {
    expect(isBlankFrame(stats({ meanLuma: 0.01, lumaStd: 0.01, edgeEnergy: 0.001, darkFraction: 1 }))).toBe(true);
    expect(isBlankFrame(statsOf(flat('black', 32, 32, 0)))).toBe(true);
  });

  it('calls a flat grey frame blank although nothing in it is dark', () => {
    expect(isBlankFrame(stats({ meanLuma: 0.5, lumaStd: 0.005, edgeEnergy: 0.001, darkFraction: 0 }))).toBe(true);
    expect(isBlankFrame(statsOf(flat('grey', 32, 32, 128)))).toBe(true);
  });

  it('calls a mostly-black frame blank even with a few bright pixels (a loading spinner)', () => {
    expect(
      isBlankFrame(stats({ lumaStd: 0.1, edgeEnergy: 0.02, darkFraction: BLANK_THRESHOLDS.minDarkFraction })),
    ).toBe(true);
  });

  it('does not call a noisy dark frame blank (night footage keeps noise and edges)', () => {
    const night = statsOf(noise('night', 32, 32, 7, 40));
    expect(night.meanLuma).toBeLessThan(0.1);
    expect(isBlankFrame(night)).toBe(false);
  });

  it('does not call a normal frame blank', () => {
    expect(isBlankFrame(stats({}))).toBe(false);
    expect(isBlankFrame(statsOf(noise('normal', 32, 32, 3)))).toBe(false);
  });

  it('needs both little variation and few edges to call a frame flat', () => {
    expect(isBlankFrame(stats({ lumaStd: 0.01, edgeEnergy: 0.01, darkFraction: 0 }))).toBe(false);
    expect(isBlankFrame(stats({ lumaStd: 0.05, edgeEnergy: 0.001, darkFraction: 0 }))).toBe(false);
  });

  it('treats the thresholds as exclusive for flatness and inclusive for darkness', () => {
    const flatEdge = { edgeEnergy: 0.001, darkFraction: 0 };
    expect(isBlankFrame(stats({ ...flatEdge, lumaStd: BLANK_THRESHOLDS.maxStd }))).toBe(false);
    expect(isBlankFrame(stats({ ...flatEdge, lumaStd: BLANK_THRESHOLDS.maxStd - 1e-6 }))).toBe(true);
    expect(isBlankFrame(stats({ darkFraction: BLANK_THRESHOLDS.minDarkFraction - 1e-6 }))).toBe(false);
  });
});

describe('rgbaToNchw', () => {
  it('splits RGBA pixels into three planes scaled to 0..1, dropping alpha', () => {
    // 2×2, row-major: (0,0) red, (1,0) green, (0,1) blue, (1,1) 51/102/204.
    const rgba = new Uint8Array([255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30, 51, 102, 204, 40]);
    const out = rgbaToNchw(rgba, 2, 2);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out).toHaveLength(12);
    const expected = [1, 0, 0, 0.2, 0, 1, 0, 0.4, 0, 0, 1, 0.8];
    expected.forEach((value, i) => expect(out[i]).toBeCloseTo(value, 6));
  });

  it('keeps pixels in row-major order for non-square images', () => {
    // 3×1: red levels 0, 51, 255 left to right.
    const rgba = new Uint8ClampedArray([0, 0, 0, 255, 51, 0, 0, 255, 255, 0, 0, 255]);
    const out = rgbaToNchw(rgba, 3, 1);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, Math.fround(0.2), 1]);
    expect(Array.from(out.subarray(3))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('referenceFrameStats', () => {
  it('computes all four statistics of a 2×2 black-and-white checkerboard', () => {
    // Luma 1 0 / 0 1: mean 0.5; every pixel is 0.5 from the mean, so std 0.5;
    // every horizontal and vertical neighbour pair differs by 1, so edge energy 1; half are dark.
    const image = makeImage('checker', 2, 2, (x, y) => ((x + y) % 2 === 0 ? [255, 255, 255] : [0, 0, 0]));
    const s = statsOf(image);
    expect(s.meanLuma).toBeCloseTo(0.5, 10);
    expect(s.lumaStd).toBeCloseTo(0.5, 10);
    expect(s.edgeEnergy).toBeCloseTo(1, 10);
    expect(s.darkFraction).toBe(0.5);
  });

  it('computes the statistics of a 2×2 image with only a vertical edge', () => {
    // Left column luma 0.4 (102), right column 0.8 (204): dx = 0.4 on both rows, dy = 0,
    // so edge energy (0.4 + 0) / 2 = 0.2; mean 0.6, std 0.2; nothing is dark.
    const image = makeImage('columns', 2, 2, (x) => (x === 0 ? [102, 102, 102] : [204, 204, 204]));
    const s = statsOf(image);
    expect(s.meanLuma).toBeCloseTo(0.6, 10);
    expect(s.lumaStd).toBeCloseTo(0.2, 10);
    expect(s.edgeEnergy).toBeCloseTo(0.2, 10);
    expect(s.darkFraction).toBe(0);
  });

  it('weights channels by BT.601 luma', () => {
    expect(statsOf(makeImage('red', 1, 1, () => [255, 0, 0])).meanLuma).toBeCloseTo(0.299, 10);
    expect(statsOf(makeImage('green', 1, 1, () => [0, 255, 0])).meanLuma).toBeCloseTo(0.587, 10);
    expect(statsOf(makeImage('blue', 1, 1, () => [0, 0, 255])).meanLuma).toBeCloseTo(0.114, 10);
  });

  it('counts pixels under video black level (16/255 luma) as dark', () => {
    // Blue 100: luma 11.4/255, dark. Blue 255: luma 29.07/255, not dark.
    const image = makeImage('blues', 2, 1, (x) => (x === 0 ? [0, 0, 100] : [0, 0, 255]));
    expect(statsOf(image).darkFraction).toBe(0.5);
  });

  it('has no edges and no spread for a single pixel', () => {
    expect(statsOf(makeImage('dot', 1, 1, () => [200, 10, 30]))).toEqual({
      meanLuma: expect.any(Number),
      lumaStd: 0,
      edgeEnergy: 0,
      darkFraction: 0,
    });
  });
});
