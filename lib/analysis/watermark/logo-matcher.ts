import type { Box } from '../../core/signals';
import type { RgbaPixels } from './text-detector';

/**
 * A generator's logo as a small colour picture, and where the generator stamps it. Some marks carry no readable
 * letters (Sora 1's bar animation and knot logo, Runway Gen-2's three coloured discs), so OCR cannot name them;
 * these are matched as pictures instead. Templates are built by `npm run build:logos` (scripts/build-logo-templates.ts)
 * from frames of clips that carry the mark, averaged over clips so the scenes behind the mark wash out.
 */
export interface LogoTemplate {
  /** Stable name, e.g. "sora-1@3.5s". */
  id: string;
  /** Generator named when this logo is seen. */
  generator: string;
  /** Template size in pixels. */
  width: number;
  height: number;
  /** RGB, row-major, 0..255, `width × height × 3` values. */
  rgb: number[];
  /** Where the generator stamps the mark, as fractions of the frame (0..1). */
  box: Box;
  /**
   * What is compared: `colour` (the three channels, for coloured marks) or `strokes` (how much brighter each pixel is
   * than its neighbourhood, for thin white line art, so the scene behind the mark matters little).
   */
  features: LogoFeatures;
}

/** See {@link LogoTemplate.features}. */
export type LogoFeatures = 'colour' | 'strokes';

/** Options of {@link matchLogos}. */
export interface LogoMatchOptions {
  /**
   * Normalised cross-correlation a window needs to count as the logo (−1..1), per kind of feature. Chosen above the
   * best score any frame of the shared clips without the mark reached (see models/watermark/EVAL.md).
   */
  minScore: Record<LogoFeatures, number>;
  /** A window must vary at least this much (standard deviation over its pixels, 0..255): flat patches match nothing. */
  minContrast: number;
  /** Sizes tried, relative to the template's own share of the frame. */
  scales: readonly number[];
  /** How far around its usual place a logo is looked for, in logo sizes. */
  slack: number;
}

/** Defaults: a close match, a little texture, ±15% in size, up to half a logo size off its usual place. */
export const DEFAULT_LOGO_OPTIONS: LogoMatchOptions = {
  minScore: { colour: 0.65, strokes: 0.6 },
  minContrast: 12,
  scales: [0.87, 1, 1.15],
  slack: 0.5,
};

/** A logo found on a frame; `box` is in the frame's pixels. */
export interface LogoHit {
  template: string;
  generator: string;
  score: number;
  box: Box;
}

/** A region of the frame resampled to a smaller grid, RGB as floats. */
export interface Patch {
  width: number;
  height: number;
  rgb: Float32Array;
}

/** Area-averaged resampling of the frame's rectangle `src` (frame pixels) to `width × height`, RGB as floats. */
export function resample(
  rgba: RgbaPixels,
  frameWidth: number,
  frameHeight: number,
  src: Box,
  width: number,
  height: number,
): Patch {
  const out = new Float32Array(width * height * 3);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = src.y + y * sy;
    const ya = Math.max(0, Math.floor(y0));
    const yb = Math.min(frameHeight, Math.max(ya + 1, Math.ceil(y0 + sy)));
    for (let x = 0; x < width; x++) {
      const x0 = src.x + x * sx;
      const xa = Math.max(0, Math.floor(x0));
      const xb = Math.min(frameWidth, Math.max(xa + 1, Math.ceil(x0 + sx)));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let yy = ya; yy < yb; yy++) {
        let i = (yy * frameWidth + xa) * 4;
        for (let xx = xa; xx < xb; xx++, i += 4) {
          r += rgba[i]!;
          g += rgba[i + 1]!;
          b += rgba[i + 2]!;
          n++;
        }
      }
      const o = (y * width + x) * 3;
      const k = n > 0 ? 1 / n : 0;
      out[o] = r * k;
      out[o + 1] = g * k;
      out[o + 2] = b * k;
    }
  }
  return { width, height, rgb: out };
}

/** Radius (template pixels) of the neighbourhood a stroke is compared with. */
const STROKE_RADIUS = 2;

/**
 * Feature planes of an RGB grid: the grid itself (`colour`, 3 channels) or its bright strokes (`strokes`, 1 channel):
 * grey level minus the mean of the surrounding (2·{@link STROKE_RADIUS}+1)² box, negatives clipped.
 */
