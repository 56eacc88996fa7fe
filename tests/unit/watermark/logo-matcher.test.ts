import { describe, expect, it } from 'vitest';
import { evaluateVerdict, watermarkReason } from '../../../lib/core/verdict';
import type { WatermarkSignal } from '../../../lib/core/signals';
import {
  logoFeatures,
  matchLogos,
  windowEnergies,
  type LogoTemplate,
} from '../../../lib/analysis/watermark/logo-matcher';
import { SHIPPED_LOGOS } from '../../../lib/analysis/watermark/watermark-reader';
import { readHandle, WatermarkTracker } from '../../../lib/core/watermark-tracker';

const W = 640;
const H = 360;

/** A frame of smooth, slowly varying colour plus a little deterministic noise: a stand-in for a blurred scene. */
function scene(seed = 1): Uint8ClampedArray {
  const px = new Uint8ClampedArray(W * H * 4);
  let s = seed;
  const noise = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 9) - 4;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      px[i] = 120 + 60 * Math.sin((x + seed * 37) / 70) + noise();
      px[i + 1] = 90 + 40 * Math.cos((y + seed * 11) / 50) + noise();
      px[i + 2] = 70 + 30 * Math.sin((x + y) / 90) + noise();
      px[i + 3] = 255;
    }
  }
  return px;
}

/** Three additive discs (red top-left, blue top-right, green below) centred at (cx, cy), radius r: a Gen-2-like mark. */
function drawDiscs(px: Uint8ClampedArray, cx: number, cy: number, r: number): void {
  const discs: Array<[number, number, number]> = [
    [cx - r * 0.5, cy - r * 0.4, 0],
    [cx + r * 0.5, cy - r * 0.4, 2],
    [cx, cy + r * 0.45, 1],
  ];
  for (let y = Math.floor(cy - 2 * r); y < cy + 2 * r; y++) {
    for (let x = Math.floor(cx - 2 * r); x < cx + 2 * r; x++) {
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      for (const [dx, dy, c] of discs) {
        if ((x - dx) ** 2 + (y - dy) ** 2 <= r * r) {
          const i = (y * W + x) * 4 + c;
          px[i] = Math.min(255, px[i]! + 200);
        }
      }
    }
  }
}

/** A row of thin bright vertical bars (a Sora-1-like mark) starting at (x, y). */
function drawBars(px: Uint8ClampedArray, x: number, y: number, count: number, gap: number, h: number): void {
  for (let k = 0; k < count; k++) {
    for (let yy = y; yy < y + h; yy++) {
      const i = (yy * W + x + k * gap) * 4;
      px[i] = px[i + 1] = px[i + 2] = 245;
    }
  }
}

/** A template cut from `px` at `box` (frame pixels), at the box's own size: what build:logos does, minus averaging. */
function cut(
  px: Uint8ClampedArray,
  box: { x: number; y: number; width: number; height: number },
  features: LogoTemplate['features'],
): LogoTemplate {
  const rgb: number[] = [];
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * W + x) * 4;
      rgb.push(px[i]!, px[i + 1]!, px[i + 2]!);
    }
  }
  return {
    id: `test-${features}`,
    generator: features === 'colour' ? 'Runway' : 'Sora',
    width: box.width,
    height: box.height,
    rgb,
    features,
    box: { x: box.x / W, y: box.y / H, width: box.width / W, height: box.height / H },
  };
}

const DISC_BOX = { x: 580, y: 300, width: 36, height: 36 };
const BAR_BOX = { x: 560, y: 320, width: 48, height: 20 };

