/**
 * The multi-frame watermark rule, pure: which generator marks a video's frames show. The analysis host keeps one
 * tracker per video to decide how many frames to read, and the frame-signal builder (`frame-signals.ts`) turns the
 * frames' sightings into the signals the verdict fuses, in the background and in `scan` alike.
 */
import type { Box, WatermarkSignal } from './signals';
import { GENERATOR_MARKS, isMarkDecoration, matchGeneratorMark, type GeneratorMark } from './generator-marks';

/**
 * When a mark seen by OCR counts as a watermark. All sizes are fractions of the frame (0..1).
 *
 * The rule: a generator's mark must be read (OCR confidence ≥ `minConfidence`) on at least `minFrames` distinct
 * frames, each time as a small line (height ≤ `maxHeight`, width ≤ `maxWidth`), and either
 * - **fixed mark**: at a stable place in a corner or along an edge: the sightings' centres lie within
 *   `stableDistance` of each other on both axes, and the box reaches into the outer `edgeBand` of the frame
 *   horizontally (left or right) or vertically (top or bottom); or
 * - **moving mark** (generators marked `moving`, i.e. Sora, whose mark hops between edge positions every few
 *   seconds): anywhere, as long as it stays small. The line must still be the mark itself (see
 *   {@link matchGeneratorMark}), which is what keeps captions that mention "Sora" out.
 *
 * A line that matches a mark but has a word-bearing neighbour on the same row (gap under `neighbourGap` line heights)
 * is a word of a sentence the detector split at a wide space, and is dropped; logo glyphs read as digits, version
 * and tier words and "@handles" do not count as neighbours. Logos of fixed marks that a scene happens to show (a sign
 * in the middle of the picture, a product on a table) fail the edge rule; text that flickers past once fails the
 * frame count.
 */
export interface WatermarkRule {
  minFrames: number;
  minConfidence: number;
  maxHeight: number;
  maxWidth: number;
  edgeBand: number;
  stableDistance: number;
  neighbourGap: number;
}

/** Defaults: 2 frames, confident reads, lines under 12% of the frame's height in the outer 20%, steady within 5%. */
export const DEFAULT_WATERMARK_RULE: WatermarkRule = {
  minFrames: 2,
  minConfidence: 0.6,
  maxHeight: 0.12,
  maxWidth: 0.5,
  edgeBand: 0.2,
  stableDistance: 0.05,
  neighbourGap: 1.5,
};

/** A line of text OCR read on a frame, its box in the frame's pixels. */
export interface MarkLine {
  text: string;
  confidence: number;
  box: Box;
}

/** One frame's OCR lines and logos found, with the frame's size so boxes can become fractions. */
export interface FrameLines {
  width: number;
  height: number;
  lines: readonly MarkLine[];
  /** Logos the picture matcher found (marks without letters); they follow the fixed-mark rule. */
  logos?: readonly { generator: string; box: Box }[];
}

/** A generator's mark seen on one frame, before the multi-frame rule: small enough to keep per frame. */
export interface WatermarkSighting {
  generator: string;
  /** The generator's mark moves around the picture (Sora). */
  moving: boolean;
  text: string;
  /** Where it was, in fractions of the frame. */
  box: Box;
  /** Found by its picture, not read. */
  logo: boolean;
  /** The creator's handle read under a moving mark, with OCR's confidence. */
  handle?: { text: string; confidence: number };
}

/** What one frame read for watermarks gave: its sightings (none for a frame without a mark; it still counts). */
export interface WatermarkFrame {
  sightings: WatermarkSighting[];
}

/**
 * Sightings kept per frame: a frame whose text is all marks (a title card listing generators) must not make a
 * stored frame log large; real watermarks put one or two on a frame.
 */
export const MAX_SIGHTINGS_PER_FRAME = 8;

interface Sighting extends WatermarkSighting {
  frame: number;
}

/** How a creator's "@handle" reads: one word of letters, digits, dots and underscores. */
const HANDLE = /^@?[\p{L}\p{N}._]{3,30}$/u;
/** Characters OCR reads an "@" as at the size Sora prints it. */
const AT_LOOKALIKES = new Set(['@', 'B', 'E', 'Q', 'G', 'O', '0', 'a', '©']);

/**
 * The handle as Sora prints it ("@name") from an OCR reading of the line under the mark: an "@" read as a look-alike
 * letter is put back when the rest is a plausible handle; null when the line does not look like one.
 */
