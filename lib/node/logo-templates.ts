/**
 * Node only: builds the logo templates of the watermark reader (see lib/analysis/watermark/logo-matcher.ts) from
 * frames of the shared research clips that carry the mark. `npm run build:logos` writes the shipped set;
 * `npm run eval:watermark` rebuilds it without the clip under test (leave one clip out).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Box } from '../core/signals';
import { resample, type LogoFeatures, type LogoTemplate } from '../analysis/watermark/logo-matcher';
import { decodeFrame } from './frames';

/** One logo to learn: which clips show it, where, and at which moments of its animation. */
export interface LogoSpec {
  name: string;
  generator: string;
  /** Picks the MANIFEST rows (ai-video) whose clips carry this mark. */
  select: (row: { file: string; generator: string; mark: string }) => boolean;
  /** Where the mark sits in those clips, fractions of the frame. */
  box: Box;
  /** Template size in pixels (a half to two thirds of the mark's size in the clips: small enough to be cheap). */
  width: number;
  height: number;
  features: LogoFeatures;
  /**
   * Moments (s) of the mark's animation to keep a template of. Both marks are animated the same way in every clip;
   * moments are chosen away from the eval's sampling times (fifths of the clip) so a held-out clip is matched at
   * phases no template was taken at.
   */
  times: number[];
}

/**
 * The logos learned. Sora 1 (480×720 clips) draws a row of bars at bottom right that folds into the OpenAI knot;
 * Runway Gen-2 (896×512) shows red, green and blue discs at bottom right that turn, merge into a white disc around
 * 2–3 s and split again. The white-disc phase is left out: any bright round blob would match it.
 */
export const LOGO_SPECS: readonly LogoSpec[] = [
  {
    name: 'sora-1',
    generator: 'Sora',
    select: (r) => /Sora \(v1\) bar logo/.test(r.mark),
    box: { x: 390 / 480, y: 664 / 720, width: 72 / 480, height: 44 / 720 },
    width: 48,
    height: 30,
    features: 'strokes',
    times: [1.2, 1.45, 1.7, 1.95, 2.2, 3.25, 3.5, 3.75, 4.25, 4.5, 4.75],
  },
  {
    name: 'runway-gen2',
    generator: 'Runway',
    select: (r) => /gen-?2/i.test(r.generator) && /white dot/.test(r.mark),
    box: { x: 808 / 896, y: 432 / 512, width: 84 / 896, height: 72 / 512 },
    width: 21,
    height: 18,
    features: 'colour',
    times: [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 3.1, 3.3, 3.5, 3.7, 3.9],
  },
];

/** The clips of the shared ai-video MANIFEST each spec learns from. */
export function logoTrainingClips(shared: string, specs: readonly LogoSpec[] = LOGO_SPECS): Map<string, string[]> {
  const manifest = join(shared, 'ai-video', 'MANIFEST.tsv');
  const out = new Map<string, string[]>(specs.map((s) => [s.name, []]));
  if (!existsSync(manifest)) return out;
  const [header, ...lines] = readFileSync(manifest, 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  for (const line of lines) {
    const cells = line.split('\t');
    const row = {
      file: join(shared, 'ai-video', cells[cols.indexOf('file')] ?? ''),
      generator: cells[cols.indexOf('generator')] ?? '',
      mark: cells[cols.indexOf('visible_watermark')] ?? '',
    };
    for (const spec of specs) if (spec.select(row)) out.get(spec.name)!.push(row.file);
  }
  return out;
}

/** Correlation of two templates of one size (channel means removed), to drop near-duplicates. */
function similarity(a: readonly number[], b: readonly number[]): number {
  const n = a.length / 3;
  const centred = (v: readonly number[]) => {
    const out = new Float64Array(v.length);
    for (let c = 0; c < 3; c++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += v[i * 3 + c]!;
      m /= n;
      for (let i = 0; i < n; i++) out[i * 3 + c] = v[i * 3 + c]! - m;
    }
    return out;
  };
  const x = centred(a);
  const y = centred(b);
  let dot = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i]! * y[i]!;
    xx += x[i]! * x[i]!;
    yy += y[i]! * y[i]!;
  }
  return dot / Math.sqrt(xx * yy || 1);
}

/** Two moments whose crops correlate above this are one template: fewer templates, less matching per frame. */
const SAME = 0.93;

/** Crops already cut, per clip, moment and spec: the leave-one-out evaluation rebuilds templates many times. */
const crops = new Map<string, Float32Array>();

function crop(file: string, time: number, spec: LogoSpec): Float32Array {
  const key = `${file}|${time}|${spec.name}`;
  let rgb = crops.get(key);
  if (!rgb) {
    // Native size: the mark's pixels as the generator drew them.
    const frame = decodeFrame(file, time, 8192);
    const { box } = spec;
    const src = {
      x: box.x * frame.width,
      y: box.y * frame.height,
      width: box.width * frame.width,
      height: box.height * frame.height,
    };
    rgb = resample(frame.rgba, frame.width, frame.height, src, spec.width, spec.height).rgb;
    crops.set(key, rgb);
  }
  return rgb;
}

/**
 * Builds the templates: for each spec and moment, the mean of that moment's crop over the spec's clips (minus
 * `exclude`), dropping a moment that looks like one already kept (correlation above {@link SAME}). A spec left with no
 * clip gives no template.
 */
export function buildLogoTemplates(
  shared: string,
  exclude: ReadonlySet<string> = new Set(),
  specs: readonly LogoSpec[] = LOGO_SPECS,
): LogoTemplate[] {
  const clips = logoTrainingClips(shared, specs);
  const out: LogoTemplate[] = [];
  for (const spec of specs) {
    const files = (clips.get(spec.name) ?? []).filter((f) => !exclude.has(f));
    if (files.length === 0) continue;
    const kept: LogoTemplate[] = [];
    for (const time of spec.times) {
      const sum = new Float64Array(spec.width * spec.height * 3);
      for (const file of files) crop(file, time, spec).forEach((v, i) => (sum[i]! += v));
      const rgb = Array.from(sum, (v) => Math.round(v / files.length));
      if (kept.some((k) => similarity(k.rgb, rgb) > SAME)) continue;
      kept.push({
        id: `${spec.name}@${time}s`,
        generator: spec.generator,
        width: spec.width,
        height: spec.height,
        rgb,
        box: spec.box,
        features: spec.features,
      });
    }
    out.push(...kept);
  }
  return out;
}
