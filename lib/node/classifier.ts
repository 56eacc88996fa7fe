/** Node only: the classifier applied to decoded frames, as the offscreen document applies it to sampled frames. */
import { isBlankFrame } from '../analysis/frame-quality';
import { type ClassifierConfig, classifierSignal } from '../core/classifier-calibration';
import type { ClassifierModel } from '../analysis/classifier/classifier-model';
import type { FrameStatsModel } from '../analysis/frame-stats-model';
import type { ClassifierSignal } from '../core/signals';
import type { DecodedFrame } from './frames';

/** Per-frame logits of the non-blank frames, and the clip's classifier signal once enough frames were scored. */
export interface ClassifiedFrames {
  logits: number[];
  blankFrames: number;
  signal: ClassifierSignal | null;
}

/**
 * Scores every frame that has picture (blank frames are skipped, as in the
 * extension) and calibrates the clip. `frameStats` may be null when the caller
 * already knows the frames are not blank.
 */
export async function classifyFrames(
  frames: readonly DecodedFrame[],
  model: ClassifierModel,
  config: ClassifierConfig,
  frameStats: FrameStatsModel | null,
): Promise<ClassifiedFrames> {
  const logits: number[] = [];
  let blankFrames = 0;
  for (const f of frames) {
    if (frameStats && isBlankFrame(await frameStats.run(f.rgba, f.width, f.height))) {
      blankFrames++;
      continue;
    }
    logits.push(await model.run(f.rgba, f.width, f.height));
  }
  return { logits, blankFrames, signal: classifierSignal(logits, config) };
}