describe('matchLogos', () => {
  const withDiscs = scene(1);
  drawDiscs(withDiscs, 598, 318, 9);
  const discs = cut(withDiscs, DISC_BOX, 'colour');
  const withBars = scene(1);
  drawBars(withBars, 564, 324, 8, 5, 12);
  const bars = cut(withBars, BAR_BOX, 'strokes');

  it('finds a coloured logo in its corner on another scene, a little off its place', () => {
    const other = scene(7);
    drawDiscs(other, 602, 316, 9);
    const hits = matchLogos(other, W, H, [discs]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.generator).toBe('Runway');
    expect(hits[0]!.score).toBeGreaterThan(0.65);
    expect(Math.abs(hits[0]!.box.x + hits[0]!.box.width / 2 - 602)).toBeLessThan(6);
  });

  it('finds a thin-stroke logo on another scene and at a slightly larger size', () => {
    const other = scene(5);
    // 10% larger bars: 5.5 px apart, 13 px tall.
    for (let k = 0; k < 8; k++) drawBars(other, 562 + Math.round(k * 5.5), 323, 1, 0, 13);
    const hits = matchLogos(other, W, H, [bars]);
    expect(hits.map((h) => h.generator)).toEqual(['Sora']);
  });

  it('finds nothing on scenes without the logo, nor on a lone bright disc where the coloured one belongs', () => {
    expect(matchLogos(scene(3), W, H, [discs, bars])).toEqual([]);
    const white = scene(4);
    for (let y = 300; y < 336; y++) {
      for (let x = 580; x < 616; x++) {
        if ((x - 598) ** 2 + (y - 318) ** 2 <= 100) {
          const i = (y * W + x) * 4;
          white[i] = white[i + 1] = white[i + 2] = 250;
        }
      }
    }
    expect(matchLogos(white, W, H, [discs])).toEqual([]);
  });

  it('does not look for a logo far from where its generator stamps it', () => {
    const moved = scene(7);
    drawDiscs(moved, 60, 60, 9);
    expect(matchLogos(moved, W, H, [discs])).toEqual([]);
  });

  it('rejects a frame buffer too small for its stated size, and a malformed template', () => {
    expect(() => matchLogos(new Uint8ClampedArray(10), W, H, [discs])).toThrow(/needs/);
    expect(() => matchLogos(scene(1), W, H, [{ ...discs, rgb: [1, 2, 3] }])).toThrow(/wrong number/);
  });

  it('stroke features keep thin bright lines and drop smooth shading', () => {
    const w = 9;
    const h = 5;
    const rgb: number[] = [];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) rgb.push(...(x === 4 ? [250, 250, 250] : [40 + x * 5, 40 + x * 5, 40 + x * 5]));
    const f = logoFeatures(rgb, w, h, 'strokes');
    expect(f[2 * w + 4]!).toBeGreaterThan(100);
    expect(f[2 * w + 1]!).toBe(0);
  });

  it('ships templates of the right size, at the bottom right, for Sora and Runway', () => {
    expect(SHIPPED_LOGOS.length).toBeGreaterThan(0);
    expect(new Set(SHIPPED_LOGOS.map((t) => t.generator))).toEqual(new Set(['Sora', 'Runway']));
    for (const t of SHIPPED_LOGOS) {
      expect(t.rgb).toHaveLength(t.width * t.height * 3);
      expect(t.box.x).toBeGreaterThan(0.7);
      expect(t.box.y).toBeGreaterThan(0.7);
    }
  });
});

describe('WatermarkTracker: logos', () => {
  const logo = (x: number, y: number) => ({ generator: 'Runway', box: { x, y, width: 84, height: 72 } });

  it('names the generator of a logo seen on two frames at one place, marked as a logo', () => {
    const t = new WatermarkTracker();
    t.addFrame({ width: 896, height: 512, lines: [], logos: [logo(808, 432)] });
    expect(t.signal()).toBeNull();
    t.addFrame({ width: 896, height: 512, lines: [], logos: [logo(810, 433)] });
    expect(t.signal()).toMatchObject({ generator: 'Runway', frames: 2, logo: true, text: 'Runway logo' });
  });

  it('gives nothing for a logo that shows up at two different places', () => {
    const t = new WatermarkTracker();
    t.addFrame({ width: 896, height: 512, lines: [], logos: [logo(808, 432)] });
    t.addFrame({ width: 896, height: 512, lines: [], logos: [logo(700, 432)] });
    expect(t.signal()).toBeNull();
  });
});

