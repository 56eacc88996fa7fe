import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web/wasm';
import { describe, expect, it } from 'vitest';
import { classifierInput } from '../../../lib/analysis/classifier/preprocess';

// The TS preprocessing against the Python training pipeline (models/classifier/common.py: border crop, letterbox
// trim, short-side bilinear resize, centre crop) on a synthetic letterboxed frame, and the model's logit on both.
const file = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

interface PreprocessParity {
  frame: { width: number; height: number; bar: number };
  size: number;
  expected: string;
}

const parity = JSON.parse(readFileSync(file('models/classifier/preprocess-parity.json'), 'utf8')) as PreprocessParity;

function frameRgba(w: number, h: number, bar: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const inside = y >= bar && y < h - bar;
      px[i] = inside ? (x * 7 + y * 3) % 256 : 5;
      px[i + 1] = inside ? (x * x + y * 5) % 256 : 5;
      px[i + 2] = inside ? (x * y) % 256 : 5;
      px[i + 3] = 255;
    }
  }
  return px;
}

function expectedNchw(): Float32Array {
  const S = parity.size;
  const hwc = Buffer.from(parity.expected, 'base64');
  const out = new Float32Array(3 * S * S);
  for (let p = 0; p < S * S; p++) for (let c = 0; c < 3; c++) out[c * S * S + p] = hwc[p * 3 + c]! / 255;
  return out;
}

describe('classifier preprocessing parity with the Python pipeline', { timeout: 120_000 }, () => {
  const { width, height, bar } = parity.frame;
  const ts = classifierInput(frameRgba(width, height, bar), width, height, parity.size);
  const py = expectedNchw();

  it('matches pixel for pixel within one 8-bit step', () => {
    expect(ts.length).toBe(py.length);
    let maxDiff = 0;
    let sumDiff = 0;
    for (let i = 0; i < ts.length; i++) {
      const d = Math.abs(ts[i]! - py[i]!);
      maxDiff = Math.max(maxDiff, d);
      sumDiff += d;
    }
    expect(maxDiff).toBeLessThanOrEqual(1 / 255 + 1e-6);
    expect(sumDiff / ts.length).toBeLessThan(0.25 / 255);
  });

  it('gives the same model logit within 0.05', async () => {
    ort.env.wasm.numThreads = 1;
    const bytes = new Uint8Array(readFileSync(file('public/models/classifier.onnx')));
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const S = parity.size;
    const run = async (x: Float32Array) =>
      ((await session.run({ frame: new ort.Tensor('float32', x, [1, 3, S, S]) })).logit!.data as Float32Array)[0]!;
    expect(Math.abs((await run(ts)) - (await run(py)))).toBeLessThan(0.05);
  });
});
