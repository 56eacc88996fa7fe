// Median latency of public/models/classifier.onnx in onnxruntime-web (wasm, 1 thread) under Node.
// Usage (from the repo root): node models/classifier/bench.mjs [runs]  -> writes models/classifier/speed.json
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as ort from 'onnxruntime-web/wasm';

ort.env.wasm.numThreads = 1;
const root = new URL('../../', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('public/models/classifier.json', root), 'utf8'));
const bytes = new Uint8Array(readFileSync(new URL('public/models/classifier.onnx', root)));
const S = meta.inputSize;
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const data = new Float32Array(3 * S * S);
for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 255) / 255;
const feed = { [meta.input]: new ort.Tensor('float32', data, [1, 3, S, S]) };
for (let i = 0; i < 5; i++) await session.run(feed); // warm-up
const runs = Number(process.argv[2] ?? 50);
const times = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await session.run(feed);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const out = {
  runtime: `onnxruntime-web ${ort.env.versions?.web ?? ''} wasm, numThreads=1, Node ${process.version}`,
  runs,
  medianMs: times[Math.floor(runs / 2)],
  p90Ms: times[Math.floor(runs * 0.9)],
  minMs: times[0],
  modelBytes: bytes.length,
  note: `2-core machine shared with other jobs; 1-min load average ${os.loadavg()[0].toFixed(1)} when measured`,
};
writeFileSync(new URL('models/classifier/speed.json', root), JSON.stringify(out, null, 1));
console.log(JSON.stringify(out));
