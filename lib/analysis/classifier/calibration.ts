/** The calibration math lives in core, where the signal builder shared by the background and `scan` uses it. */
export {
  type ClassifierConfig,
  type ClassifierSensitivity,
  type ClassifierThresholds,
  calibratedScore,
  classifierSignal,
  frameScore,
} from '../../core/classifier-calibration';
