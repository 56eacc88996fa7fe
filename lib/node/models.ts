/** Node only: the extension's own models, run with onnxruntime-web (wasm) exactly as the browser runs them. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web/wasm';
import { ClassifierModel } from '../analysis/classifier/classifier-model';
import { CLASSIFIER_CONFIG } from '../analysis/classifier/config';
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

/**
 * The AI-frame classifier: the shipped `public/models/classifier.onnx` by
 * default, or another ONNX file with the same contract (a held-out fold model
 * in `npm run eval -- --folds`).
 */
export function nodeClassifierModel(modelPath = resolve(root, 'public/models/classifier.onnx')): ClassifierModel {
  return new ClassifierModel(ort, async () => new Uint8Array(await readFile(modelPath)), CLASSIFIER_CONFIG.inputSize);
}
