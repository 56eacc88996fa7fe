import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  type ConformingProductList,
  matchConformingProduct,
  parseConformingProducts,
  productVouchesForCapture,
} from '../../../lib/core/conforming-products';
import { evaluateVerdict } from '../../../lib/core/verdict';
import { nodeBundledTrust, nodeTrustSet } from '../../../lib/node/provenance';
import { interpretManifestStore } from '../../../lib/provenance/interpret';

/**
 * The C2PA Conforming Products List as bundled (public/trust/conforming-products.json, built by
 * `npm run trust:update` from ../shared/data/trust/conforming-products-list.json), the matcher that finds a
 * manifest's product in it, and the capture rule that follows from it.
 */

const TRUST = resolve(__dirname, '../../../public/trust');
const bundled = parseConformingProducts(JSON.parse(readFileSync(join(TRUST, 'conforming-products.json'), 'utf8')));

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/** A manifest store as c2pa-rs reports it: a capture, signed by `org` / `cn`, made by `generator`. */
function captureStore(org: string, cn: string, generator: { name: string; version?: string } | string) {
  const info = typeof generator === 'string' ? { claim_generator: generator } : { claim_generator_info: [generator] };
  return {
    active_manifest: 'urn:a',
    validation_state: 'Trusted',
    manifests: {
      'urn:a': {
        ...info,
        signature_info: { issuer: org, common_name: cn },
        assertions: [
          {
            label: 'c2pa.actions.v2',
            data: { actions: [{ action: 'c2pa.created', digitalSourceType: `${IPTC}digitalCapture` }] },
          },
        ],
      },
    },
  };
}

describe('the bundled conforming products list', () => {
  it('keeps the list’s date, its records and what each may claim', async () => {
    const lists = JSON.parse(readFileSync(join(TRUST, 'lists.json'), 'utf8')) as {
      lists: { products: { issued: string; products: number } };
    };
    // The list has no date of its own: the latest change of any record (2026-08-20 in the copy of 2026-12-02).
    expect(bundled.issued).toBe('2026-08-20');
    expect(lists.lists.products).toMatchObject({ issued: '2026-08-20', products: 174 });
    expect(bundled.products).toHaveLength(174);
    expect(bundled.products.filter((p) => p.kind === 'validator')).toHaveLength(21);
    const snapseed = bundled.products.find((p) => p.name === 'Snapseed');
    expect(snapseed?.disallowed).toContain('capturedMedia');
    // Loaded with the trust lists, and in every trust set, whichever lists are switched on.
    expect((await nodeBundledTrust()).products?.issued).toBe('2026-08-20');
    expect((await nodeTrustSet('', { official: false, legacy: false })).products?.products).toHaveLength(174);
  });

  it('refuses a file that is not a bundled list, and drops records it cannot read', () => {
    expect(() => parseConformingProducts([])).toThrow(/not a bundled conforming products list/);
    expect(() => parseConformingProducts({ version: 2, name: 'x', issued: '2026-01-01', products: [] })).toThrow();
    const list = parseConformingProducts({
      version: 1,
      name: 'C2PA Conforming Products List',
      issued: '2026-01-01',
      products: [
        null,
        { id: 'a', kind: 'camera', name: 'X', vendor: 'Y', status: 'conformant' },
        { id: 'b', kind: 'generator', name: 'Cam', vendor: 'Org', status: 'conformant', disallowed: [1, 'x'] },
      ],
    });
    expect(list.products).toEqual([
      { id: 'b', kind: 'generator', name: 'Cam', vendor: 'Org', status: 'conformant', disallowed: ['x'], media: [] },
    ]);
  });
});

