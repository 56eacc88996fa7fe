import type { ClassifierSignal } from '../../core/signals';

/** What `public/models/classifier.json` says about calibrating and reading the model. */
export interface ClassifierConfig {
  name: string;
  version: string;
  inputSize: number;
  temperature: number;
  bias: number;
  thresholds: { likelyAi: number; uncertain: number };
  minFramesForVerdict: number;
}

/** Calibrated probability of AI for a clip: sigmoid(temperature × mean frame logit + bias). */
export function calibratedScore(logits: readonly number[], config: ClassifierConfig): number {
  const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
  return 1 / (1 + Math.exp(-(config.temperature * mean + config.bias)));
}

/** The classifier signal once enough frames with picture were scored; null before. */
export function classifierSignal(logits: readonly number[], config: ClassifierConfig): ClassifierSignal | null {
  if (logits.length < config.minFramesForVerdict) return null;
  return {
    kind: 'classifier',
    model: `${config.name}@${config.version}`,
    score: calibratedScore(logits, config),
    framesScored: logits.length,
    thresholds: config.thresholds,
  };
}
