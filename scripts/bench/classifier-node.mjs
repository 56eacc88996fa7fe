/**
 * Median latency of public/models/classifier.onnx in onnxruntime-web (wasm, 1 thread) under Node, the model alone
 * (no preprocessing). `node scripts/bench/classifier-node.mjs [--runs N]` (a bare number works too, as
 * models/classifier/train.sh passes it): prints JSON and writes models/classifier/speed.json, which
 * models/classifier/report.py quotes in EVAL.md.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/wasm';
import { isMain, median, options, quantile, ROOT, writeArtifact } from './lib/runner.mjs';

/** Runs the model `runs` times after five warm-up runs on a fixed input; returns the figures. */
export async function measureClassifierInNode(runs = 50) {
  ort.env.wasm.numThreads = 1;
  const meta = JSON.parse(readFileSync(join(ROOT, 'public/models/classifier.json'), 'utf8'));
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'public/models/classifier.onnx')));
  const S = meta.inputSize;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const data = new Float32Array(3 * S * S);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 255) / 255;
  const feed = { [meta.input]: new ort.Tensor('float32', data, [1, 3, S, S]) };
  for (let i = 0; i < 5; i++) await session.run(feed);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await session.run(feed);
    times.push(performance.now() - t);
  }
  return {
    runtime: `onnxruntime-web ${ort.env.versions?.web ?? ''} wasm, numThreads=1, Node ${process.version}`,
    runs,
    medianMs: median(times),
    p90Ms: quantile(times, 0.9),
    minMs: Math.min(...times),
    modelBytes: bytes.length,
    note: `2-core machine shared with other jobs; 1-min load average ${loadavg()[0].toFixed(1)} when measured`,
  };
}

if (isMain(import.meta.url)) {
  const opts = options();
  const bare = Number(opts.argv[0]);
  const out = await measureClassifierInNode(opts.number('runs', Number.isFinite(bare) && bare > 0 ? bare : 50));
  writeArtifact('models/classifier/speed.json', out, 1);
  console.log(JSON.stringify(out));
}
