import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateVerdict } from '../../../lib/core/verdict';
// The fixture script is plain Node ESM shared with the demo.
import { makeC2paFixtures } from '../../../scripts/c2pa/make-fixtures.mjs';
import { readProvenance } from '../../../lib/node/provenance';
import { trustSet } from '../../../lib/provenance/trust';

/** The given anchors alone, no bundled list (the bundled lists have tests of their own). */
const noLists = (anchors?: string) => trustSet({}, { official: false, legacy: false }, anchors ?? '');

const SHARED = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs');
const sharedPresent = existsSync(join(SHARED, 'video1.mp4'));
if (!sharedPresent) {
  console.warn(`skipping the c2pa-rs fixture cases and the verified-capture case: ${SHARED} is absent`);
}

let dir = '';
let testRoots = '';
let ownRoot = '';

beforeAll(async () => {
  const made = await makeC2paFixtures();
  dir = made.dir;
  ownRoot = readFileSync(made.ownRoot, 'utf8');
  if (existsSync(made.sharedRoots)) testRoots = readFileSync(made.sharedRoots, 'utf8');
}, 120_000);

describe('generated fixtures, read by c2pa-rs and interpreted', () => {
  it('an AI clip signed by a trusted signer declares AI and names the generator', async () => {
    const p = await readProvenance(join(dir, 'ai-sora.mp4'), 'video/mp4', await noLists(testRoots || ownRoot));
    expect(p.state).toBe('valid');
    expect(p.declaresAi).toBe(true);
    expect(p.composite).toBe(false);
    expect(p.generator).toBe('OpenAI Sora');
    expect(p.digitalSourceTypes).toEqual(['trainedAlgorithmicMedia']);
    expect(p.signer).toBeTruthy();
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/declare it AI-generated, made with OpenAI Sora .*signer verified/);
  });

  it('without trust anchors the same clip is "untrusted": its AI declaration makes it likely AI, signer named', async () => {
    const p = await readProvenance(join(dir, 'ai-sora.mp4'), 'video/mp4', await noLists());
    expect(p.state).toBe('untrusted');
    expect(p.declaresAi).toBe(true);
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[0]).toMatch(/made with OpenAI Sora \(signed by .+; signature valid, signer not verified/);
  });

  it.skipIf(!sharedPresent)('a camera capture with a verified signer is a verified capture', async () => {
    const p = await readProvenance(join(dir, 'camera.mp4'), 'video/mp4', await noLists(testRoots));
    expect(p).toMatchObject({ state: 'valid', captureDevice: true, declaresAi: false, generator: 'Leica M11-P' });
    expect(evaluateVerdict([p]).level).toBe('verified-capture');
  });

  it('a composite names its AI part and its ingredients', async () => {
    const p = await readProvenance(join(dir, 'composite.mp4'), 'video/mp4', await noLists(testRoots || ownRoot));
    expect(p.declaresAi).toBe(true);
    expect(p.composite).toBe(true);
    expect(p.generator).toBe('Adobe Firefly');
    expect(p.ingredients).toEqual([
      expect.objectContaining({
        title: 'camera.mp4',
        relationship: 'componentOf',
        generator: 'Leica M11-P',
        declaresAi: false,
      }),
    ]);
    expect(evaluateVerdict([p]).reasons[0]).toMatch(/contains AI-generated parts/);
  });

  it('one byte changed in mdat after signing makes the credentials invalid, never a pass', async () => {
    const p = await readProvenance(join(dir, 'tampered.mp4'), 'video/mp4', await noLists(testRoots || ownRoot));
    expect(p.state).toBe('invalid');
    expect(p.failureCodes).toContain('assertion.bmffHash.mismatch');
    const v = evaluateVerdict([p]);
    expect(v.level).not.toBe('verified-capture');
    expect(v.level).not.toBe('no-signs');
    expect(v.reasons.join(' ')).toMatch(/altered or broken after signing \(.*bmffHash\.mismatch/);
  });

  it('an unknown signer stays "untrusted" until its root is imported as a trust anchor', async () => {
    const before = await readProvenance(
      join(dir, 'untrusted-veo.mp4'),
      'video/mp4',
      await noLists(testRoots || undefined),
    );
    expect(before.state).toBe('untrusted');
    expect(before.generator).toBe('Google Veo');
    const after = await readProvenance(join(dir, 'untrusted-veo.mp4'), 'video/mp4', await noLists(ownRoot));
    expect(after.state).toBe('valid');
    expect(after.signer).toBe('Unknown Studio');
  });

  it('a clip without credentials is "absent"', async () => {
    const p = await readProvenance(join(dir, 'unsigned.mp4'), 'video/mp4', await noLists());
    expect(p.state).toBe('absent');
    expect(evaluateVerdict([p, { kind: 'frame-quality', framesChecked: 2, blankFrames: 0 }]).level).toBe('uncertain');
  });
});

describe.skipIf(!sharedPresent)('the reference implementation’s own fixtures', () => {
  const cases: Array<[string, string, string, string[]?]> = [
    ['video1.mp4', 'video/mp4', 'untrusted'],
    ['legacy.mp4', 'video/mp4', 'invalid', ['claimSignature.mismatch']],
    ['video1_no_manifest.mp4', 'video/mp4', 'absent'],
    ['c.mov', 'video/quicktime', 'absent'],
    ['nested_moov_1000.mp4', 'video/mp4', 'error'],
    ['C.jpg', 'image/jpeg', 'valid'],
    ['CA.jpg', 'image/jpeg', 'valid'],
    ['XCA.jpg', 'image/jpeg', 'invalid', ['assertion.dataHash.mismatch']],
    ['E-sig-CA.jpg', 'image/jpeg', 'invalid', ['claimSignature.mismatch']],
    ['no_manifest.jpg', 'image/jpeg', 'absent'],
  ];
  for (const [file, mime, state, codes] of cases) {
    it(`${file} reads as ${state}${codes ? ` (${codes.join(', ')})` : ''}`, async () => {
      const p = await readProvenance(join(SHARED, file), mime, await noLists(testRoots));
      expect(p.state).toBe(state);
      for (const code of codes ?? []) expect(p.failureCodes).toContain(code);
      if (state === 'error') expect(p.detail).toMatch(/nested/i);
    });
  }
});