describe('Sora handles', () => {
  it('reads "@name", and puts back an "@" that OCR read as a look-alike letter', () => {
    expect(readHandle('@andrewdefee')).toBe('@andrewdefee');
    expect(readHandle('Eandrewdefee')).toBe('@andrewdefee');
    expect(readHandle('two words')).toBeNull();
    expect(readHandle('ok')).toBeNull();
  });

  it('keeps the most confident handle read under a moving Sora mark', () => {
    const t = new WatermarkTracker();
    const f = (x: number, y: number, handle: string, confidence: number) => ({
      width: 264,
      height: 480,
      lines: [
        { text: 'Sora', confidence: 0.99, box: { x, y, width: 32, height: 15 } },
        { text: handle, confidence, box: { x: x - 12, y: y + 15, width: 43, height: 8 } },
      ],
    });
    t.addFrame(f(185, 228, 'Bandrawdefes', 0.69));
    t.addFrame(f(48, 435, 'Eandrewdefee', 0.88));
    expect(t.signal()).toMatchObject({ generator: 'Sora', frames: 2, handle: '@andrewdefee' });
  });
});

describe('watermark reasons', () => {
  const base: WatermarkSignal = {
    kind: 'watermark',
    generator: 'Sora',
    text: 'Sora',
    frames: 3,
    box: { x: 0.1, y: 0.1, width: 0.1, height: 0.05 },
  };

  it('name the generator and the handle, not the raw OCR text', () => {
    expect(watermarkReason({ ...base, handle: '@andrewdefee' })).toBe(
      'A visible Sora watermark, @andrewdefee, on 3 frames.',
    );
    expect(watermarkReason({ ...base, generator: 'Kling', text: 'KLINGAl 1.6' })).toBe(
      'A visible Kling watermark on 3 frames.',
    );
    expect(watermarkReason({ ...base, generator: 'Runway', text: 'Runway logo', logo: true })).toBe(
      'A visible Runway watermark (its logo) on 3 frames.',
    );
  });

  it('lead the verdict', () => {
    const v = evaluateVerdict([{ ...base, handle: '@someone' }]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toBe('A visible Sora watermark, @someone, on 3 frames.');
  });
});

describe('windowEnergies', () => {
  /** The window's sum of squares about each channel's mean, added up pixel by pixel. */
  function naive(plane: Float32Array, pw: number, x: number, y: number, tw: number, th: number, ch: number): number {
    let energy = 0;
    for (let c = 0; c < ch; c++) {
      let sum = 0;
      for (let yy = 0; yy < th; yy++) for (let xx = 0; xx < tw; xx++) sum += plane[((y + yy) * pw + x + xx) * ch + c]!;
      const mean = sum / (tw * th);
      for (let yy = 0; yy < th; yy++)
        for (let xx = 0; xx < tw; xx++) energy += (plane[((y + yy) * pw + x + xx) * ch + c]! - mean) ** 2;
    }
    return energy;
  }

  it('gives every window the energy added up pixel by pixel, and −1 for flat windows', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
    for (const ch of [1, 3]) {
      const pw = 23;
      const ph = 17;
      const plane = Float32Array.from({ length: pw * ph * ch }, random);
      // A flat stripe at the top: windows inside it have no contrast.
      plane.fill(40, 0, pw * 6 * ch);
      const [tw, th] = [7, 5];
      const energies = windowEnergies(plane, pw, ph, tw, th, ch, 1);
      expect(energies).toHaveLength((pw - tw + 1) * (ph - th + 1));
      for (let y = 0; y <= ph - th; y++) {
        for (let x = 0; x <= pw - tw; x++) {
          const got = energies[y * (pw - tw + 1) + x]!;
          if (y + th <= 6) expect(got).toBe(-1);
          else expect(got).toBeCloseTo(naive(plane, pw, x, y, tw, th, ch), 3);
        }
      }
    }
  });
});