export function logoFeatures(
  rgb: ArrayLike<number>,
  width: number,
  height: number,
  features: LogoFeatures,
): Float32Array {
  if (features === 'colour') return Float32Array.from(rgb);
  const n = width * height;
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
  // Separable box mean with clamped borders.
  const rows = new Float32Array(n);
  const r = STROKE_RADIUS;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let d = -r; d <= r; d++) sum += grey[y * width + Math.min(width - 1, Math.max(0, x + d))]!;
      rows[y * width + x] = sum / (2 * r + 1);
    }
  }
  const out = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let d = -r; d <= r; d++) sum += rows[Math.min(height - 1, Math.max(0, y + d)) * width + x]!;
      out[y * width + x] = Math.max(0, grey[y * width + x]! - sum / (2 * r + 1));
    }
  }
  return out;
}

function channelsOf(features: LogoFeatures): number {
  return features === 'colour' ? 3 : 1;
}

/** A template's features with each channel's mean removed and the whole scaled to unit norm, ready for correlation. */
interface PreparedTemplate {
  source: LogoTemplate;
  channels: number;
  centred: Float32Array;
}

function prepare(template: LogoTemplate): PreparedTemplate {
  const n = template.width * template.height;
  if (template.rgb.length !== n * 3) throw new Error(`logo template ${template.id} has the wrong number of values`);
  const channels = channelsOf(template.features);
  const centred = logoFeatures(template.rgb, template.width, template.height, template.features);
  for (let c = 0; c < channels; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += centred[i * channels + c]!;
    mean /= n;
    for (let i = 0; i < n; i++) centred[i * channels + c]! -= mean;
  }
  let norm = 0;
  for (const v of centred) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < centred.length; i++) centred[i]! /= norm;
  return { source: template, channels, centred };
}

const prepared = new WeakMap<LogoTemplate, PreparedTemplate>();

/**
 * The energy (sum of squares about each channel's mean) of every `tw`×`th` window of the feature planes `plane`
 * (`planeWidth` wide, `ch` interleaved channels), from summed-area tables, so the templates of a group, which share
 * a size and a plane, do not each add up the same windows again; −1 where the window is too flat (`minContrast`, on
 * the same scale as the features). Indexed by `y × (planeWidth − tw + 1) + x`.
 */
export function windowEnergies(
  plane: Float32Array,
  planeWidth: number,
  planeHeight: number,
  tw: number,
  th: number,
  ch: number,
  minContrast: number,
): Float64Array {
  const sw = planeWidth + 1;
  // One table per channel for sums, one for the sum of squares over all channels.
  const sums = new Float64Array(sw * (planeHeight + 1) * ch);
  const squares = new Float64Array(sw * (planeHeight + 1));
  for (let y = 0; y < planeHeight; y++) {
    const rowSum = new Float64Array(ch);
    let rowSquares = 0;
    for (let x = 0; x < planeWidth; x++) {
      for (let c = 0; c < ch; c++) {
        const v = plane[(y * planeWidth + x) * ch + c]!;
        rowSum[c]! += v;
        rowSquares += v * v;
        const at = ((y + 1) * sw + x + 1) * ch + c;
        sums[at] = sums[(y * sw + x + 1) * ch + c]! + rowSum[c]!;
      }
      squares[(y + 1) * sw + x + 1] = squares[y * sw + x + 1]! + rowSquares;
    }
  }
  const n = tw * th;
  const cols = planeWidth - tw + 1;
  const rows = planeHeight - th + 1;
  const out = new Float64Array(Math.max(0, cols) * Math.max(0, rows));
  const box = (table: Float64Array, x: number, y: number, stride: number, c: number) =>
    table[((y + th) * sw + x + tw) * stride + c]! -
    table[(y * sw + x + tw) * stride + c]! -
    table[((y + th) * sw + x) * stride + c]! +
    table[(y * sw + x) * stride + c]!;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let energy = box(squares, x, y, 1, 0);
      for (let c = 0; c < ch; c++) {
        const s = box(sums, x, y, ch, c);
        energy -= (s * s) / n;
      }
      out[y * cols + x] = energy <= 0 || Math.sqrt(energy / (ch * n)) < minContrast ? -1 : energy;
    }
  }
  return out;
}

/**
 * Best normalised cross-correlation of `t` over every placement in the feature planes `plane` (`planeWidth` wide,
 * `t.channels` interleaved channels; channel means removed per window), with the placement; null when every window
 * is too flat. `energies` are the windows' from {@link windowEnergies}.
 */
