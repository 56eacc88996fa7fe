import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateVerdict } from '../../../lib/core/verdict';
import { nodeTrustSet, readProvenance } from '../../../lib/node/provenance';
import { provenanceSummary } from '../../../lib/node/scan';
import { interpretManifestStore } from '../../../lib/provenance/interpret';
import { makeC2paFixtures } from '../../../scripts/c2pa/make-fixtures.mjs';

/**
 * CAWG identity assertions (`cawg.identity`), in manifest stores shaped as c2pa-rs's Reader reports them: once it
 * has checked an identity's signature, c2pa-rs replaces the assertion's data with a summary (for an X.509
 * signature, the signer payload and the certificate's `signature_info`; for an identity claims aggregation, the
 * credential with its `verifiedIdentities`), and logs codes at the assertion's URL in `validation_results`.
 * Otherwise the data stays the raw assertion (`signer_payload`, `signature`, padding).
 */

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const LABEL = 'urn:c2pa:5e5a0f7e-0b33-4a42-8d1e-2f6d7b1b9a01';
const url = (assertion: string) => `self#jumbf=/c2pa/${LABEL}/c2pa.assertions/${assertion}`;

const X509_SUMMARY = {
  signer_payload: {
    sig_type: 'cawg.x509.cose',
    referenced_assertions: [{ url: url('c2pa.hash.bmff.v3'), hash: 'AAAA' }],
  },
  signature_info: {
    alg: 'Es256',
    issuer: 'Example Newsroom Ltd',
    common_name: 'Jane Reporter',
    cert_serial_number: '1234',
  },
};

const ICA_SUMMARY = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://cawg.io/identity/1.1/ica/context/'],
  type: ['VerifiableCredential', 'IdentityClaimsAggregationCredential'],
  issuer: 'did:web:connected-identities.identity.example.com',
  validFrom: '2025-04-09T22:46:13Z',
  verifiedIdentities: [
    {
      type: 'cawg.social_media',
      username: 'janereporter',
      uri: 'https://www.behance.net/janereporter',
      verifiedAt: '2025-04-09T22:45:26Z',
      provider: { id: 'https://behance.net', name: 'behance' },
    },
    { type: 'cawg.document_verification', name: 'Jane Reporter', provider: { id: 'https://idv.example' } },
  ],
};

const RAW = {
  signer_payload: { sig_type: 'cawg.x509.cose', referenced_assertions: [{ url: url('c2pa.hash.bmff.v3') }] },
  signature: [210, 132, 67, 161, 1, 38],
  pad1: [0, 0, 0],
};

type Entry = { code: string; url?: string; explanation?: string };

/** A trusted capture manifest carrying the given identity assertions, with the codes c2pa-rs logged. */
function store(
  assertions: Array<{ label: string; data: unknown }>,
  codes: { success?: Entry[]; failure?: Entry[]; informational?: Entry[] } = {},
  state = 'Trusted',
) {
  return {
    active_manifest: LABEL,
    validation_state: state,
    validation_results: {
      activeManifest: {
        success: [{ code: 'signingCredential.trusted', url: url('') }, ...(codes.success ?? [])],
        failure: codes.failure ?? [],
        informational: codes.informational ?? [],
      },
    },
    manifests: {
      [LABEL]: {
        claim_generator_info: [{ name: 'Newsroom Capture', version: '1.0' }],
        signature_info: { issuer: 'Example Newsroom Ltd', common_name: 'Newsroom Capture' },
        assertions: [
          {
            label: 'c2pa.actions.v2',
            data: { actions: [{ action: 'c2pa.created', digitalSourceType: `${IPTC}trainedAlgorithmicMedia` }] },
          },
          ...assertions,
        ],
      },
    },
  };
}

const read = (s: unknown) =>
  interpretManifestStore(s, 'file', { trustedBy: { id: 'official', name: 'C2PA Trust List' } });