export function readHandle(text: string): string | null {
  const word = text.replace(/\s+/g, '');
  if (!HANDLE.test(word)) return null;
  if (word.startsWith('@')) return word;
  if (AT_LOOKALIKES.has(word[0]!) && word.length >= 4) return `@${word.slice(1)}`;
  return null;
}

/** True when a box (fractions) reaches into the outer `band` of the frame on either axis. */
export function isEdgePlaced(box: Box, band: number): boolean {
  return box.x <= band || box.x + box.width >= 1 - band || box.y <= band || box.y + box.height >= 1 - band;
}

function centre(box: Box): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

function meanBox(boxes: readonly Box[]): Box {
  const sum = boxes.reduce(
    (acc, b) => ({ x: acc.x + b.x, y: acc.y + b.y, width: acc.width + b.width, height: acc.height + b.height }),
    { x: 0, y: 0, width: 0, height: 0 },
  );
  const n = Math.max(1, boxes.length);
  return { x: sum.x / n, y: sum.y / n, width: sum.width / n, height: sum.height / n };
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0] ?? '';
  for (const [v, c] of counts) if (c > (counts.get(best) ?? 0)) best = v;
  return best;
}

/**
 * Gathers the OCR lines of one video's frames and says which generator watermarks they show, by the rule of
 * {@link WatermarkRule}. Feed it every frame checked, marks or not: `framesChecked` is part of the evidence.
 */
export class WatermarkTracker {
  private readonly rule: WatermarkRule;
  private readonly sightings: Sighting[] = [];
  private frames = 0;

  constructor(
    rule: Partial<WatermarkRule> = {},
    private readonly marks: readonly GeneratorMark[] = GENERATOR_MARKS,
  ) {
    this.rule = { ...DEFAULT_WATERMARK_RULE, ...rule };
  }

  /** Frames added so far. */
  get framesChecked(): number {
    return this.frames;
  }

  /** Whether some frame showed a generator's mark (confirmed by the multi-frame rule or not). */
  get sighted(): boolean {
    return this.sightings.length > 0;
  }

  /** Adds one frame's lines; returns the marks seen on it (before the multi-frame rule), for logs and tests. */
  addFrame(frame: FrameLines): string[] {
    const sightings = frameSightings(frame, this.rule, this.marks);
    this.addSightings(sightings);
    return sightings.map((s) => s.generator);
  }

  /** Adds one frame's sightings, as {@link frameSightings} found them. */
  addSightings(sightings: readonly WatermarkSighting[]): void {
    const index = this.frames++;
    for (const s of sightings) this.sightings.push({ ...s, frame: index });
  }

  /** Every generator whose mark passes the rule, most frames first. */
  signals(): WatermarkSignal[] {
    return judgeSightings(this.sightings, this.rule);
  }

  /** The strongest watermark signal, or null when no mark passes the rule. */
  signal(): WatermarkSignal | null {
    return this.signals()[0] ?? null;
  }
}

/**
 * One frame's sightings: the lines that read as a generator's mark (confident, small, not a word of a sentence) and
 * the logos found, boxes as fractions of the frame, before the multi-frame rule.
 */
export function frameSightings(
  frame: FrameLines,
  rule: WatermarkRule = DEFAULT_WATERMARK_RULE,
  marks: readonly GeneratorMark[] = GENERATOR_MARKS,
): WatermarkSighting[] {
  const seen: WatermarkSighting[] = [];
  for (const line of frame.lines) {
    if (line.confidence < rule.minConfidence) continue;
    const match = matchGeneratorMark(line.text, marks);
    if (!match) continue;
    const box: Box = {
      x: line.box.x / frame.width,
      y: line.box.y / frame.height,
      width: line.box.width / frame.width,
      height: line.box.height / frame.height,
    };
    // Big text is a title or a sign, not an overlay stamped by a generator.
    if (box.height > rule.maxHeight || box.width > rule.maxWidth) continue;
    if (frame.lines.some((other) => other !== line && isSentenceNeighbour(line.box, other, rule))) continue;
    const handle = match.moving ? handleBelow(line.box, frame.lines) : undefined;
    seen.push({
      generator: match.generator,
      moving: match.moving,
      text: line.text,
      box,
      logo: false,
      ...(handle ? { handle } : {}),
    });
  }
  for (const hit of frame.logos ?? []) {
    const box: Box = {
      x: hit.box.x / frame.width,
      y: hit.box.y / frame.height,
      width: hit.box.width / frame.width,
      height: hit.box.height / frame.height,
    };
    // The matcher already bounds the logo's size and place; it is a fixed mark.
    seen.push({ generator: hit.generator, moving: false, text: `${hit.generator} logo`, box, logo: true });
  }
  return seen.slice(0, MAX_SIGHTINGS_PER_FRAME);
}

