/** Node only: the extension's own models, run with onnxruntime-web (wasm) exactly as the browser runs them. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web/wasm';
import { FrameStatsModel } from '../analysis/frame-stats-model';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
ort.env.wasm.numThreads = 1;

/** onnxruntime-web for Node. */
export { ort };

/** The frame-statistics model from `public/models`. */
export function nodeFrameStatsModel(): FrameStatsModel {
  return new FrameStatsModel(
    ort,
    async () => new Uint8Array(await readFile(resolve(root, 'public/models/frame-stats.onnx'))),
  );
}