describe('CAWG identity assertions', () => {
  it('keeps the claim trusted when c2pa-rs holds back `Trusted` only for an identity’s untrusted certificate', () => {
    // As c2pa-rs 0.90 (the Node binding's) reports it: `Valid` overall, the claim's signer trusted, and the
    // identity certificate's `signingCredential.untrusted` logged at the identity assertion.
    const p = read(
      store(
        [{ label: 'cawg.identity', data: { ...X509_SUMMARY, signature_info: { issuer: 'Example Newsroom Ltd' } } }],
        {
          success: [{ code: 'cawg.identity.well-formed', url: url('cawg.identity') }],
          failure: [{ code: 'signingCredential.untrusted', url: url('cawg.identity') }],
        },
        'Valid',
      ),
    );
    expect(p).toMatchObject({ state: 'valid', trust: 'official' });
    expect(p.identities?.[0]).toMatchObject({ status: 'untrusted', identities: [{ name: 'Example Newsroom Ltd' }] });
    // A failure anywhere else still holds trust back, as before.
    const other = read(
      store(
        [{ label: 'cawg.identity', data: X509_SUMMARY }],
        {
          failure: [
            { code: 'signingCredential.untrusted', url: url('cawg.identity') },
            { code: 'signingCredential.untrusted', url: `self#jumbf=/c2pa/urn:c2pa:other/c2pa.signature` },
          ],
        },
        'Valid',
      ),
    );
    expect(other.state).toBe('untrusted');
  });

  it('reads an X.509 identity whose certificate is trusted, apart from the claim signer', () => {
    const p = read(
      store([{ label: 'cawg.identity', data: X509_SUMMARY }], {
        success: [
          { code: 'cawg.identity.well-formed', url: url('cawg.identity') },
          { code: 'cawg.x509.credential.trusted', url: url('cawg.identity') },
        ],
      }),
    );
    expect(p.state).toBe('valid');
    expect(p.identities).toEqual([
      {
        label: 'cawg.identity',
        method: 'x509',
        status: 'trusted',
        identities: [{ name: 'Jane Reporter' }],
        issuer: 'Example Newsroom Ltd',
        codes: ['cawg.identity.well-formed', 'cawg.x509.credential.trusted'],
      },
    ]);
  });

  it('reads an identity claims aggregation: each verified identity, by whom, and its issuer', () => {
    const p = read(
      store([{ label: 'cawg.identity', data: ICA_SUMMARY }], {
        success: [{ code: 'cawg.ica.credential_valid', url: url('cawg.identity') }],
      }),
    );
    expect(p.identities?.[0]).toMatchObject({
      method: 'ica',
      status: 'trusted',
      issuer: 'did:web:connected-identities.identity.example.com',
      identities: [
        {
          name: 'janereporter',
          type: 'cawg.social_media',
          uri: 'https://www.behance.net/janereporter',
          provider: 'behance',
          verifiedAt: '2025-04-09T22:45:26Z',
        },
        { name: 'Jane Reporter', type: 'cawg.document_verification', provider: 'https://idv.example' },
      ],
    });
  });

  it('calls an identity whose issuer no list trusts untrusted, and keeps the manifest valid', () => {
    const p = read(
      store(
        [
          { label: 'cawg.identity', data: X509_SUMMARY },
          { label: 'cawg.identity__1', data: ICA_SUMMARY },
        ],
        {
          success: [{ code: 'cawg.x509.signature.validated', url: url('cawg.identity') }],
          // An older c2pa-rs counts an untrusted identity certificate among the manifest's failures, with its own code.
          failure: [
            { code: 'cawg.x509.credential.untrusted', url: url('cawg.identity') },
            { code: 'signingCredential.untrusted', url: url('cawg.identity') },
          ],
          informational: [{ code: 'cawg.ica.untrusted_issuer', url: url('cawg.identity__1') }],
        },
        'Invalid',
      ),
    );
    expect(p.identities?.map((i) => [i.label, i.status])).toEqual([
      ['cawg.identity', 'untrusted'],
      ['cawg.identity__1', 'untrusted'],
    ]);
    expect(p).toMatchObject({ state: 'valid', trust: 'official', declaresAi: true });
    expect(p.failureCodes).toBeUndefined();
    expect(evaluateVerdict([p]).level).toBe('ai');
  });

  it('calls an identity that does not match the content invalid, without failing the manifest', () => {
    const p = read(
      store([{ label: 'cawg.identity', data: RAW }], {
        failure: [{ code: 'cawg.x509.signature.mismatch', url: url('cawg.identity') }],
      }),
    );
    expect(p.identities?.[0]).toMatchObject({ method: 'x509', status: 'invalid', identities: [] });
    expect(p.state).toBe('valid');
  });

  it('calls an identity c2pa-rs left undecoded unverified, and one with no shape malformed', () => {
    const p = read(
      store([
        { label: 'cawg.identity', data: RAW },
        { label: 'cawg.identity__1', data: 'not an object' },
        { label: 'cawg.identity__2', data: { verifiedIdentities: 'nope', issuer: 42 } },
      ]),
    );
    expect(p.identities?.map((i) => [i.label, i.method, i.status])).toEqual([
      ['cawg.identity', 'x509', 'unverified'],
      ['cawg.identity__1', 'other', 'malformed'],
      ['cawg.identity__2', 'other', 'malformed'],
    ]);
    expect(p.state).toBe('valid');
  });

  it('ignores other labels, caps the list, and caps each text', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      label: i === 0 ? 'cawg.identity' : `cawg.identity__${i}`,
      data: { ...X509_SUMMARY, signature_info: { issuer: 'x'.repeat(5000), common_name: 'y'.repeat(5000) } },
    }));
    const p = read(store([{ label: 'cawg.identityx', data: X509_SUMMARY }, ...many]));
    expect(p.identities).toHaveLength(8);
    expect(p.identities?.[0]?.identities[0]?.name.length).toBeLessThanOrEqual(200);
    expect(read(store([{ label: 'cawg.identity.v2', data: X509_SUMMARY }])).identities).toBeUndefined();
  });
});