describe('matchConformingProduct', () => {
  it('finds a capture product by its certificate’s organisation and common name', () => {
    const p = matchConformingProduct(bundled, {
      signerOrg: 'Google LLC',
      signerCommonName: 'Pixel Camera',
      generatorVersion: '69307851',
    });
    expect(p).toEqual({
      name: 'Pixel Camera',
      vendor: 'Google LLC',
      kind: 'generator',
      status: 'conformant',
      listDate: '2026-08-20',
      mayClaimCapture: true,
      minVersion: '68566598',
      assuranceLevel: 2,
    });
    expect(productVouchesForCapture(p)).toBe(true);
  });

  it('finds it by the claim generator’s name when the certificate names something else, case and spacing aside', () => {
    const p = matchConformingProduct(bundled, {
      signerOrg: ' numbers  co., ltd. ',
      signerCommonName: 'Signer 42',
      generatorName: 'PROOFSNAP ANDROID',
    });
    expect(p).toMatchObject({ name: 'ProofSnap Android', vendor: 'Numbers Co., Ltd.', mayClaimCapture: true });
  });

  it('never matches a product name from another organisation (anyone can call their generator "Pixel Camera")', () => {
    for (const who of [
      { signerOrg: 'Evil Corp', signerCommonName: 'Pixel Camera', generatorName: 'Pixel Camera' },
      { signerCommonName: 'Pixel Camera', generatorName: 'Pixel Camera' },
      { signerOrg: 'Google LLC', signerCommonName: 'Pixel Camera Pro', generatorName: 'Camera' },
    ]) {
      expect(matchConformingProduct(bundled, who)).toBeNull();
    }
    expect(matchConformingProduct(undefined, { signerOrg: 'Google LLC', signerCommonName: 'Pixel Camera' })).toBeNull();
  });

  it('says when the list does not let a product claim captures', () => {
    const snapseed = matchConformingProduct(bundled, { signerOrg: 'Google LLC', signerCommonName: 'Snapseed' });
    expect(snapseed).toMatchObject({ name: 'Snapseed', mayClaimCapture: false });
    expect(productVouchesForCapture(snapseed)).toBe(false);
    const validator = matchConformingProduct(bundled, {
      signerOrg: 'Adobe Inc.',
      signerCommonName: 'Adobe Content Authenticity Inspect',
    });
    expect(validator).toMatchObject({ kind: 'validator', mayClaimCapture: false });
  });

  it('says when the claim generator is older than the lowest conformant version', () => {
    const p = matchConformingProduct(bundled, {
      signerOrg: 'Google LLC',
      signerCommonName: 'Pixel Camera',
      generatorVersion: '60000000',
    });
    expect(p).toMatchObject({ belowMinVersion: true, minVersion: '68566598' });
    expect(productVouchesForCapture(p)).toBe(false);
  });

  it('allows captures only if every record that fits does, and prefers a conformant record', () => {
    const list: ConformingProductList = {
      name: 'test',
      issued: '2026-01-01',
      products: [
        { id: '1', kind: 'generator', name: 'Cam', vendor: 'Org', status: 'conformant', disallowed: [], media: [] },
        {
          id: '2',
          kind: 'generator',
          name: 'Cam',
          vendor: 'Org',
          unit: 'Cloud',
          status: 'conformant',
          disallowed: ['capturedMedia'],
          media: [],
        },
        { id: '3', kind: 'generator', name: 'Old', vendor: 'Org', status: 'revoked_eol', disallowed: [], media: [] },
      ],
    };
    expect(matchConformingProduct(list, { signerOrg: 'Org', signerCommonName: 'Cam' })?.mayClaimCapture).toBe(false);
    const old = matchConformingProduct(list, { signerOrg: 'Org', signerCommonName: 'Old' });
    expect(old).toMatchObject({ status: 'revoked_eol', mayClaimCapture: true });
    expect(productVouchesForCapture(old)).toBe(false);
  });

  it('compares versions by their numbers', () => {
    expect(compareVersions('7.35', '7.37.1')).toBeLessThan(0);
    expect(compareVersions('1.0.0', '1')).toBe(0);
    expect(compareVersions('v1.1', '1.0')).toBeGreaterThan(0);
    expect(compareVersions('beta', '1.0')).toBeUndefined();
  });
});

describe('a capture claim read against the products list', () => {
  it('names the product in the signal and makes a trusted capture verified', () => {
    const p = interpretManifestStore(
      captureStore('Google LLC', 'Pixel Camera', { name: 'Pixel Camera', version: '69307851' }),
      'file',
      { trustedBy: { id: 'official', name: 'C2PA Trust List' }, products: bundled },
    );
    expect(p).toMatchObject({ state: 'valid', trust: 'official', captureDevice: true });
    expect(p.product).toMatchObject({ name: 'Pixel Camera', vendor: 'Google LLC', status: 'conformant' });
    expect(evaluateVerdict([p]).level).toBe('verified-capture');
  });

  it('reads a version 1 claim generator string ("Pixel_Camera/69307851 c2pa-rs/0.32")', () => {
    const p = interpretManifestStore(
      captureStore('Google LLC', 'Device key 7', 'Pixel_Camera/60000000 c2pa-rs/0.32'),
      'file',
      { trustedBy: { id: 'official', name: 'C2PA Trust List' }, products: bundled },
    );
    expect(p.product).toMatchObject({ name: 'Pixel Camera', belowMinVersion: true });
    expect(evaluateVerdict([p]).level).not.toBe('verified-capture');
  });

  it('shows a trusted capture claim from an unlisted product honestly, not as verified', () => {
    const p = interpretManifestStore(
      captureStore('Leica Camera AG', 'Leica M11-P', { name: 'Leica M11-P', version: '1.0' }),
      'file',
      { trustedBy: { id: 'legacy', name: 'Interim trust list' }, products: bundled },
    );
    expect(p.product).toBeNull();
    const v = evaluateVerdict([p]);
    expect(v.level).not.toBe('verified-capture');
    expect(v.reasons[0]).toContain('from a product not listed as a conforming capture device');
  });

  it('leaves the product out when no list was consulted', () => {
    const p = interpretManifestStore(captureStore('Google LLC', 'Pixel Camera', { name: 'Pixel Camera' }));
    expect('product' in p).toBe(false);
  });
});
