import shipped from '../../../public/models/classifier.json';
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
