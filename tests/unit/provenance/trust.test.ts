import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProvenanceSignal } from '../../../lib/core/signals';
import { evaluateVerdict } from '../../../lib/core/verdict';
import { nodeBundledTrust, nodeTrustSet, readProvenance } from '../../../lib/node/provenance';
import { provenanceSummary } from '../../../lib/node/scan';
import { interpretManifestStore } from '../../../lib/provenance/interpret';
import { ProvenanceChecker } from '../../../lib/provenance/provenance-checker';
import {
  bundledProductListInfo,
  c2paSettings,
  listOutOfDate,
  type TrustSet,
  trustSet,
} from '../../../lib/provenance/trust';
import { makeC2paFixtures } from '../../../scripts/c2pa/make-fixtures.mjs';

/**
 * The bundled trust lists (public/trust) as `npm run scan` and the extension use them, on real manifests
 * from ../shared/data/ai-video and on the project's own signed fixtures.
 */

const AI_VIDEO = resolve(__dirname, '../../../../shared/data/ai-video');
const REAL = {
  sora: join(AI_VIDEO, 'sammyatman__videogen/examples__onions__sora_1_t2v.mp4'),
  chatgpt: join(AI_VIDEO, 'wiltodelta__remove-ai-watermarks/data__samples__chatgpt-1.png'),
  firefly: join(AI_VIDEO, 'wiltodelta__remove-ai-watermarks/data__samples__firefly-1.png'),
  flux: join(AI_VIDEO, 'wiltodelta__remove-ai-watermarks/data__samples__flux-1.jpg'),
  designer: join(AI_VIDEO, 'wiltodelta__remove-ai-watermarks/data__synthid_corpus__images__pos__1f81827c-Designer.png'),
};
const realPresent = Object.values(REAL).every((f) => existsSync(f));
if (!realPresent) console.warn(`skipping the real-manifest trust cases: ${AI_VIDEO} (or a file in it) is absent`);

/** The bundled lists as the extension ships them. */
const PUBLIC_TRUST = resolve(__dirname, '../../../public/trust');
const SHARED_ROOTS = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs/certs/trust/test_cert_root_bundle.pem');
const sharedPresent = existsSync(SHARED_ROOTS);
if (!sharedPresent) console.warn(`skipping the user-anchor-over-bundled-lists case: ${SHARED_ROOTS} is absent`);

let dir = '';
let ownRoot = '';
let bundled: TrustSet;
let none: TrustSet;

beforeAll(async () => {
  const made = await makeC2paFixtures();
  dir = made.dir;
  ownRoot = readFileSync(made.ownRoot, 'utf8');
  bundled = await nodeTrustSet();
  none = await nodeTrustSet('', { official: false, legacy: false });
}, 120_000);

