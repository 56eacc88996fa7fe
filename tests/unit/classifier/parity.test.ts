import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';

// Parity between the PyTorch model (models/classifier/train_eval.py) and public/models/classifier.onnx
// run in onnxruntime-web (wasm, single thread). Inputs are regenerated from the formula in parity.json.
const file = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

interface ParityCase {
  kind: 'noise' | 'smooth' | 'mix';
  seed: number;
  logit: number;
}
interface Parity {
  size: number;
  tolerance: number;
  cases: ParityCase[];
}
interface ClassifierMeta {
  inputSize: number;
  input: string;
  output: string;
  thresholds: { likelyAi: number; uncertain: number };
  aggregation: string;
}

const parity = JSON.parse(readFileSync(file('models/classifier/parity.json'), 'utf8')) as Parity;
const meta = JSON.parse(readFileSync(file('public/models/classifier.json'), 'utf8')) as ClassifierMeta;

/** Same formula as parity_input() in train_eval.py: float64 maths, then float32. */
function parityInput(kind: ParityCase['kind'], seed: number, S: number): Float32Array {
  const n = 3 * S * S;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / (S * S));
    const rem = i % (S * S);
    const h = Math.floor(rem / S);
    const w = rem % S;
    const noise = ((i * 2654435761 + seed * 97) % 4294967296) / 4294967296;
    const smooth = 0.5 + 0.5 * Math.sin(0.11 * h + 0.07 * w + 1.3 * c + seed);
    out[i] =
      kind === 'noise' ? noise : kind === 'smooth' ? smooth : Math.min(1, Math.max(0, 0.8 * smooth + 0.2 * noise));
  }
  return out;
}

let session: ort.InferenceSession;

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  const bytes = new Uint8Array(readFileSync(file('public/models/classifier.onnx')));
  session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  // Compiling the wasm and loading a 9 MB model is slow on a busy 2-core machine.
}, 120_000);

describe('classifier.onnx parity with PyTorch', { timeout: 120_000 }, () => {
  it('has the contract in classifier.json', () => {
    expect(meta.inputSize).toBe(parity.size);
    expect(session.inputNames).toEqual([meta.input]);
    expect(session.outputNames).toEqual([meta.output]);
    expect(meta.aggregation).toBe('mean-logit');
    expect(meta.thresholds.uncertain).toBeLessThanOrEqual(meta.thresholds.likelyAi);
  });

  it.each(parity.cases.map((c) => [`${c.kind} seed ${c.seed}`, c] as const))('matches on %s', async (_, c) => {
    const S = parity.size;
    const feeds = { [meta.input]: new ort.Tensor('float32', parityInput(c.kind, c.seed, S), [1, 3, S, S]) };
    const result = await session.run(feeds);
    const out = result[meta.output];
    if (!out) throw new Error(`no output ${meta.output}`);
    expect(out.dims).toEqual([1, 1]);
    const logit = (out.data as Float32Array)[0] ?? Number.NaN;
    expect(Math.abs(logit - c.logit), `${logit} vs ${c.logit}`).toBeLessThanOrEqual(parity.tolerance);
  });
});
