import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeC2paReader, readProvenance } from '../../../lib/node/provenance';
import { ProvenanceChecker } from '../../../lib/provenance/provenance-checker';
import { bmffSignatureFacts, certificateFacts } from '../../../lib/provenance/signature-chain';
import { trustSet } from '../../../lib/provenance/trust';
import { makeC2paFixtures } from '../../../scripts/c2pa/make-fixtures.mjs';
import { startServer } from '../../../scripts/lib/server.mjs';

/**
 * The signing certificate chain and time-stamp read from a manifest's COSE signature, checked against what
 * Node's own X.509 parser says of the certificates the fixtures were signed with.
 */

const SHARED = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs');
const sharedPresent = existsSync(join(SHARED, 'video1.mp4'));
if (!sharedPresent) console.warn(`skipping the time-stamped c2pa-rs fixture: ${SHARED} is absent`);

let dir = '';
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  dir = (await makeC2paFixtures()).dir;
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** The certificates of a PEM file, as Node parses them. */
function pemCertificates(path: string): X509Certificate[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]),
  );
}

const thumbprint = (c: X509Certificate) => c.fingerprint256.replace(/:/g, '').toLowerCase();

describe('the chain of the project’s own signer', () => {
  it('names each certificate as Node’s X.509 parser does, with the SHA-256 thumbprint of its DER bytes', async () => {
    const facts = await bmffSignatureFacts(new Uint8Array(readFileSync(join(dir, 'untrusted-veo.mp4'))));
    const expected = pemCertificates(join(dir, 'own-chain.pem'));
    expect(facts?.chain).toHaveLength(expected.length);
    expected.forEach((cert, i) => {
      const got = facts!.chain[i]!;
      expect(got.sha256).toBe(thumbprint(cert));
      // The parser writes the serial's bytes (a leading zero nibble kept, "02a3…"); OpenSSL drops it ("2A3…"): the
      // fixture's serials are random, so compare the numbers, not their spelling.
      const number = (hex: string) => hex.toLowerCase().replace(/^0+(?=.)/, '');
      expect(number(got.serialNumber)).toBe(number(cert.serialNumber));
      expect(got.subject).toBe(cert.subject.split('\n').join(', '));
      expect(got.issuer).toBe(cert.issuer.split('\n').join(', '));
      expect(Date.parse(got.notBefore)).toBe(Date.parse(cert.validFrom));
      expect(Date.parse(got.notAfter)).toBe(Date.parse(cert.validTo));
    });
    expect(facts!.chain[0]).toMatchObject({ commonName: 'Unknown Studio Signer', organization: 'Unknown Studio' });
    // The fixture is signed without a time-stamp authority.
    expect(facts!.timeStamp).toBeUndefined();
  });

  it('reaches the detail view through the checker: the signal read over HTTP carries the chain', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader(), fetch);
    const signal = await checker.checkFile({
      videoId: 'v1',
      src: `${server.base}/media/c2pa/untrusted-veo.mp4`,
      trust: await trustSet({}, { official: false, legacy: false }, ''),
      maxBytes: 100 * 1024 * 1024,
    });
    expect(signal.state).toBe('untrusted');
    const own = pemCertificates(join(dir, 'own-chain.pem'));
    expect(signal.signature?.chain.map((c) => c.sha256)).toEqual(own.map(thumbprint));
  });
});

describe.skipIf(!sharedPresent)('the reference implementation’s time-stamped video', () => {
  it('gives the signer’s chain (an older claim: x5chain unprotected, by name) and the TSA’s time and authority', async () => {
    const facts = await bmffSignatureFacts(new Uint8Array(readFileSync(join(SHARED, 'video1.mp4'))));
    expect(facts?.chain.map((c) => c.commonName)).toEqual(['C2PA Signer', 'Intermediate CA']);
    expect(facts?.chain[0]?.issuer).toMatch(/CN=Intermediate CA$/);
    // The same instant c2pa-rs gives as `signature_info.time`.
    expect(facts?.timeStamp?.time).toBe('2023-12-02T16:34:19Z');
    expect(facts?.timeStamp?.chain[0]?.commonName).toBe('DigiCert Timestamp 2023');
    expect(facts?.timeStamp?.chain[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

const SORA = resolve(
  __dirname,
  '../../../../shared/data/ai-video/sammyatman__videogen/examples__onions__sora_1_t2v.mp4',
);

describe.skipIf(!existsSync(SORA))('a real Sora clip (signed through Truepic, time-stamped by DigiCert)', () => {
  it('gives OpenAI’s signing certificate, its issuer, and the time-stamp c2pa-rs reads as the signing time', async () => {
    const facts = await bmffSignatureFacts(new Uint8Array(readFileSync(SORA)));
    expect(facts?.chain[0]).toMatchObject({ organization: 'OpenAI', commonName: 'Truepic Lens CLI in Sora' });
    expect(facts?.chain[1]?.commonName).toBe('WebClaimSigningCA');
    expect(facts?.timeStamp?.chain[0]?.commonName).toBe('DigiCert Timestamp 2024');
    const signal = await readProvenance(SORA, 'video/mp4', await trustSet({}, { official: false, legacy: false }, ''));
    expect(Date.parse(facts!.timeStamp!.time)).toBe(Date.parse(signal.signingTime!));
  });
});

describe('hostile bytes', () => {
  it('a file without a C2PA box, truncated or mutated signatures give nothing, never a throw', async () => {
    const signed = new Uint8Array(readFileSync(join(dir, 'untrusted-veo.mp4')));
    expect(await bmffSignatureFacts(new Uint8Array(readFileSync(join(dir, 'unsigned.mp4'))))).toBeUndefined();
    for (const cut of [16, 40, 200, 2000]) expect(await bmffSignatureFacts(signed.subarray(0, cut))).toBeUndefined();
    // Every byte of the manifest box's first 4 KiB flipped in turn: each reading ends, with facts or without.
    const start = Buffer.from(signed).indexOf('uuid');
    expect(start).toBeGreaterThan(0);
    for (let i = start; i < start + 4096; i += 7) {
      const copy = signed.slice();
      copy[i] = copy[i]! ^ 0xff;
      const facts = await bmffSignatureFacts(copy);
      if (facts) expect(facts.chain.length).toBeLessThanOrEqual(5);
    }
  }, 60_000);

  it('a certificate that is not DER is refused with an error the caller catches', async () => {
    await expect(certificateFacts(new Uint8Array([0x30, 0x82, 0xff, 0xff]))).rejects.toThrow();
  });
});