describe('the bundled lists', () => {
  it('load with their names and dates, and the official list carries its time-stamping authorities', async () => {
    const b = await nodeBundledTrust();
    expect(b.official?.info).toMatchObject({ id: 'official', name: 'C2PA Trust List' });
    expect(b.official?.info.issued).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(b.official?.info.nextUpdate).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(b.official?.anchors).toContain('-----BEGIN CERTIFICATE-----');
    // 30 claim-signing CAs and the TSA list's certificates.
    expect(b.official?.anchors.match(/BEGIN CERTIFICATE/g)?.length).toBeGreaterThan(30);
    expect(b.legacy?.info).toMatchObject({ id: 'legacy', issued: '2025-08-28' });
    expect(b.legacy?.allowed).toContain('-----BEGIN CERTIFICATE-----');
    const settings = c2paSettings([b.official!, b.legacy!]);
    // Nothing is fetched to validate: no OCSP request, no remote manifest.
    expect(settings.verify).toMatchObject({ ocsp_fetch: false, remote_manifest_fetch: false, verify_trust: true });
    // Nor any host through c2pa-rs's HTTP resolver (a CAWG identity's did:web document): an empty allow-list.
    expect(settings.core).toEqual({ allowed_network_hosts: [] });
    expect(c2paSettings([]).core).toEqual({ allowed_network_hosts: [] });
    expect(settings.trust?.trust_config).toContain('1.3.6.1.5.5.7.3.8');
  });

  it('name the conforming products list with its date and size, and say when it is out of date', async () => {
    const read = (file: string) => readFile(join(PUBLIC_TRUST, file), 'utf8');
    // The list carries no date of its own: the bundle's is its latest record change, and it announces no next one.
    const bundled = await bundledProductListInfo(read);
    expect(bundled).toEqual({ name: 'C2PA Conforming Products List', issued: '2026-08-20', products: 174 });
    expect(listOutOfDate(bundled!)).toBe(false);
    expect((await nodeBundledTrust()).products?.products).toHaveLength(174);

    // A later list that announces its next update, and a bundle whose lists.json predates the count.
    const lists = JSON.parse(await read('lists.json')) as { lists: Record<string, Record<string, unknown>> };
    const { products: count, ...entry } = lists.lists.products!;
    expect(count).toBe(174);
    const later = { ...lists, lists: { ...lists.lists, products: { ...entry, nextUpdate: '2026-09-01' } } };
    const info = await bundledProductListInfo((file) =>
      file === 'lists.json' ? Promise.resolve(JSON.stringify(later)) : read(file),
    );
    expect(info).toEqual({
      name: 'C2PA Conforming Products List',
      issued: '2026-08-20',
      nextUpdate: '2026-09-01',
      products: 174,
    });
    expect(listOutOfDate(info!, Date.parse('2026-12-03'))).toBe(true);
    expect(listOutOfDate(info!, Date.parse('2026-08-25'))).toBe(false);

    // No products list bundled: nothing to show.
    const none = { ...lists, lists: { official: lists.lists.official } };
    expect(await bundledProductListInfo(async () => JSON.stringify(none))).toBeNull();
  });

  it('a list past its next update is out of date (and still used)', () => {
    expect(listOutOfDate({ nextUpdate: '2020-01-01T00:00:00Z' })).toBe(true);
    expect(listOutOfDate({ nextUpdate: '2999-01-01T00:00:00Z' })).toBe(false);
    expect(listOutOfDate({})).toBe(false);
  });

  it('keys a trust set by SHA-256 of its contents: same length and same ending are different sets', async () => {
    // The old cache key was the text's length and its last 64 characters: these two collided.
    const tail = 'x'.repeat(64);
    const a = await trustSet({}, { official: false, legacy: false }, `A${tail}`);
    const b = await trustSet({}, { official: false, legacy: false }, `B${tail}`);
    expect(a.key).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key).not.toBe(b.key);
    // And the checker's cache follows the key: the second set is read, not answered from the first one's entry.
    const seen: string[] = [];
    const checker = new ProvenanceChecker(
      {
        read: async (_type, _blob, trust) => {
          seen.push(trust.sources[0]?.anchors ?? '');
          return null;
        },
        readFragment: async () => null,
      },
      async () => new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/jpeg' } }),
    );
    await checker.checkFile({
      videoId: 'v',
      src: 'https://example.test/a.jpg',
      trust: a,
      maxBytes: 1e6,
      source: 'image',
    });
    await checker.checkFile({
      videoId: 'v',
      src: 'https://example.test/a.jpg',
      trust: b,
      maxBytes: 1e6,
      source: 'image',
    });
    expect(seen).toEqual([`A${tail}`, `B${tail}`]);
  });
});

