import { describe, expect, it } from 'vitest';
import { differenceHash } from '../../lib/core/frame-hash';
import { hexHammingDistance } from '../../lib/background/verdict-cache';

/** An RGBA frame painted by `paint(x, y)` (0..1 of the frame's width and height) → grey level 0..255. */
function frame(width: number, height: number, paint: (x: number, y: number) => number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = paint(x / width, y / height);
      const i = (y * width + x) * 4;
      rgba[i] = v;
      rgba[i + 1] = v;
      rgba[i + 2] = v;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/** A scene with structure in every row: a diagonal wave and a bright disc. */
const scene = (x: number, y: number) =>
  128 + 80 * Math.sin(9 * x + 5 * y) + ((x - 0.6) ** 2 + (y - 0.4) ** 2 < 0.04 ? 40 : 0);
/** Another scene: a checker of a different period. */
const otherScene = (x: number, y: number) => ((Math.floor(x * 5) + Math.floor(y * 3)) % 2 ? 220 : 30);

/** A small, deterministic per-pixel noise, like JPEG and scaling leave behind. */
function noisy(rgba: Uint8ClampedArray, amplitude: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba);
  let seed = 12345;
  for (let i = 0; i < out.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const d = ((seed % (2 * amplitude + 1)) - amplitude) | 0;
    out[i] = out[i]! + d;
    out[i + 1] = out[i + 1]! + d;
    out[i + 2] = out[i + 2]! + d;
  }
  return out;
}

describe('difference hash of a frame', () => {
  it('is 16 hex digits, and the same for the same pixels', () => {
    const hash = differenceHash(frame(64, 64, scene), 64, 64);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(differenceHash(frame(64, 64, scene), 64, 64)).toBe(hash);
  });

  it('stays within a few bits for the same picture at another size or with noise', () => {
    const hash = differenceHash(frame(64, 64, scene), 64, 64);
    expect(hexHammingDistance(hash, differenceHash(frame(256, 144, scene), 256, 144))).toBeLessThanOrEqual(6);
    expect(hexHammingDistance(hash, differenceHash(noisy(frame(64, 64, scene), 6), 64, 64))).toBeLessThanOrEqual(6);
  });

  it('differs by many bits for another picture', () => {
    const hash = differenceHash(frame(64, 64, scene), 64, 64);
    expect(hexHammingDistance(hash, differenceHash(frame(64, 64, otherScene), 64, 64))).toBeGreaterThan(20);
  });

  it('reads a brighter left cell as a 1 bit, row by row from the top', () => {
    // Falling brightness left to right: every comparison says "left is brighter".
    expect(
      differenceHash(
        frame(18, 8, (x) => 255 - 250 * x),
        18,
        8,
      ),
    ).toBe('ffffffffffffffff');
    expect(
      differenceHash(
        frame(18, 8, (x) => 5 + 250 * x),
        18,
        8,
      ),
    ).toBe('0000000000000000');
    // Only the top row falls: only the first byte is set.
    expect(
      differenceHash(
        frame(18, 8, (x, y) => (y < 1 / 8 ? 255 - 250 * x : 5 + 250 * x)),
        18,
        8,
      ),
    ).toBe('ff00000000000000');
  });

  it('works on frames smaller than its grid, and refuses frames without pixels', () => {
    expect(differenceHash(frame(3, 2, scene), 3, 2)).toMatch(/^[0-9a-f]{16}$/);
    expect(() => differenceHash(new Uint8ClampedArray(0), 0, 0)).toThrow(RangeError);
    expect(() => differenceHash(new Uint8ClampedArray(16), 4, 4)).toThrow(RangeError);
  });
});