const SHARED_ROOTS = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs/certs/trust/test_cert_root_bundle.pem');
const sharedPresent = existsSync(SHARED_ROOTS);
if (!sharedPresent) console.warn(`skipping the trusted identity-fixture case: ${SHARED_ROOTS} is absent`);

describe('the project’s identity fixture (scripts/c2pa/make-fixtures.mjs: identity.mp4)', () => {
  let file = '';
  beforeAll(async () => {
    file = join((await makeC2paFixtures()).dir, 'identity.mp4');
  }, 120_000);

  it('reads its CAWG X.509 identity as c2pa-rs checked it: signature sound, certificate on no CAWG list', async () => {
    const p = await readProvenance(file, 'video/mp4', await nodeTrustSet(''));
    expect(p.state).toBe('untrusted');
    expect(p.identities).toHaveLength(1);
    expect(p.identities![0]).toMatchObject({ label: 'cawg.identity', method: 'x509', status: 'untrusted' });
    expect(p.identities![0]!.codes).toContain('cawg.identity.well-formed');
    expect(provenanceSummary([p])?.identities).toEqual(p.identities);
  });

  it.skipIf(!sharedPresent)('keeps the claim verified by the user’s anchors, the identity shown apart', async () => {
    const p = await readProvenance(file, 'video/mp4', await nodeTrustSet(readFileSync(SHARED_ROOTS, 'utf8')));
    expect(p).toMatchObject({ state: 'valid', trust: 'user', captureDevice: true, product: null });
    expect(p.identities?.[0]).toMatchObject({
      status: 'untrusted',
      identities: [{ name: 'C2PA Test Signing Cert' }],
      issuer: 'C2PA Test Signing Cert',
    });
    expect(evaluateVerdict([p]).level).toBe('verified-capture');
  });
});
