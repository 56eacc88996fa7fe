import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RubricSignal } from '../../../lib/core/rubric';
import type { ProvenanceSignal } from '../../../lib/core/signals';
import { evaluateVerdict } from '../../../lib/core/verdict';
import { readProvenance } from '../../../lib/node/provenance';
import { trustSet } from '../../../lib/provenance/trust';
// The fixture script is plain Node ESM shared with the demo.
import { makeC2paFixtures } from '../../../scripts/c2pa/make-fixtures.mjs';

/**
 * One signed fixture per asset-rubric signal, made by the project's signing script and read by c2pa-rs: the
 * signals come from what the reader parsed and validated, and each drives the verdict its own way.
 */
let dir = '';
let anchors = '';

beforeAll(async () => {
  const made = await makeC2paFixtures();
  dir = made.dir;
  // The reference implementation's test root when present (the fixtures are signed with its chain), else ours.
  anchors = readFileSync(existsSync(made.sharedRoots) ? made.sharedRoots : made.ownRoot, 'utf8');
}, 120_000);

/** A fixture read with the signer's root as the only anchor: signature valid, signer verified. */
async function read(file: string): Promise<ProvenanceSignal> {
  const p = await readProvenance(
    join(dir, file),
    'video/mp4',
    await trustSet({}, { official: false, legacy: false }, anchors),
  );
  expect(p.state).toBe('valid');
  expect(p.rubric?.version).toBe('C2PA asset rubric, local signals 1.0 (2026-08-06)');
  return p;
}

/** A classifier that vouches for low scores and saw none of AI. */
const noSignsClassifier = {
  kind: 'classifier' as const,
  model: 'test@1',
  score: 0.01,
  framesScored: 8,
  thresholds: { likelyAi: 0.9, uncertain: 0.5, noSigns: 0.1 },
};

describe('asset rubric signals from signed fixtures', { timeout: 120_000 }, () => {
  it('fullyGenAIMedia: an AI-generated clip is AI-generated', async () => {
    const p = await read('ai-sora.mp4');
    expect(p.rubric!.signals).toEqual<RubricSignal[]>(['fullyGenAIMedia']);
    expect(p).toMatchObject({ declaresAi: true, composite: false });
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/^Content Credentials declare it AI-generated, made with OpenAI Sora/);
  });

  it('capturedMedia: a camera clip is a verified capture', async () => {
    const p = await read('camera.mp4');
    expect(p.rubric!.signals).toEqual<RubricSignal[]>(['capturedMedia']);
    expect(p).toMatchObject({ declaresAi: false, captureDevice: true });
    expect(evaluateVerdict([p]).level).toBe('verified-capture');
  });

  it('partlyGenAICreation: a composite with generated parts says it contains AI-generated parts', async () => {
    const p = await read('composite.mp4');
    expect(p.rubric!.signals).toEqual<RubricSignal[]>(['partlyGenAICreation']);
    // Its camera ingredient keeps its own signal.
    expect(p.ingredients?.[0]?.rubric).toEqual<RubricSignal[]>(['capturedMedia']);
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/^Content Credentials say it contains AI-generated parts, made with Adobe Firefly/);
  });

  it('perceptibleGenAI: a camera clip edited with generative AI contains AI-generated parts, no capture', async () => {
    const p = await read('ai-edit.mp4');
    expect(p.rubric!.signals).toEqual<RubricSignal[]>(['perceptibleGenAI']);
    expect(p.ingredients?.[0]).toMatchObject({ relationship: 'parentOf', rubric: ['capturedMedia'] });
    expect(p).toMatchObject({ declaresAi: true, composite: true, captureDevice: false });
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/contains AI-generated parts/);
  });

  it('compositionMayContainGenAI and mediaUnknownProvenance: a composition of an uncredentialed clip', async () => {
    const p = await read('composition.mp4');
    expect(p.rubric!.signals).toEqual<RubricSignal[]>(['compositionMayContainGenAI', 'mediaUnknownProvenance']);
    expect(p).toMatchObject({ declaresAi: false, captureDevice: false });
    // It declares no AI, so no AI verdict; but a "no signs" from the classifier is held back to "uncertain".
    const v = evaluateVerdict([p, noSignsClassifier]);
    expect(v.level).toBe('uncertain');
    expect(v.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Content Credentials say it is a composition of several sources, which may contain AI-generated parts \(.*signer verified/,
        ),
      ]),
    );
    expect(v.reasons).toContain('Part of it was made from media with no Content Credentials of its own.');
  });

  it('screenCaptureMayContainGenAI: a screen recording is never a capture and never "no signs"', async () => {
    const p = await read('screen-recording.mp4');
    expect(p.rubric!.signals).toEqual<RubricSignal[]>(['screenCaptureMayContainGenAI']);
    expect(p).toMatchObject({ declaresAi: false, captureDevice: false });
    const v = evaluateVerdict([p, noSignsClassifier]);
    expect(v.level).toBe('uncertain');
    expect(v.reasons[0]).toMatch(
      /^Content Credentials say it is a screen recording, which may show AI-generated content/,
    );
    // Without the classifier's "no signs" it rests on the other evidence, as before.
    expect(evaluateVerdict([p, { ...noSignsClassifier, score: 0.95 }]).level).toBe('likely-ai');
  });
});
