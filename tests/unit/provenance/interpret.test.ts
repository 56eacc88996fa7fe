import { describe, expect, it } from 'vitest';
import type { ProvenanceSignal } from '../../../lib/core/signals';
import { evaluateVerdict } from '../../../lib/core/verdict';
import { hashesEachFragment, interpretManifestStore, sourceTypeName } from '../../../lib/provenance/interpret';

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

function store(manifests: Record<string, unknown>, active: string, extra: Record<string, unknown> = {}) {
  return { active_manifest: active, manifests, validation_state: 'Trusted', ...extra };
}

describe('interpretManifestStore on hostile or odd input', () => {
  it.each([null, 42, 'text', [], {}, { manifests: 'x' }])('treats %j as no credentials', (input) => {
    expect(interpretManifestStore(input).state).toBe('absent');
  });

  it('reports an error when the active manifest is missing', () => {
    const p = interpretManifestStore({ active_manifest: 'urn:a', manifests: {} });
    expect(p.state).toBe('error');
    expect(p.detail).toMatch(/no active manifest/);
  });

  it('survives an ingredient cycle and caps ingredient lists and texts', () => {
    const long = 'x'.repeat(10_000);
    const ingredients = Array.from({ length: 50 }, (_, i) => ({
      title: `${long}${i}`,
      relationship: 'componentOf',
      active_manifest: 'urn:b',
    }));
    const p = interpretManifestStore(
      store(
        {
          'urn:a': { claim_generator: long, ingredients, assertions: [] },
          'urn:b': {
            ingredients: [{ title: 'a', active_manifest: 'urn:a' }],
            assertions: [
              {
                label: 'c2pa.actions',
                data: { actions: [{ action: 'c2pa.created', digitalSourceType: `${IPTC}trainedAlgorithmicMedia` }] },
              },
            ],
          },
        },
        'urn:a',
      ),
    );
    expect(p.declaresAi).toBe(true);
    expect(p.ingredients!.length).toBeLessThanOrEqual(8);
    expect(p.generator!.length).toBeLessThanOrEqual(200);
  });

  it('lists what the active manifest says was done to the content, capped', () => {
    const actions = [
      { action: 'c2pa.created', softwareAgent: { name: 'Camera App 2.1' } },
      { action: 'c2pa.color_adjustments', softwareAgent: 'Editor' },
      { action: 'c2pa.cropped' },
      ...Array.from({ length: 20 }, () => ({ action: 'c2pa.edited' })),
    ];
    const p = interpretManifestStore(
      store({ 'urn:a': { assertions: [{ label: 'c2pa.actions.v2', data: { actions } }] } }, 'urn:a'),
    );
    expect(p.actions!.slice(0, 3)).toEqual([
      { action: 'c2pa.created', agent: 'Camera App 2.1' },
      { action: 'c2pa.color_adjustments', agent: 'Editor' },
      { action: 'c2pa.cropped' },
    ]);
    expect(p.actions!.length).toBe(8);
  });

  it('ignores malformed assertions instead of throwing', () => {
    const p = interpretManifestStore(
      store(
        {
          'urn:a': {
            assertions: [
              null,
              3,
              { label: 'c2pa.actions', data: { actions: 'nope' } },
              { label: 'c2pa.actions.v2', data: null },
            ],
          },
        },
        'urn:a',
      ),
    );
    expect(p).toMatchObject({ state: 'valid', declaresAi: false, captureDevice: false });
  });

  it('never takes AI from text outside an actions assertion', () => {
    const p = interpretManifestStore(
      store(
        {
          'urn:a': {
            title: 'trainedAlgorithmicMedia Sora',
            assertions: [{ label: 'stds.schema-org.CreativeWork', data: { about: `${IPTC}trainedAlgorithmicMedia` } }],
          },
        },
        'urn:a',
      ),
    );
    expect(p.declaresAi).toBe(false);
  });

  it('reads the older validation_status list when validation_results is absent', () => {
    const p = interpretManifestStore({
      active_manifest: 'urn:a',
      manifests: { 'urn:a': { assertions: [] } },
      validation_status: [{ code: 'assertion.dataHash.mismatch' }, { code: 'signingCredential.untrusted' }],
    });
    expect(p.state).toBe('invalid');
    expect(p.failureCodes).toEqual(['assertion.dataHash.mismatch', 'signingCredential.untrusted']);
  });

  it('an AI edit of a capture is not a capture', () => {
    const p = interpretManifestStore(
      store(
        {
          'urn:a': {
            assertions: [
              {
                label: 'c2pa.actions.v2',
                data: {
                  actions: [
                    { action: 'c2pa.created', digitalSourceType: `${IPTC}digitalCapture` },
                    { action: 'c2pa.edited', digitalSourceType: `${IPTC}compositeWithTrainedAlgorithmicMedia` },
                  ],
                },
              },
            ],
          },
        },
        'urn:a',
      ),
    );
    expect(p).toMatchObject({ declaresAi: true, composite: true, captureDevice: false });
  });
});

