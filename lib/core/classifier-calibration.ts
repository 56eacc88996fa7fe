/** The classifier's calibration: pure math from frame logits to a clip score and its signal (shared by the extension and `scan`). */
import type { ClassifierSignal } from './signals';

/** `likely-ai` and `uncertain` cut-offs on the calibrated clip probability. */
export interface ClassifierThresholds {
  likelyAi: number;
  uncertain: number;
}

/** The three threshold sets shipped with the model, from fewest to most false positives on real clips. */
export interface ClassifierSensitivity {
  conservative: ClassifierThresholds;
  balanced: ClassifierThresholds;
  eager: ClassifierThresholds;
}

/** What `public/models/classifier.json` says about calibrating and reading the model. */
export interface ClassifierConfig {
  name: string;
  version: string;
  inputSize: number;
  temperature: number;
  bias: number;
  /** The balanced set (≤ 1% false positives on real out-of-fold clips). */
  thresholds: ClassifierThresholds;
  /** Every shipped set; `thresholds` equals `sensitivity.balanced`. */
  sensitivity?: ClassifierSensitivity;
  minFramesForVerdict: number;
}

/** Calibrated probability of AI for a clip: sigmoid(temperature × mean frame logit + bias). */
export function calibratedScore(logits: readonly number[], config: ClassifierConfig): number {
  const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
  return 1 / (1 + Math.exp(-(config.temperature * mean + config.bias)));
}

/** The same calibration applied to one frame's logit, for showing per-frame scores. */
export function frameScore(logit: number, config: ClassifierConfig): number {
  return 1 / (1 + Math.exp(-(config.temperature * logit + config.bias)));
}

/** The classifier signal once enough frames with picture were scored; null before. */
export function classifierSignal(logits: readonly number[], config: ClassifierConfig): ClassifierSignal | null {
  if (logits.length < config.minFramesForVerdict) return null;
  return {
    kind: 'classifier',
    model: `${config.name}@${config.version}`,
    score: calibratedScore(logits, config),
    framesScored: logits.length,
    frames: logits.map((logit) => frameScore(logit, config)),
    thresholds: config.thresholds,
  };
}
