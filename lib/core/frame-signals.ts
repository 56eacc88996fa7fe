/**
 * The one recipe from analysed frames to the signals the verdict engine fuses. The background (`ResultsStore`) and
 * `scan` both call it, so `scan` proves the extension's recipe: the same frames give the same signals and verdict.
 */
import { type ClassifierConfig, classifierSignal } from './classifier-calibration';
import { STANDARD_FRAME_BUDGET } from './frame-budget';
import type { Signal, UnavailableReason } from './signals';
import { evaluateVerdict, type Verdict } from './verdict';
import { type WatermarkFrame, watermarkSignals } from './watermark-tracker';

/** What the frame pipeline found on one frame. */
export interface FrameReading {
  /** The frame carries no picture worth judging (frame statistics below the blank thresholds). */
  blank: boolean;
  /** The classifier's raw logit for the frame; null where it did not run (blank frame, classifier off). */
  aiLogit: number | null;
}

/** Why no frame of the media could be judged. */
export interface FramesUnavailable {
  reason: UnavailableReason;
  detail: string;
}

/** Everything the frame pipeline knows about one video or file. */
export interface FrameEvidence {
  /**
   * The frames analysed, oldest first; the classifier reads the last `STANDARD_FRAME_BUDGET.frameLogLimit` of
   * them, the frames the background keeps in its log.
   */
  frames: readonly FrameReading[];
  /** Frames analysed in all (may exceed `frames` where the log is capped). */
  framesAnalysed: number;
  /** Blank frames among `framesAnalysed`. */
  blankFrames: number;
  /** Set when frames could not be read; cleared by the caller once a frame with picture arrives. */
  unavailable: FramesUnavailable | null;
  /** The classifier's calibration and thresholds; null when the classifier is off. */
  classifier: ClassifierConfig | null;
  /**
   * The frames read for visible watermarks (the OCR reader's larger copies), oldest first, each with the marks seen
   * on it. Absent or empty: none was read here, and watermark signals given with the other detectors' are kept (a
   * judgement restored from the verdict cache carries its own).
   */
  watermarks?: readonly WatermarkFrame[];
}

/** The classifier model name a calibration belongs to (`name@version`), as its signal names it. */
export function frameModelOf(config: ClassifierConfig): string {
  return `${config.name}@${config.version}`;
}

/**
 * The frame pipeline's own signals, in a fixed order: the classifier's score once enough frames with picture were
 * scored, frame quality once any frame was analysed, why frames could not be read, then the generator marks the
 * watermark frames show by the multi-frame rule (`watermark-tracker.ts`).
 */
export function frameSignals(e: FrameEvidence): Signal[] {
  const out: Signal[] = [];
  if (e.classifier) {
    // The background keeps only its latest frames: `scan` with more frames reads the same ones.
    const logits = e.frames
      .slice(-STANDARD_FRAME_BUDGET.frameLogLimit)
      .flatMap((f) => (!f.blank && typeof f.aiLogit === 'number' ? [f.aiLogit] : []));
    const classifier = classifierSignal(logits, e.classifier);
    if (classifier) out.push(classifier);
  }
  if (e.framesAnalysed > 0)
    out.push({ kind: 'frame-quality', framesChecked: e.framesAnalysed, blankFrames: e.blankFrames });
  if (e.unavailable) out.push({ kind: 'unavailable', ...e.unavailable });
  out.push(...watermarkSignals(e.watermarks ?? []));
  return out;
}

/**
 * Whether a signal is one the frame pipeline rebuilds from its frames (and so is replaced, not kept, when the
 * frames change). A classifier signal from another model (a restored judgement of an older model) is not, nor a
 * watermark signal where no frame was read for watermarks.
 */
export function isFrameSignal(s: Signal, frameModel: string | null, readsWatermarks = false): boolean {
  if (s.kind === 'watermark') return readsWatermarks;
  return s.kind === 'frame-quality' || s.kind === 'unavailable' || (s.kind === 'classifier' && s.model === frameModel);
}

/** The signals of one video and their fused verdict. */
export interface Judgement {
  signals: Signal[];
  verdict: Verdict;
}

/**
 * The fusion inputs of one video and the verdict they give: the frame pipeline's signals (watermarks included), then
 * every other detector's (provenance, platform labels, earlier classifier readings), each kept once. Signals in
 * `others` that the frame pipeline owns are dropped: the frames say them afresh.
 */
export function judgeFrames(evidence: FrameEvidence, others: readonly Signal[]): Judgement {
  const frameModel = evidence.classifier ? frameModelOf(evidence.classifier) : null;
  const readsWatermarks = (evidence.watermarks?.length ?? 0) > 0;
  const signals = [...frameSignals(evidence), ...others.filter((s) => !isFrameSignal(s, frameModel, readsWatermarks))];
  return { signals, verdict: evaluateVerdict(signals) };
}
