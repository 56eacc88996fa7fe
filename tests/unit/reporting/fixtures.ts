import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoReport } from '../../../lib/core/report';

/** Real JPEGs made by ffmpeg (a test dependency), one per colour. */
export function makeJpegs(colours: readonly string[]): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'pl-jpeg-'));
  try {
    return colours.map((colour, i) => {
      const file = join(dir, `${i}.jpg`);
      execFileSync('ffmpeg', [
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `color=c=${colour}:s=64x36`,
        '-frames:v',
        '1',
        file,
      ]);
      return new Uint8Array(readFileSync(file));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A judged video as the results store would keep it. */
export function sampleVideo(overrides: Partial<VideoReport> = {}): VideoReport {
  const frame = (mediaTime: number, aiLogit: number) => ({
    mediaTime,
    framePath: 'canvas' as const,
    blank: false,
    aiLogit,
    faces: null,
    timings: { capture: 1, mainThread: 1, encode: 1, transfer: 1, preprocess: 1, inference: 1, classify: 1 },
    transferBytes: 8000,
    analysedAt: 1,
  });
  return {
    id: 'v1',
    src: 'https://media.example.org/clip.mp4',
    frameId: 0,
    pageUrl: 'https://www.example.org/watch',
    verdict: 'likely-ai',
    score: 0.91,
    reasons: ['The frame classifier rates it 91% likely AI.'],
    signals: [
      {
        kind: 'classifier',
        model: 'm@1',
        score: 0.91,
        framesScored: 3,
        thresholds: { likelyAi: 0.8, uncertain: 0.5 },
      },
      {
        kind: 'watermark',
        generator: 'Sora',
        text: 'Sora',
        frames: 3,
        box: { x: 0.8, y: 0.9, width: 0.1, height: 0.05 },
      },
    ],
    framesAnalysed: 3,
    framePath: 'canvas',
    thumbnail: null,
    frames: [frame(0.5, 2), frame(1.5, 3), frame(2.5, 2.5)],
    firstVerdictMs: 400,
    width: 640,
    height: 360,
    platform: { adapter: 'youtube', platform: 'YouTube', reportUrl: 'https://www.youtube.com/watch?v=x' },
    firstSeenAt: 1,
    updatedAt: 2,
    ...overrides,
  };
}

/** The software block every test bundle carries. */
export const SOFTWARE = { extension: 'Provenance Lens', version: '0.1.0', models: [{ name: 'm', version: '1' }] };