/** The creator's handle on the line just under a mark (Sora prints "@name" below its name), if one is read. */
function handleBelow(box: Box, lines: readonly MarkLine[]): { text: string; confidence: number } | undefined {
  for (const other of lines) {
    const o = other.box;
    const below = o.y >= box.y + 0.5 * box.height && o.y <= box.y + box.height * 2.5;
    const overlaps = Math.min(box.x + box.width, o.x + o.width) - Math.max(box.x, o.x) > 0;
    if (!below || !overlaps) continue;
    const handle = readHandle(other.text);
    if (handle) return { text: handle, confidence: other.confidence };
  }
  return undefined;
}

/** True when `other` is a wordy line on the same row as `box`, close enough to be part of one sentence with it. */
function isSentenceNeighbour(box: Box, other: MarkLine, rule: WatermarkRule): boolean {
  const o = other.box;
  const overlap = Math.min(box.y + box.height, o.y + o.height) - Math.max(box.y, o.y);
  if (overlap < 0.5 * Math.min(box.height, o.height)) return false;
  const gap = Math.max(o.x - (box.x + box.width), box.x - (o.x + o.width));
  if (gap > rule.neighbourGap * Math.max(box.height, o.height)) return false;
  return !isMarkDecoration(other.text);
}

/** Every generator whose mark passes the rule over these sightings, most frames first. */
function judgeSightings(sightings: readonly Sighting[], rule: WatermarkRule): WatermarkSignal[] {
  const byGenerator = new Map<string, Sighting[]>();
  for (const s of sightings) byGenerator.set(s.generator, [...(byGenerator.get(s.generator) ?? []), s]);
  const out: WatermarkSignal[] = [];
  for (const [generator, own] of byGenerator) {
    const signal = judgeGenerator(generator, own, rule);
    if (signal) out.push(signal);
  }
  return out.sort((a, b) => b.frames - a.frames);
}

/** The watermark signals of a video's frames read, oldest first, by the multi-frame rule. */
export function watermarkSignals(
  frames: readonly WatermarkFrame[],
  rule: WatermarkRule = DEFAULT_WATERMARK_RULE,
): WatermarkSignal[] {
  return judgeSightings(
    frames.flatMap((f, frame) => f.sightings.map((s) => ({ ...s, frame }))),
    rule,
  );
}

function judgeGenerator(
  generator: string,
  sightings: readonly Sighting[],
  rule: WatermarkRule,
): WatermarkSignal | null {
  const { minFrames, edgeBand, stableDistance } = rule;
  // Fixed marks: the largest group of edge-placed sightings whose centres agree.
  let best: Sighting[] = [];
  const placed = sightings.filter((s) => isEdgePlaced(s.box, edgeBand));
  for (const anchor of placed) {
    const a = centre(anchor.box);
    const group = placed.filter((s) => {
      const c = centre(s.box);
      return Math.abs(c.x - a.x) <= stableDistance && Math.abs(c.y - a.y) <= stableDistance;
    });
    if (distinctFrames(group) > distinctFrames(best)) best = group;
  }
  const fixedFrames = distinctFrames(best);
  const moving = sightings.some((s) => s.moving);
  const frames = moving ? Math.max(fixedFrames, distinctFrames(sightings)) : fixedFrames;
  if (frames < minFrames) return null;
  // A moving mark reports where it was seen most often, or its latest place when every sighting differed.
  const boxes = fixedFrames >= 2 || !moving ? best : [sightings[sightings.length - 1]!];
  const used = fixedFrames >= 2 || !moving ? best : sightings;
  const signal: WatermarkSignal = {
    kind: 'watermark',
    generator,
    text: mostCommon(used.filter((s) => !s.logo).map((s) => s.text)) || mostCommon(used.map((s) => s.text)),
    frames,
    box: meanBox(boxes.map((s) => s.box)),
  };
  // The handle as read most confidently: OCR of such small print varies from frame to frame.
  const handles = sightings.flatMap((s) => (s.handle ? [s.handle] : []));
  if (handles.length > 0) signal.handle = handles.reduce((a, b) => (b.confidence > a.confidence ? b : a)).text;
  if (used.every((s) => s.logo)) signal.logo = true;
  return signal;
}

function distinctFrames(sightings: readonly Sighting[]): number {
  return new Set(sightings.map((s) => s.frame)).size;
}
