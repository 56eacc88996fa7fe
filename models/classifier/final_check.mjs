// Sanity check of the SHIPPED model (onnxruntime-web wasm) on the contract-processed frames of every item
// (in-sample: the final model was trained on these). Reads $CLASSIFIER_CACHE/ev.u8 + ci.i32 written by train_eval.py,
// writes models/classifier/final_check.json. Shows where the final model's clip scores sit relative to the thresholds.
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web/wasm';

ort.env.wasm.numThreads = 1;
const root = new URL('../../', import.meta.url);
const cache = process.env.CLASSIFIER_CACHE ?? '/tmp/provenance-lens-classifier-cache';
const meta = JSON.parse(readFileSync(new URL('public/models/classifier.json', root), 'utf8'));
const items = JSON.parse(readFileSync(`${cache}/items.json`, 'utf8').replace(/\bNaN\b/g, 'null'));
const S = meta.inputSize;
const ev = readFileSync(`${cache}/ev.u8`);
const ci = new Int32Array(readFileSync(`${cache}/ci.i32`).buffer.slice(0));
const session = await ort.InferenceSession.create(
  new Uint8Array(readFileSync(new URL('public/models/classifier.onnx', root))),
);
const sums = new Float64Array(items.length);
const counts = new Float64Array(items.length);
const plane = S * S;
for (let f = 0; f < ci.length; f++) {
  const data = new Float32Array(3 * plane);
  const off = f * plane * 3; // HWC uint8 -> CHW float 0..1
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) data[c * plane + p] = ev[off + p * 3 + c] / 255;
  const out = await session.run({ [meta.input]: new ort.Tensor('float32', data, [1, 3, S, S]) });
  sums[ci[f]] += out[meta.output].data[0];
  counts[ci[f]] += 1;
}
const sig = (z) => 1 / (1 + Math.exp(-z));
const rows = items.map((it, i) => ({
  file: it.file,
  label: it.label,
  p: sig(meta.temperature * (sums[i] / counts[i]) + meta.bias),
}));
const { likelyAi, uncertain } = meta.thresholds;
const frac = (l, t) => rows.filter((r) => r.label === l && r.p >= t).length / rows.filter((r) => r.label === l).length;
const out = {
  note: 'IN-SAMPLE scores of the shipped model (trained on these clips); not an estimate of accuracy',
  real_ge_likelyAi: frac(0, likelyAi),
  real_ge_uncertain: frac(0, uncertain),
  ai_ge_likelyAi: frac(1, likelyAi),
  ai_ge_uncertain: frac(1, uncertain),
  max_real_p: Math.max(...rows.filter((r) => r.label === 0).map((r) => r.p)),
};
writeFileSync(new URL('models/classifier/final_check.json', root), JSON.stringify(out, null, 1));
console.log(JSON.stringify(out));
