/**
 * The watermark reader on the shared research clips (../shared/data): generator clips with visible marks must give a
 * signal naming the generator; clips without a readable mark and camera footage must give none.
 *
 * The default run checks a few clips with few frames, to keep the unit suite fast. `WATERMARK_EVAL=1` also runs the
 * full sweep (every video of both collections) and the per-frame cost measurement quoted in
 * models/watermark/MODEL_CARD.md, and prints their tables.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WatermarkSignal } from '../../../lib/core/signals';
import { DEFAULT_DETECTOR_OPTIONS } from '../../../lib/analysis/watermark/text-detector';
import { WatermarkReader } from '../../../lib/analysis/watermark/watermark-reader';
import { WatermarkTracker } from '../../../lib/core/watermark-tracker';
import type { LogoTemplate } from '../../../lib/analysis/watermark/logo-matcher';
import { buildLogoTemplates } from '../../../lib/node/logo-templates';
import {
  AI_VIDEO,
  extractFrame,
  HAVE_FFMPEG,
  loadModelFile,
  readManifest,
  REAL_VIDEO,
  sampleFrames,
} from './video-frames';

const HAVE_SHARED = existsSync(join(AI_VIDEO, 'MANIFEST.tsv')) && existsSync(join(REAL_VIDEO, 'MANIFEST.tsv'));
if (!HAVE_SHARED)
  console.info(`[watermark] ${AI_VIDEO} or ${REAL_VIDEO} is absent: the shared-clip tests are skipped.`);
if (!HAVE_FFMPEG) console.info('[watermark] ffmpeg is absent (FFMPEG or PATH): the shared-clip tests are skipped.');
// The full sweep takes minutes; CI runs the small subset below, and `npm run eval:watermark` covers every clip.
const FULL = process.env.WATERMARK_EVAL === '1';
if (!FULL) console.info('[watermark] full sweep and its timing skipped: set WATERMARK_EVAL=1 to run them.');

let reader: WatermarkReader;

beforeAll(async () => {
  // Node has no cross-origin isolation; the single-threaded wasm build is what runs here.
  ort.env.wasm.numThreads = 1;
  // WATERMARK_MAX_SIDE compares detector input sizes in the sweep; the default run uses the shipped default.
  const maxSide = Number(process.env.WATERMARK_MAX_SIDE) || DEFAULT_DETECTOR_OPTIONS.maxSide;
  reader = new WatermarkReader(ort, loadModelFile, { detector: { ...DEFAULT_DETECTOR_OPTIONS, maxSide } });
});

interface ClipResult {
  signals: WatermarkSignal[];
  /** Generators matched per frame, before the multi-frame rule. */
  perFrame: string[][];
}

async function judgeClip(
  file: string,
  frames: number,
  duration?: number,
  logos?: readonly LogoTemplate[],
): Promise<ClipResult> {
  const tracker = new WatermarkTracker();
  const perFrame: string[][] = [];
  for (const frame of sampleFrames(file, frames, 1280, duration)) {
    const reading = await reader.readFrame(frame.data, frame.width, frame.height, logos);
    perFrame.push(
      tracker.addFrame({ width: frame.width, height: frame.height, lines: reading.lines, logos: reading.logos }),
    );
  }
  return { signals: tracker.signals(), perFrame };
}

const V = 'sammyatman__videogen/examples__';

