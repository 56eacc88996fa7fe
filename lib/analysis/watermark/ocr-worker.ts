/// <reference lib="webworker" />
import * as ort from 'onnxruntime-web/wasm';
import type { OcrRequest, OcrResponse } from './ocr-worker-protocol';
import { WatermarkReader, type WatermarkModelFile } from './watermark-reader';

/**
 * Text detection and recognition for watermarks, in a worker of the
 * analysis host: at several hundred milliseconds a frame it would otherwise
 * hold up the frame queue. Models come from the extension's own files.
 */
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
let reader: WatermarkReader | null = null;
let queue: Promise<void> = Promise.resolve();

function readerFor(base: string): WatermarkReader {
  reader ??= new WatermarkReader(ort, async (name: WatermarkModelFile) => {
    const response = await fetch(`${base}${name}`);
    if (!response.ok) throw new Error(`OCR model ${name} missing from the extension (${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  });
  return reader;
}

async function handle(req: OcrRequest): Promise<OcrResponse> {
  // Model loading (first frame only) is timed apart from reading, so per-frame costs stay comparable.
  const loadStart = performance.now();
  await readerFor(req.modelBase).warm();
  const load = performance.now() - loadStart;
  const started = performance.now();
  const full = await createImageBitmap(req.image);
  const bitmap = req.crop
    ? await createImageBitmap(full, req.crop.x, req.crop.y, req.crop.width, req.crop.height)
    : full;
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2D canvas unavailable in the OCR worker');
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const reading = await readerFor(req.modelBase).readFrame(pixels, bitmap.width, bitmap.height, undefined, req.text);
    return {
      id: req.id,
      width: bitmap.width,
      height: bitmap.height,
      lines: reading.lines,
      logos: reading.logos,
      candidates: reading.candidates,
      ms: performance.now() - started,
      load,
      stages: reading.timings,
    };
  } finally {
    if (bitmap !== full) bitmap.close();
    full.close();
  }
}

self.onmessage = (event: MessageEvent<OcrRequest>) => {
  const req = event.data;
  queue = queue.then(async () => {
    let res: OcrResponse;
    try {
      res = await handle(req);
    } catch (error) {
      res = { id: req.id, error: error instanceof Error ? error.message : String(error) };
    }
    (self as unknown as DedicatedWorkerGlobalScope).postMessage(res);
  });
};