describe('sourceTypeName', () => {
  it('keeps the term of an IPTC URI', () => {
    expect(sourceTypeName(`${IPTC}trainedAlgorithmicMedia`)).toBe('trainedAlgorithmicMedia');
    expect(sourceTypeName('compositeSynthetic')).toBe('compositeSynthetic');
  });
});

describe('reading a manifest without the media (hash skipped)', () => {
  const camera = {
    'urn:c': {
      assertions: [
        {
          label: 'c2pa.actions.v2',
          data: { actions: [{ action: 'c2pa.created', digitalSourceType: `${IPTC}digitalCapture` }] },
        },
      ],
    },
  };
  const results = (failure: string[], success: string[]) => ({
    validation_state: 'Invalid',
    validation_results: {
      activeManifest: {
        failure: failure.map((code) => ({ code })),
        success: success.map((code) => ({ code })),
      },
    },
  });

  it('sets the expected hash mismatch aside and takes trust from the signer’s own codes', () => {
    const s = store(camera, 'urn:c', results(['assertion.bmffHash.mismatch'], ['signingCredential.trusted']));
    expect(interpretManifestStore(s, 'file', { hashSkipped: true })).toMatchObject({
      state: 'valid',
      captureDevice: true,
    });
    expect(interpretManifestStore(s, 'file', { hashSkipped: true }).failureCodes).toBeUndefined();
    // Read whole, the same mismatch means altered media.
    expect(interpretManifestStore(s).state).toBe('invalid');
  });

  it('still reports a broken signature, and an untrusted signer as untrusted', () => {
    const broken = store(camera, 'urn:c', results(['claimSignature.mismatch', 'assertion.bmffHash.mismatch'], []));
    expect(interpretManifestStore(broken, 'file', { hashSkipped: true })).toMatchObject({
      state: 'invalid',
      failureCodes: ['claimSignature.mismatch'],
    });
    const untrusted = store(
      camera,
      'urn:c',
      results(['signingCredential.untrusted', 'assertion.bmffHash.mismatch'], ['claimSignature.validated']),
    );
    expect(interpretManifestStore(untrusted, 'file', { hashSkipped: true }).state).toBe('untrusted');
  });

  it('tells a per-fragment (Merkle) hash from one hash over the whole file', () => {
    const withHash = (data: Record<string, unknown>) =>
      store({ 'urn:c': { assertions: [{ label: 'c2pa.hash.bmff.v2', data }] } }, 'urn:c');
    expect(hashesEachFragment(withHash({ alg: 'sha256', merkle: [{ count: 1 }] }))).toBe(true);
    expect(hashesEachFragment(withHash({ alg: 'sha256', hash: 'AAAA' }))).toBe(false);
    expect(hashesEachFragment(null)).toBe(false);
  });
});

