import { describe, expect, it } from 'vitest';
import { ASSET_RUBRIC_LABEL, readRubric, type RubricManifest, rubricSignals } from '../../lib/core/rubric';

/** A manifest with one action of the given source-type term, and ingredients with or without credentials. */
function manifest(action: string, type?: string, ingredients: boolean[] = []): RubricManifest {
  return {
    actions: [{ action, ...(type ? { digitalSourceType: type } : {}) }],
    ingredients: ingredients.map((hasManifest) => ({ hasManifest })),
  };
}

describe('the asset rubric’s local signals, one manifest at a time', () => {
  it('names the rubric and its version', () => {
    expect(ASSET_RUBRIC_LABEL).toBe('C2PA asset rubric, local signals 1.0 (2026-08-06)');
  });

  it('fullyGenAIMedia: created as trainedAlgorithmicMedia', () => {
    expect(rubricSignals(manifest('c2pa.created', 'trainedAlgorithmicMedia'))).toEqual(['fullyGenAIMedia']);
  });

  it('partlyGenAICreation: created as compositeWithTrainedAlgorithmicMedia', () => {
    expect(rubricSignals(manifest('c2pa.created', 'compositeWithTrainedAlgorithmicMedia'))).toEqual([
      'partlyGenAICreation',
    ]);
  });

  it('compositionMayContainGenAI: created as a composite', () => {
    expect(rubricSignals(manifest('c2pa.created', 'composite'))).toEqual(['compositionMayContainGenAI']);
  });

  it('capturedMedia: created, or opened, as digitalCapture or computationalCapture', () => {
    expect(rubricSignals(manifest('c2pa.created', 'digitalCapture'))).toEqual(['capturedMedia']);
    expect(rubricSignals(manifest('c2pa.opened', 'computationalCapture'))).toEqual(['capturedMedia']);
    expect(rubricSignals(manifest('c2pa.created', 'compositeCapture'))).toEqual(['capturedMediaStitched']);
  });

  it('screenCaptureMayContainGenAI: created as screenCapture', () => {
    expect(rubricSignals(manifest('c2pa.created', 'screenCapture'))).toEqual(['screenCaptureMayContainGenAI']);
  });

  it('mediaUnknownProvenance: an ingredient without credentials of its own, not one that has them', () => {
    expect(rubricSignals(manifest('c2pa.placed', undefined, [true, false]))).toEqual(['mediaUnknownProvenance']);
    expect(rubricSignals(manifest('c2pa.placed', undefined, [true]))).toEqual([]);
  });

  it('perceptibleGenAI: a generative source type on an edit, but not on a creating or a mechanical action', () => {
    expect(rubricSignals(manifest('c2pa.edited', 'trainedAlgorithmicMedia'))).toEqual(['perceptibleGenAI']);
    expect(rubricSignals(manifest('c2pa.placed', 'compositeSynthetic'))).toEqual(['perceptibleGenAI']);
    expect(rubricSignals(manifest('c2pa.filtered', 'trainedAlgorithmicData'))).toEqual(['perceptibleGenAI']);
    // Non-editorial: a transcode changes nothing one can see, whatever type it carries.
    expect(rubricSignals(manifest('c2pa.transcoded', 'trainedAlgorithmicMedia'))).toEqual([]);
    expect(rubricSignals(manifest('c2pa.edited', 'humanEdits'))).toEqual([]);
  });

  it('an AI edit of a capture gives both signals; source types elsewhere or absent give none', () => {
    const edited: RubricManifest = {
      actions: [
        { action: 'c2pa.created', digitalSourceType: 'digitalCapture' },
        { action: 'c2pa.edited', digitalSourceType: 'compositeWithTrainedAlgorithmicMedia' },
      ],
      ingredients: [],
    };
    expect(rubricSignals(edited)).toEqual(['capturedMedia', 'perceptibleGenAI']);
    expect(rubricSignals(manifest('c2pa.created'))).toEqual([]);
    expect(rubricSignals(manifest('c2pa.created', 'algorithmicMedia'))).toEqual([]);
    expect(rubricSignals(manifest('c2pa.created', 'constructor'))).toEqual([]);
  });
});

describe('reading the signals over the graph', () => {
  it('a generated parent makes the whole generated; a generated part makes parts', () => {
    expect(readRubric([], [['fullyGenAIMedia']], [])).toMatchObject({ fullyAi: true, partlyAi: false });
    expect(readRubric(['partlyGenAICreation'], [], [['capturedMedia']])).toMatchObject({
      fullyAi: false,
      partlyAi: true,
      captured: false,
    });
    expect(readRubric(['compositionMayContainGenAI'], [], [['fullyGenAIMedia']])).toMatchObject({
      partlyAi: true,
      mayContainAi: true,
    });
  });

  it('a capture is a capture only of its own manifest and with no AI anywhere', () => {
    expect(readRubric(['capturedMedia'], [], [])).toMatchObject({ captured: true, fullyAi: false, partlyAi: false });
    expect(readRubric(['capturedMedia', 'perceptibleGenAI'], [], []).captured).toBe(false);
    expect(readRubric([], [['capturedMedia']], []).captured).toBe(false);
    expect(readRubric(['screenCaptureMayContainGenAI'], [], [])).toMatchObject({ captured: false, mayContainAi: true });
  });
});