function bestPlacement(
  plane: Float32Array,
  planeWidth: number,
  planeHeight: number,
  t: PreparedTemplate,
  energies: Float64Array,
): { score: number; x: number; y: number } | null {
  const tw = t.source.width;
  const th = t.source.height;
  const ch = t.channels;
  const cols = planeWidth - tw + 1;
  const rowLength = tw * ch;
  const scoreAt = (x: number, y: number): number => {
    const energy = energies[y * cols + x]!;
    if (energy < 0) return -Infinity;
    // The template is zero-mean per channel, so the window's own means drop out of the dot product.
    let dot = 0;
    let k = 0;
    for (let yy = 0; yy < th; yy++) {
      let i = ((y + yy) * planeWidth + x) * ch;
      for (let j = 0; j < rowLength; j++, i++, k++) dot += plane[i]! * t.centred[k]!;
    }
    return dot / Math.sqrt(energy);
  };
  const maxX = planeWidth - tw;
  const maxY = planeHeight - th;
  // Every other placement first, then the neighbours of the few best: a quarter of the work, and a peak one pixel
  // wide (a thin stroke) is still found from a coarse placement next to it.
  const coarse: Array<{ score: number; x: number; y: number }> = [];
  for (let y = 0; y <= maxY; y += 2) {
    for (let x = 0; x <= maxX; x += 2) {
      const score = scoreAt(x, y);
      if (score === -Infinity) continue;
      coarse.push({ score, x, y });
    }
  }
  coarse.sort((a, b) => b.score - a.score);
  let best: { score: number; x: number; y: number } | null = null;
  for (const c of coarse.slice(0, REFINED)) {
    for (let y = Math.max(0, c.y - 1); y <= Math.min(maxY, c.y + 1); y++) {
      for (let x = Math.max(0, c.x - 1); x <= Math.min(maxX, c.x + 1); x++) {
        const score = x === c.x && y === c.y ? c.score : scoreAt(x, y);
        if (score !== -Infinity && (!best || score > best.score)) best = { score, x, y };
      }
    }
  }
  return best;
}

/** Coarse placements whose neighbourhoods are searched in full. */
const REFINED = 6;

/**
 * Looks for each template's logo near the place its generator stamps it, at a few sizes, and returns the logos whose
 * best window correlates at least `minScore` (for the template's features) with the template (one hit per generator, the best). Cost grows with
 * the number of templates and sizes, not with the frame: the search area is resampled to the template's scale.
 */
export function matchLogos(
  rgba: RgbaPixels,
  width: number,
  height: number,
  templates: readonly LogoTemplate[],
  options: Partial<LogoMatchOptions> = {},
): LogoHit[] {
  const o = { ...DEFAULT_LOGO_OPTIONS, ...options };
  if (rgba.length < width * height * 4)
    throw new Error(`frame of ${width}×${height} needs ${width * height * 4} bytes`);
  const best = new Map<string, LogoHit>();
  // Templates of one generator at one place share the resampled search area.
  const groups = new Map<string, PreparedTemplate[]>();
  for (const template of templates) {
    let p = prepared.get(template);
    if (!p) {
      p = prepare(template);
      prepared.set(template, p);
    }
    const key = `${template.generator}|${template.box.x}|${template.box.y}|${template.box.width}|${template.box.height}|${template.width}x${template.height}|${template.features}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    const first = group[0]!.source;
    const { box } = first;
    for (const scale of o.scales) {
      // The logo's size on this frame at this scale, and the search area around its usual place.
      const logoW = box.width * width * scale;
      const logoH = box.height * height * scale;
      if (logoW < 4 || logoH < 4) continue;
      const cx = (box.x + box.width / 2) * width;
      const cy = (box.y + box.height / 2) * height;
      const x0 = Math.max(0, cx - logoW / 2 - o.slack * logoW);
      const y0 = Math.max(0, cy - logoH / 2 - o.slack * logoH);
      const x1 = Math.min(width, cx + logoW / 2 + o.slack * logoW);
      const y1 = Math.min(height, cy + logoH / 2 + o.slack * logoH);
      const kx = first.width / logoW;
      const ky = first.height / logoH;
      const pw = Math.floor((x1 - x0) * kx);
      const ph = Math.floor((y1 - y0) * ky);
      if (pw < first.width || ph < first.height) continue;
      const patch = resample(rgba, width, height, { x: x0, y: y0, width: pw / kx, height: ph / ky }, pw, ph);
      const plane = logoFeatures(patch.rgb, pw, ph, first.features);
      // Strokes are differences of grey levels over a small part of the window: one level already shows a line.
      const contrast = first.features === 'colour' ? o.minContrast : 1;
      const energies = windowEnergies(plane, pw, ph, first.width, first.height, group[0]!.channels, contrast);
      for (const t of group) {
        const hit = bestPlacement(plane, pw, ph, t, energies);
        if (!hit || hit.score < o.minScore[first.features]) continue;
        const previous = best.get(first.generator);
        if (previous && previous.score >= hit.score) continue;
        best.set(first.generator, {
          template: t.source.id,
          generator: first.generator,
          score: hit.score,
          box: { x: x0 + hit.x / kx, y: y0 + hit.y / ky, width: logoW, height: logoH },
        });
      }
    }
  }
  return [...best.values()];
}