describe('the project’s own signed fixtures under the bundled lists', () => {
  it('a signer on no list reads "signed, but not by anyone on the trust lists": untrusted, trust unknown', async () => {
    const p = await readProvenance(join(dir, 'untrusted-veo.mp4'), 'video/mp4', bundled);
    expect(p).toMatchObject({ state: 'untrusted', trust: 'unknown', declaresAi: true, generator: 'Google Veo' });
    expect(p.trustList).toBeUndefined();
    // An AI declaration from a signer no list vouches for: likely AI, not AI-generated, and the signer named.
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[0]).toMatch(
      /^Content Credentials declare it AI-generated, made with Google Veo \(signed by Unknown Studio; signature valid, signer not verified: not on any trust list in use\)\.$/,
    );
  });

  it('the user’s own anchor on top of the bundled lists names the user as the one who trusts it', async () => {
    const set = await nodeTrustSet(ownRoot);
    const p = await readProvenance(join(dir, 'untrusted-veo.mp4'), 'video/mp4', set);
    expect(p).toMatchObject({ state: 'valid', trust: 'user', trustList: { id: 'user' }, signer: 'Unknown Studio' });
    // Trusted now: the same declaration makes it AI-generated.
    expect(evaluateVerdict([p])).toMatchObject({ level: 'ai' });
    expect(evaluateVerdict([p]).reasons[0]).toMatch(/signer verified by your own trust anchors/);
  });

  it.skipIf(!sharedPresent)('a camera capture trusted by the user’s anchor is a verified capture', async () => {
    const set = await nodeTrustSet(readFileSync(SHARED_ROOTS, 'utf8'));
    const p = await readProvenance(join(dir, 'camera.mp4'), 'video/mp4', set);
    expect(p).toMatchObject({ state: 'valid', trust: 'user', captureDevice: true });
    // The test chain's "C2PA Test Signing Cert" making a "Leica M11-P" claim is no product on the conforming
    // products list: only the user's own anchors make it verified, and the reasons say so.
    expect(p.product).toBeNull();
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('verified-capture');
    expect(v.reasons[1]).toMatch(/^Only your own trust anchors make this capture verified/);
    expect(provenanceSummary([p])).toMatchObject({ trust: 'user', product: null, identities: [] });
  });

  it('a tampered file is still invalid under the bundled lists, with its real failure code', async () => {
    const p = await readProvenance(join(dir, 'tampered.mp4'), 'video/mp4', bundled);
    expect(p.state).toBe('invalid');
    expect(p.failureCodes).toContain('assertion.bmffHash.mismatch');
    expect(p.trust).toBeUndefined();
  });
});