describe('fusing a manifest whose hash was not checked', () => {
  const signal = (extra: Partial<ProvenanceSignal>): ProvenanceSignal => ({
    kind: 'provenance',
    state: 'valid',
    declaresAi: false,
    captureDevice: false,
    digitalSourceTypes: [],
    signer: 'Leica Camera AG',
    ...extra,
  });

  it('an AI declaration still says AI, and says the hash was not checked', () => {
    const v = evaluateVerdict([signal({ declaresAi: true, generator: 'OpenAI Sora', hashVerified: false })]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/made with OpenAI Sora \(signed by Leica Camera AG, signer verified; the file hash/);
  });

  it('a camera signature is a verified capture only with the hash checked over the whole file', () => {
    // A capture device the C2PA Conforming Products List lets claim captures: only the hash decides here.
    const camera = {
      captureDevice: true,
      product: {
        name: 'Leica M11-P',
        vendor: 'Leica Camera AG',
        kind: 'generator' as const,
        status: 'conformant',
        listDate: '2026-08-20',
        mayClaimCapture: true,
      },
    };
    expect(evaluateVerdict([signal({ ...camera, hashVerified: true })]).level).toBe('verified-capture');
    for (const unchecked of [
      signal({ ...camera, hashVerified: false, detail: 'hash not verified: file too large' }),
      signal({ ...camera, hashVerified: false, source: 'stream' }),
    ]) {
      const v = evaluateVerdict([unchecked]);
      expect(v.level).not.toBe('verified-capture');
      expect(v.reasons.join(' ')).toMatch(/claim a camera capture .*(hash was not checked|first segment)/);
    }
  });
});

describe('asset rubric signals over the manifest graph', () => {
  const created = (type: string) => ({
    label: 'c2pa.actions.v2',
    data: { actions: [{ action: 'c2pa.created', digitalSourceType: `${IPTC}${type}` }] },
  });

  it('an AI clip opened and trimmed is AI-generated whole; placed into a capture, it is a part', () => {
    const ai = { assertions: [created('trainedAlgorithmicMedia')] };
    const opened = interpretManifestStore(
      store(
        {
          'urn:ai': ai,
          'urn:a': {
            ingredients: [{ title: 'gen', relationship: 'parentOf', active_manifest: 'urn:ai' }],
            assertions: [
              { label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.opened' }, { action: 'c2pa.trimmed' }] } },
            ],
          },
        },
        'urn:a',
      ),
    );
    expect(opened).toMatchObject({ declaresAi: true, composite: false, rubric: { signals: [] } });
    expect(opened.ingredients?.[0]).toMatchObject({ declaresAi: true, rubric: ['fullyGenAIMedia'] });

    const placed = interpretManifestStore(
      store(
        {
          'urn:ai': ai,
          'urn:a': {
            ingredients: [{ title: 'gen', relationship: 'componentOf', active_manifest: 'urn:ai' }],
            assertions: [created('digitalCapture')],
          },
        },
        'urn:a',
      ),
    );
    expect(placed).toMatchObject({ declaresAi: true, composite: true, captureDevice: false });
    expect(placed.rubric?.signals).toEqual(['capturedMedia']);
  });

  it('keeps a declaration the rubric does not count (algorithmicMedia), as before', () => {
    const p = interpretManifestStore(store({ 'urn:a': { assertions: [created('algorithmicMedia')] } }, 'urn:a'));
    expect(p).toMatchObject({ declaresAi: true, composite: false, rubric: { signals: [] } });
  });

  it('an ingredient without credentials is media of unknown provenance; the verdict says so', () => {
    const p = interpretManifestStore(
      store(
        {
          'urn:a': {
            ingredients: [{ title: 'stock.mp4', relationship: 'componentOf' }],
            assertions: [created('compositeWithTrainedAlgorithmicMedia')],
          },
        },
        'urn:a',
        { validation_state: 'Valid' },
      ),
    );
    expect(p.rubric?.signals).toEqual(['partlyGenAICreation', 'mediaUnknownProvenance']);
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons).toEqual([
      expect.stringMatching(/^Content Credentials say it contains AI-generated parts \(signed by an unnamed signer;/),
      'Part of it was made from media with no Content Credentials of its own.',
    ]);
  });
});
