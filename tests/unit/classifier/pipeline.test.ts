import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web/wasm';
import { describe, expect, it } from 'vitest';
import { calibratedScore, classifierSignal, frameScore } from '../../../lib/analysis/classifier/calibration';
import { ClassifierModel } from '../../../lib/analysis/classifier/classifier-model';
import { CLASSIFIER_CONFIG } from '../../../lib/analysis/classifier/config';
import { classifierInput, cropBordersAndLetterbox } from '../../../lib/analysis/classifier/preprocess';
import { evaluateVerdict } from '../../../lib/core/verdict';

ort.env.wasm.numThreads = 1;
const modelPath = fileURLToPath(new URL('../../../public/models/classifier.onnx', import.meta.url));

/** A w×h RGBA frame: black bars of `bar` rows top and bottom around a bright gradient. */
function letterboxed(w: number, h: number, bar: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const inside = y >= bar && y < h - bar;
      px[i] = inside ? 100 + (x % 100) : 0;
      px[i + 1] = inside ? 150 : 0;
      px[i + 2] = inside ? 200 - (y % 50) : 0;
      px[i + 3] = 255;
    }
  }
  return px;
}

describe('classifier preprocessing (the contract in classifier.json)', () => {
  it('crops 5% borders and trims dark letterbox rows', () => {
    const out = cropBordersAndLetterbox(letterboxed(200, 160, 30), 200, 160);
    // 5% border: 10 px of 200 wide, 8 px of 160 high; then the remaining 22 dark rows each side go.
    expect(out.width).toBe(180);
    expect(out.height).toBe(160 - 2 * 8 - 2 * 22);
  });

  it('trims at most a quarter of each side, even for an all-dark frame', () => {
    const out = cropBordersAndLetterbox(new Uint8ClampedArray(100 * 100 * 4), 100, 100);
    expect(out.height).toBe(90 - 2 * Math.floor(90 * 0.25));
  });

  it('makes a square NCHW tensor in 0..1', () => {
    const size = CLASSIFIER_CONFIG.inputSize;
    const input = classifierInput(letterboxed(256, 144, 0), 256, 144, size);
    expect(input.length).toBe(3 * size * size);
    expect(Math.min(...input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
    // Green is constant 150 inside the picture: resampling keeps it.
    expect(input[size * size + size * 10 + 10]).toBeCloseTo(150 / 255, 2);
  });
});

describe('classifier calibration', () => {
  it('needs the shipped minimum of frames before it says anything', () => {
    const few = Array.from({ length: CLASSIFIER_CONFIG.minFramesForVerdict - 1 }, () => 5);
    expect(classifierSignal(few, CLASSIFIER_CONFIG)).toBeNull();
  });

  it('maps the mean logit through the shipped temperature and bias', () => {
    const logits = [1, 2, 3, 4];
    const p = 1 / (1 + Math.exp(-(CLASSIFIER_CONFIG.temperature * 2.5 + CLASSIFIER_CONFIG.bias)));
    expect(calibratedScore(logits, CLASSIFIER_CONFIG)).toBeCloseTo(p, 10);
    const signal = classifierSignal(logits, CLASSIFIER_CONFIG)!;
    expect(signal.thresholds).toEqual(CLASSIFIER_CONFIG.thresholds);
    expect(signal.framesScored).toBe(4);
  });

  it('gives each frame its own calibrated score', () => {
    const signal = classifierSignal([-4, 0, 2, 6], CLASSIFIER_CONFIG)!;
    expect(signal.frames).toHaveLength(4);
    expect(signal.frames![1]).toBeCloseTo(frameScore(0, CLASSIFIER_CONFIG), 12);
    // Calibration is monotonic: a larger logit never gets a smaller score.
    for (let i = 1; i < 4; i++) expect(signal.frames![i]!).toBeGreaterThan(signal.frames![i - 1]!);
  });

  it('ships three ordered sensitivity sets, the balanced one as the default thresholds', () => {
    const s = CLASSIFIER_CONFIG.sensitivity!;
    expect(CLASSIFIER_CONFIG.thresholds).toEqual({ likelyAi: s.balanced.likelyAi, uncertain: s.balanced.uncertain });
    expect(s.conservative.likelyAi).toBeGreaterThanOrEqual(s.balanced.likelyAi);
    expect(s.balanced.likelyAi).toBeGreaterThanOrEqual(s.eager.likelyAi);
    for (const t of [s.conservative, s.balanced, s.eager]) expect(t.uncertain).toBeLessThanOrEqual(t.likelyAi);
  });

  it('never makes more than "likely AI" on its own', () => {
    const signal = classifierSignal([50, 50, 50, 50], CLASSIFIER_CONFIG)!;
    expect(evaluateVerdict([signal]).level).toBe('likely-ai');
  });
});

describe('classifier model in onnxruntime-web', { timeout: 120_000 }, () => {
  it('gives a finite logit for a frame and the same logit twice', async () => {
    const model = new ClassifierModel(
      ort,
      async () => new Uint8Array(readFileSync(modelPath)),
      CLASSIFIER_CONFIG.inputSize,
    );
    const frame = letterboxed(256, 144, 12);
    const a = await model.run(frame, 256, 144);
    const b = await model.run(frame, 256, 144);
    expect(Number.isFinite(a)).toBe(true);
    expect(b).toBe(a);
  });
});
