import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_CONFIG } from '../../../lib/analysis/classifier/config';
import { classifyFrames } from '../../../lib/node/classifier';
import { decodeSpread } from '../../../lib/node/frames';
import { nodeClassifierModel, nodeFrameStatsModel } from '../../../lib/node/models';
import { scanInput } from '../../../lib/node/scan';

// Real scores on real frames: clips from ../shared/data decoded with ffmpeg, the extension's preprocessing and the
// shipped model in onnxruntime-web (wasm). The shipped model was trained on these clips (in-sample); held-out
// numbers are in models/classifier/EVAL.md and come from `npm run eval -- --folds`.
const DATA = resolve(__dirname, '../../../../shared/data');
const AI = [
  'ai-video/THUDM__CogVideo/resources__videos__1.mp4',
  'ai-video/showlab__Show-1/assets__videos__comparison__gen2__01.mp4',
  'ai-video/sammyatman__videogen/examples__onions__veo3_2.mp4',
];
const REAL = [
  'real-video/facebookresearch__co-tracker/gradio_demo__videos__apple.mp4',
  'real-video/facebookresearch__sam2/demo__data__gallery__02_cups.mp4',
  'real-video/KwaiVGI__LivePortrait/assets__examples__driving__d0.mp4',
];
const present = [...AI, ...REAL].every((f) => existsSync(join(DATA, f)));
if (!present) console.warn(`skipping classifier tests on real clips: ${DATA} (ai-video, real-video) is absent`);

const model = nodeClassifierModel();
const frameStats = nodeFrameStatsModel();

async function clipScore(file: string): Promise<number> {
  const frames = decodeSpread(join(DATA, file), 8, 256);
  const { signal } = await classifyFrames(frames, model, CLASSIFIER_CONFIG, frameStats);
  if (!signal) throw new Error(`${file}: too few frames with picture`);
  return signal.score;
}

describe.runIf(present)('classifier on real clips (../shared/data)', () => {
  it('scores every generated clip above every real camera clip', async () => {
    const ai = await Promise.all(AI.map(clipScore));
    const real = await Promise.all(REAL.map(clipScore));
    expect(Math.min(...ai), `AI ${ai.join(', ')} vs real ${real.join(', ')}`).toBeGreaterThan(Math.max(...real));
  }, 300_000);

  it('keeps real camera clips below the likely-AI threshold', async () => {
    for (const file of REAL) expect(await clipScore(file)).toBeLessThan(CLASSIFIER_CONFIG.thresholds.likelyAi);
  }, 300_000);

  it('reports the classifier signal with per-frame scores in scan', async () => {
    const result = await scanInput(join(DATA, AI[0]!), { frames: 6, watermarks: false });
    const signal = result.signals.find((s) => s.kind === 'classifier');
    if (signal?.kind !== 'classifier') throw new Error('scan gave no classifier signal');
    expect(signal.framesScored).toBe(6);
    expect(signal.frames).toHaveLength(6);
    for (const p of signal.frames!) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of signal.frames!) expect(p).toBeLessThanOrEqual(1);
    expect(signal.score).toBeGreaterThan(0);
    expect(signal.thresholds).toEqual(CLASSIFIER_CONFIG.thresholds);
  }, 300_000);
});
