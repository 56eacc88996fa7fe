import type * as Ort from 'onnxruntime-web';
import type { Box } from '../../core/signals';
import type { OrtModule } from '../frame-stats-model';
import { rgbaToBgrTensor, type RgbaPixels } from './text-detector';

/** Height of every line image the recognition model reads (PP-OCRv4 `rec_image_shape` 3×48×320). */
export const REC_HEIGHT = 48;

/**
 * Widest line image fed to the model. 48 × 20: watermark lines ("KlingAI 2.0 Master", "Sora @handle") have aspect
 * ratios of 3–9; longer lines are squeezed rather than cut, which keeps their characters countable for the matcher
 * that rejects long sentences, at a bounded cost.
 */
export const REC_MAX_WIDTH = 960;

/** Inputs are padded to a multiple of this, so a frame's lines reuse a handful of shapes. */
const REC_WIDTH_STEP = 32;

const REC_MEAN = [0.5, 0.5, 0.5] as const;
const REC_STD = [0.5, 0.5, 0.5] as const;

/** A recognised line: text and the mean probability of its characters (0 for an empty read). */
export interface RecognisedText {
  text: string;
  confidence: number;
}

/**
 * The CTC alphabet of the PP-OCRv4 Chinese/English model: index 0 is the blank, then one entry per line of
 * `ppocr_keys_v1.txt`, then a space (`use_space_char`). The model's 6625 classes are exactly this.
 */
export function parseDictionary(text: string): string[] {
  const keys = text.replace(/\r/g, '').split('\n');
  // A trailing newline would otherwise add an empty key and shift the space to the wrong class.
  if (keys[keys.length - 1] === '') keys.pop();
  return ['', ...keys, ' '];
}

/**
 * Greedy CTC decoding of one line: the best class per time step, repeats collapsed, blanks dropped. Confidence is the
 * mean probability of the characters kept, as PaddleOCR reports it.
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  alphabet: readonly string[],
): RecognisedText {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = probs[row]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += alphabet[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept > 0 ? sum / kept : 0 };
}

/** Width of the line image for a crop of `width`×`height`: aspect kept at height 48, capped at {@link REC_MAX_WIDTH}. */
export function recognitionWidth(width: number, height: number): number {
  return Math.max(8, Math.min(REC_MAX_WIDTH, Math.ceil((REC_HEIGHT * width) / Math.max(1, height))));
}

/**
 * PaddleOCR v4 text recognition of one axis-aligned box of an RGBA frame: crop, resize to height 48 keeping the
 * aspect, pad the width, normalise to -1..1, run the model and decode.
 */
export async function recogniseText(
  ort: OrtModule,
  session: Ort.InferenceSession,
  alphabet: readonly string[],
  rgba: RgbaPixels,
  width: number,
  height: number,
  box: Box,
): Promise<RecognisedText> {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  if (x1 - x0 < 2 || y1 - y0 < 2) return { text: '', confidence: 0 };
  const window = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const dw = recognitionWidth(window.width, window.height);
  const padWidth = Math.ceil(dw / REC_WIDTH_STEP) * REC_WIDTH_STEP;
  const data = rgbaToBgrTensor(rgba, width, height, window, dw, REC_HEIGHT, REC_MEAN, REC_STD, padWidth);
  const input = new ort.Tensor('float32', data, [1, 3, REC_HEIGHT, padWidth]);
  const inputName = session.inputNames[0] ?? 'x';
  const outputName = session.outputNames[0] ?? 'softmax_11.tmp_0';
  const result = await session.run({ [inputName]: input });
  input.dispose();
  const out = result[outputName];
  if (!out) throw new Error(`text recogniser returned no "${outputName}" output`);
  const [, steps, classes] = out.dims;
  if (steps === undefined || classes === undefined)
    throw new Error(`text recogniser output has shape ${out.dims.join('×')}`);
  if (classes !== alphabet.length) {
    out.dispose();
    throw new Error(`text recogniser has ${classes} classes but the dictionary gives ${alphabet.length}`);
  }
  const decoded = ctcGreedyDecode(out.data as Float32Array, steps, classes, alphabet);
  out.dispose();
  return { text: decoded.text.trim(), confidence: decoded.confidence };
}