describe.skipIf(!HAVE_SHARED || !HAVE_FFMPEG)('shared clips: a few of each kind', { timeout: 120_000 }, () => {
  it.each([
    [`${V}anime__kling20_t2v.mp4`, 'Kling', 2],
    [`${V}onions__kling16_t2v.mp4`, 'Kling', 2],
    ['wolfowitz-ai__sora-watermark-removal/uploads__1765941846203-853448631.MOV', 'Sora', 4],
    ['showlab__Show-1/assets__videos__gallery__03.mp4', 'Show-1', 2],
  ] as const)('%s: a %s watermark', async (clip, generator, frames) => {
    const { signals } = await judgeClip(join(AI_VIDEO, clip), frames);
    expect(signals.map((s) => s.generator)).toEqual([generator]);
    const signal = signals[0]!;
    expect(signal.frames).toBeGreaterThanOrEqual(2);
    for (const v of [signal.box.x, signal.box.y, signal.box.x + signal.box.width, signal.box.y + signal.box.height]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    ['showlab__Show-1/assets__videos__comparison__gen2__04.mp4', 'Runway'],
    [`${V}humming_bird_flying__sora_1_t2v.mp4`, 'Sora'],
  ] as const)(
    '%s: a %s logo, with templates learned without this clip',
    { timeout: 400_000 },
    async (clip, generator) => {
      const file = join(AI_VIDEO, clip);
      // Rebuilding the templates decodes a few dozen frames: slow on a busy machine, hence the long timeout.
      const logos = buildLogoTemplates(join(AI_VIDEO, '..'), new Set([file]));
      const { signals } = await judgeClip(file, 6, undefined, logos);
      expect(signals.map((s) => s.generator)).toEqual([generator]);
      expect(signals[0]!.logo).toBe(true);
      // Both marks sit at bottom right.
      expect(signals[0]!.box.x).toBeGreaterThan(0.75);
      expect(signals[0]!.box.y).toBeGreaterThan(0.8);
    },
  );

  it.each([
    // Generator clips with text but no visible mark: Veo 3 without its mark, and a Sora clip whose mark was removed.
    `${AI_VIDEO}/${V}onions__veo3_2.mp4`,
    `${AI_VIDEO}/linkedlist771__SoraWatermarkCleaner/resources__sora_watermark_removed.mp4`,
    // Camera footage with burnt-in text: news tickers and channel graphics, a frame counter.
    `${REAL_VIDEO}/polimi-ispl__icpr2020dfdc/test__data__ffpp__original_sequences__youtube__c23__videos__004.mp4`,
    `${REAL_VIDEO}/polimi-ispl__icpr2020dfdc/test__data__ffpp__original_sequences__youtube__c23__videos__634.mp4`,
    `${REAL_VIDEO}/davisking__dlib/dlib__test__ffmpeg_data__MOT20-05-raw_even_shorter.mp4`,
  ])('%s: no watermark signal', async (file) => {
    const { signals } = await judgeClip(file, 2);
    expect(signals).toEqual([]);
  });
});

describe.skipIf(!FULL || !HAVE_SHARED || !HAVE_FFMPEG)('shared clips: full sweep (WATERMARK_EVAL=1)', () => {
  const FRAMES = 4;

  it('every ai-video clip: which marks are found', { timeout: 900_000 }, async () => {
    const rows = readManifest(AI_VIDEO).filter((r) => r.kind === 'video');
    const table: string[] = [];
    for (const row of rows) {
      const { signals, perFrame } = await judgeClip(join(AI_VIDEO, row.file!), FRAMES, Number(row.duration_s));
      const found = signals.map((s) => `${s.generator} (${s.frames}/${FRAMES}, "${s.text}")`).join('; ') || '-';
      const hits = perFrame.map((g) => g.join('+') || '.').join(' ');
      table.push(`${row.file}\t${row.generator}\t${row.visible_watermark}\t${found}\t${hits}`);
    }
    console.info(`[watermark] ai-video sweep, ${FRAMES} frames per clip:\n${table.join('\n')}`);
  });

  it('every real-video clip: no watermark signal at all', { timeout: 900_000 }, async () => {
    const rows = readManifest(REAL_VIDEO).filter((r) => r.kind === 'video');
    const falsePositives: string[] = [];
    const table: string[] = [];
    for (const row of rows) {
      const { signals, perFrame } = await judgeClip(join(REAL_VIDEO, row.file!), FRAMES, Number(row.duration_s));
      if (signals.length > 0) falsePositives.push(`${row.file}: ${JSON.stringify(signals)}`);
      table.push(`${row.file}\t${perFrame.map((g) => g.join('+') || '.').join(' ')}`);
    }
    console.info(`[watermark] real-video sweep, ${rows.length} clips × ${FRAMES} frames:\n${table.join('\n')}`);
    expect(falsePositives).toEqual([]);
  });

  // Part of the opt-in sweep above.
  it('cost per frame (median of 12 runs after warm-up)', { timeout: 900_000 }, async () => {
    const cases = [
      ['1280×720 (Kling 2.0 clip)', join(AI_VIDEO, `${V}anime__kling20_t2v.mp4`), 1280],
      ['1920×1080 (Kling 1.6 clip)', join(AI_VIDEO, `${V}onions__kling16_t2v.mp4`), 1920],
      [
        '264×480 (Sora 2 upload)',
        join(AI_VIDEO, 'wolfowitz-ai__sora-watermark-removal/uploads__1765941846203-853448631.MOV'),
        480,
      ],
      [
        '1280×720 (real: FF++ news 004)',
        join(
          REAL_VIDEO,
          'polimi-ispl__icpr2020dfdc/test__data__ffpp__original_sequences__youtube__c23__videos__004.mp4',
        ),
        1280,
      ],
    ] as const;
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const lines = [
      `machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, Node ${process.version}, onnxruntime-web wasm, 1 thread`,
    ];
    for (const maxSide of [960, 640]) {
      const r = new WatermarkReader(ort, loadModelFile, { detector: { ...DEFAULT_DETECTOR_OPTIONS, maxSide } });
      await r.warm();
      for (const [name, file, side] of cases) {
        const frame = extractFrame(file, 2, side);
        await r.readFrame(frame.data, frame.width, frame.height);
        const detect: number[] = [];
        const recognise: number[] = [];
        const total: number[] = [];
        let n = 0;
        for (let i = 0; i < 12; i++) {
          const t0 = performance.now();
          const reading = await r.readFrame(frame.data, frame.width, frame.height);
          total.push(performance.now() - t0);
          detect.push(reading.timings.detect);
          recognise.push(reading.timings.recognise);
          n = reading.lines.length;
        }
        lines.push(
          `maxSide ${maxSide}\t${name}\ttotal ${median(total).toFixed(0)} ms\tdetect ${median(detect).toFixed(0)} ms\trecognise ${median(recognise).toFixed(0)} ms (${n} lines)`,
        );
      }
    }
    console.info(`[watermark] cost per frame:\n${lines.join('\n')}`);
  });
});