describe.skipIf(!realPresent)('real manifests from ../shared/data/ai-video under the bundled lists', () => {
  it('OpenAI Sora (Truepic): trusted under the legacy list, its time-stamp trusted, AI-generated', async () => {
    const p = await readProvenance(REAL.sora, 'video/mp4', bundled);
    expect(p).toMatchObject({ state: 'valid', trust: 'legacy', signer: 'OpenAI', declaresAi: true });
    expect(p.trustList).toMatchObject({ id: 'legacy', issued: '2025-08-28' });
    expect(p.timeStampTrusted).toBe(true);
    expect(p.certificate).toBeUndefined();
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/signed by OpenAI, signer verified on the legacy interim trust list/);
    expect(provenanceSummary([p])).toMatchObject({ state: 'valid', trust: 'legacy', list: { issued: '2025-08-28' } });
    // Signed by "OpenAI" through Truepic: the products list names "OpenAI OpCo, LLC" only, so no product matches.
    expect(provenanceSummary([p])?.product).toBeNull();
  });

  it('without the bundled lists the same Sora clip is never "invalid": its expired certificate keeps the claims', async () => {
    const p = await readProvenance(REAL.sora, 'video/mp4', none);
    // c2pa-rs reports signingCredential.expired beside signingCredential.untrusted: no tampering.
    expect(p).toMatchObject({ state: 'untrusted', trust: 'unknown', certificate: 'expired-since-signing' });
    const v = evaluateVerdict([p]);
    // Without the lists no one vouches for OpenAI's signer: likely AI, the signer named.
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[0]).toMatch(/signed by OpenAI; .*certificate expired since signing/);
    expect(v.reasons.join(' ')).not.toMatch(/altered|broken/);
  });

  it('GPT-4o (ChatGPT, no time-stamp): legacy signer, "certificate expired since signing", still AI-generated', async () => {
    const p = await readProvenance(REAL.chatgpt, 'image/png', bundled);
    expect(p).toMatchObject({
      state: 'valid',
      trust: 'legacy',
      certificate: 'expired-since-signing',
      signer: 'OpenAI',
    });
    const v = evaluateVerdict([p]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toMatch(/signer verified on the legacy interim trust list; certificate expired since signing/);
  });

  it.each([
    ['Adobe Firefly', 'firefly', 'image/png'],
    ['Black Forest Labs', 'flux', 'image/jpeg'],
    ['Microsoft Designer', 'designer', 'image/png'],
  ] as const)('%s: read with the trust state the lists give, never "invalid"', async (_name, key, type) => {
    const p: ProvenanceSignal = await readProvenance(REAL[key], type, bundled);
    expect(p.state === 'valid' || p.state === 'untrusted').toBe(true);
    expect(p.declaresAi).toBe(true);
    // AI-generated from a signer a list vouches for; from one no list knows, likely AI with the signer named.
    const v = evaluateVerdict([p]);
    expect(v.level).toBe(p.state === 'valid' ? 'ai' : 'likely-ai');
    if (p.signer) expect(v.reasons[0]).toContain(`signed by ${p.signer}`);
    // The list named is the one c2pa-rs trusts the signer under, alone.
    if (p.state === 'valid') {
      const b = await nodeBundledTrust();
      const only = await trustSet(b, { official: p.trust === 'official', legacy: p.trust === 'legacy' }, '');
      expect((await readProvenance(REAL[key], type, only)).state).toBe('valid');
    } else expect(p.trust).toBe('unknown');
  });
});

describe('certificate states from c2pa-rs’s codes', () => {
  const manifest = {
    'urn:a': {
      signature_info: { issuer: 'Maker' },
      assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.created' }] } }],
    },
  };
  const store = (failure: string[], success: string[], state = 'Invalid') => ({
    active_manifest: 'urn:a',
    manifests: manifest,
    validation_state: state,
    validation_results: {
      activeManifest: { failure: failure.map((code) => ({ code })), success: success.map((code) => ({ code })) },
    },
  });

  it('an OCSP response in the manifest saying "revoked" is invalid, said as a revocation, not tampering', () => {
    const p = interpretManifestStore(store(['signingCredential.ocsp.revoked'], ['signingCredential.trusted']));
    expect(p).toMatchObject({ state: 'invalid', certificate: 'revoked' });
    expect(evaluateVerdict([p]).reasons.join(' ')).toMatch(/certificate was revoked/);
    expect(evaluateVerdict([p]).reasons.join(' ')).not.toMatch(/altered/);
  });

  it('an untrusted time-stamp authority alone is no failure', () => {
    const p = interpretManifestStore(store(['timeStamp.untrusted', 'signingCredential.untrusted'], [], 'Valid'));
    expect(p).toMatchObject({ state: 'untrusted', trust: 'unknown' });
  });

  it('an expired certificate without a trusted time-stamp never makes a verified capture', () => {
    const camera = store(['signingCredential.expired'], ['signingCredential.trusted']);
    const capture = camera.manifests['urn:a'].assertions[0]!.data.actions[0] as Record<string, string>;
    capture.digitalSourceType = 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture';
    const p = { ...interpretManifestStore(camera), hashVerified: true };
    expect(p).toMatchObject({ state: 'valid', captureDevice: true, certificate: 'expired-since-signing' });
    const v = evaluateVerdict([p, { kind: 'frame-quality', framesChecked: 2, blankFrames: 0 }]);
    expect(v.level).not.toBe('verified-capture');
    expect(v.reasons.join(' ')).toMatch(/claim a camera capture .*certificate expired since signing/);
    capture.digitalSourceType = '';
  });
});
