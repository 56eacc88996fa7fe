import { describe, expect, it } from 'vitest';
import { interpretManifestStore, sourceTypeName } from '../../../lib/provenance/interpret';

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
