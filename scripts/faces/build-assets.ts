/**
 * Build-time pieces of face detection (Node only; used by wxt.config.ts):
 * the BlazeFace model with the metadata MediaPipe needs, the wasm files to
 * ship, and a bundler transform that removes MediaPipe's usage logging.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { patchBlazeFaceModel } from '../../lib/analysis/faces/tflite-metadata';
import { FACE_ASSETS } from '../../lib/analysis/faces/face-assets';

/** The short-range BlazeFace model as `@mediapipe/face_detection` ships it (Apache-2.0, no TFLite metadata). */
export const BLAZEFACE_SOURCE = 'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite';
const VISION_WASM = 'node_modules/@mediapipe/tasks-vision/wasm';

/**
 * Writes the patched model under `outDir` and returns every face-detection
 * file to copy into the extension as `[absolute source, destination]`. Only
 * the SIMD build of the wasm ships: every browser the extension supports
 * (Chrome 116+, Firefox 128+) has wasm SIMD.
 */
export function faceDetectionAssets(root: string, outDir: string): Array<[string, string]> {
  const patched = patchBlazeFaceModel(new Uint8Array(readFileSync(resolve(root, BLAZEFACE_SOURCE))));
  const model = join(outDir, FACE_ASSETS.model);
  mkdirSync(dirname(model), { recursive: true });
  writeFileSync(model, patched);
  return [
    [resolve(root, VISION_WASM, 'vision_wasm_internal.js'), FACE_ASSETS.wasmLoader],
    [resolve(root, VISION_WASM, 'vision_wasm_internal.wasm'), FACE_ASSETS.wasmBinary],
    [model, FACE_ASSETS.model],
  ];
}

/**
 * tasks-vision 1.1.0 creates a usage logger for every task it starts
 * (`t.o = new <Logger>(…)` right after the wasm module loads), which queues
 * events and POSTs them to a remote logging endpoint every minute. All later
 * uses are guarded (`this.o?.…`), so dropping that one assignment leaves the
 * task without a logger and nothing is ever sent. The pattern is matched
 * loosely on minified names; anything other than exactly one match fails the
 * build rather than ship a task that phones home.
 */
const LOGGER_CREATION = /;var (\w+)=(\w+)\.h\.Ta\(\);\2\.o=new \w+\(\2\.D\(\),\w+,\1\)/g;

/** The tasks-vision bundle without its usage logger; throws when the code is not the one this was written for. */
export function stripMediapipeLogging(code: string): string {
  const matches = code.match(LOGGER_CREATION)?.length ?? 0;
  if (matches !== 1)
    throw new Error(
      `@mediapipe/tasks-vision: expected one usage-logger creation to remove, found ${matches}; ` +
        'check scripts/faces/build-assets.ts against the installed version',
    );
  return code.replace(LOGGER_CREATION, ';');
}

/** A Vite plugin applying {@link stripMediapipeLogging} to the tasks-vision ES module bundle. */
export function mediapipeNoLogging() {
  return {
    name: 'provenance-lens:mediapipe-no-logging',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      if (!/[\\/]@mediapipe[\\/]tasks-vision[\\/]vision_bundle\.mjs(\?|$)/.test(id)) return null;
      return { code: stripMediapipeLogging(code), map: null };
    },
  };
}
