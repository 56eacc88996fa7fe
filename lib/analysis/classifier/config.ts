import shipped from '../../../public/models/classifier.json';
import type { Sensitivity } from '../../core/signals';
import type { ClassifierConfig } from './calibration';

/** The shipped classifier's calibration and thresholds (see models/classifier/MODEL_CARD.md). */
export const CLASSIFIER_CONFIG: ClassifierConfig = {
  name: shipped.name,
  version: shipped.version,
  inputSize: shipped.inputSize,
  temperature: shipped.temperature,
  bias: shipped.bias,
  thresholds: shipped.thresholds,
  sensitivity: shipped.sensitivity,
  minFramesForVerdict: shipped.minFramesForVerdict,
};

/** What one sensitivity level cost and caught on the model's out-of-fold validation clips (shares, 0..1). */
export interface SensitivityMeasure {
  realClips: number;
  aiClips: number;
  realAtLikelyAi: number;
  realAtUncertain: number;
  aiAtLikelyAi: number;
  aiAtUncertain: number;
}

/** The thresholds of one sensitivity level, and what they were measured to cost where known. */
export interface SensitivityLevel {
  likelyAi: number;
  uncertain: number;
  measured?: SensitivityMeasure;
}

type ShippedLevel = { likelyAi: number; uncertain: number; measured?: SensitivityMeasure };
const levels = (shipped as { sensitivity?: Partial<Record<Sensitivity, ShippedLevel>> }).sensitivity ?? {};

function level(name: Sensitivity): SensitivityLevel {
  const l = levels[name];
  // A model shipped without levels is read at its own thresholds whatever the setting.
  if (!l) return { ...shipped.thresholds };
  return { likelyAi: l.likelyAi, uncertain: l.uncertain, ...(l.measured ? { measured: l.measured } : {}) };
}

/** The sensitivity levels of the shipped model (the `sensitivity` key of classifier.json). */
export const CLASSIFIER_SENSITIVITY: Record<Sensitivity, SensitivityLevel> = {
  conservative: level('conservative'),
  balanced: level('balanced'),
  eager: level('eager'),
};

/** The classifier read at one sensitivity level. */
export function classifierConfigFor(sensitivity: Sensitivity): ClassifierConfig {
  const { likelyAi, uncertain } = CLASSIFIER_SENSITIVITY[sensitivity];
  return { ...CLASSIFIER_CONFIG, thresholds: { likelyAi, uncertain } };
}
