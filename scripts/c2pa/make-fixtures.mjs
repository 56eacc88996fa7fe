/**
 * Makes signed C2PA test media for the provenance tests and the demo, into
 * `.media/c2pa/` (ignored by git), from the project's own generated clips:
 *
 * - a certificate chain of our own, made with openssl in the C2PA
 *   certificate profile (a signer no trust list knows: "untrusted" cases);
 * - clips signed with the C2PA reference implementation's test chain (from
 *   ../shared/data/c2pa/c2pa-rs/certs, which chains to its test root bundle:
 *   "valid" when that bundle is loaded as a trust anchor), else our own chain.
 *
 * Signing uses @contentauth/c2pa-node (the reference implementation's Node
 * binding, a dev dependency). Re-running skips what exists.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign as signBytes, X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeMedia } from '../make-media.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the fixtures go. */
export const C2PA_DIR = join(root, '.media/c2pa');
const SHARED_CERTS = resolve(root, '../shared/data/c2pa/c2pa-rs/certs');

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A root CA and an end-entity signer in the C2PA certificate profile (ES256, documentSigning/emailProtection EKU). */
export function makeOwnChain(dir) {
  const chain = join(dir, 'own-chain.pem');
  if (existsSync(chain)) return { chain, key: join(dir, 'own-signer.key'), root: join(dir, 'own-root.pem') };
  writeFileSync(
    join(dir, 'own.cnf'),
    [
      '[root]',
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier=hash',
      '[signer]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid:always',
      '',
    ].join('\n'),
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'own-root.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'own-root.key',
      '-sha256',
      '-days',
      '3650',
      '-subj',
      '/O=Provenance Lens Tests/CN=Provenance Lens Test Root',
      '-config',
      'own.cnf',
      '-extensions',
      'root',
      '-out',
      'own-root.pem',
    ],
    dir,
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'own-signer.ec'], dir);
  openssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'own-signer.ec', '-out', 'own-signer.key'], dir);
  openssl(
    [
      'req',
      '-new',
      '-key',
      'own-signer.key',
      '-subj',
      '/O=Unknown Studio/CN=Unknown Studio Signer',
      '-out',
      'own-signer.csr',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'own-signer.csr',
      '-CA',
      'own-root.pem',
      '-CAkey',
      'own-root.key',
      '-CAcreateserial',
      '-sha256',
      '-days',
      '1825',
      '-extfile',
      'own.cnf',
      '-extensions',
      'signer',
      '-out',
      'own-signer.pem',
    ],
    dir,
  );
  writeFileSync(
    chain,
    readFileSync(join(dir, 'own-signer.pem'), 'utf8') + readFileSync(join(dir, 'own-root.pem'), 'utf8'),
  );
  return { chain, key: join(dir, 'own-signer.key'), root: join(dir, 'own-root.pem') };
}

function actions(list) {
  return { label: 'c2pa.actions.v2', data: { actions: list } };
}

/** A CBOR head (RFC 8949 §3): major type and argument. */
function cborHead(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Deterministic CBOR of what a COSE_Sign1 and a CAWG signer payload hold: integers, text, bytes, arrays, maps (in order), null, a tag. */
function cbor(v) {
  if (v === null) return Buffer.from([0xf6]);
  if (typeof v === 'number') return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(v)), Buffer.from(v, 'utf8')]);
  if (v instanceof Uint8Array) return Buffer.concat([cborHead(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([cborHead(4, v.length), ...v.map(cbor)]);
  if (v instanceof Map) return Buffer.concat([cborHead(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  if (typeof v === 'object' && 'tag' in v) return Buffer.concat([cborHead(6, v.tag), cbor(v.value)]);
  throw new Error(`cbor: cannot encode ${typeof v}`);
}

/**
 * A CAWG X.509 identity signature (`cawg.x509.cose`) over the signer payload c2pa-rs hands the credential holder:
 * a COSE_Sign1 (ES256, the certificate chain in `x5chain`) with the payload detached, over the payload's CBOR as
 * c2pa-rs writes it (`referenced_assertions` of `{ url, alg?, hash }`, `sig_type`, `role` when there are roles),
 * so that c2pa-rs can check it when it reads the file. The node binding offers only this callback to sign one.
 */
function cawgX509Signature(payload, chainPem, key) {
  const refs = payload.referenced_assertions.map((r) => {
    const m = new Map([['url', r.url]]);
    if (r.alg) m.set('alg', r.alg);
    return m.set('hash', Buffer.from(r.hash.data ?? r.hash));
  });
  const signed = new Map([
    ['referenced_assertions', refs],
    ['sig_type', payload.sig_type],
  ]);
  if (payload.role?.length) signed.set('role', payload.role);
  const ders = chainPem
    .match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
    .map((pem) => new X509Certificate(pem).raw);
  const protectedHeader = cbor(
    new Map([
      [1, -7],
      [33, ders.length === 1 ? ders[0] : ders],
    ]),
  );
  const toBeSigned = cbor(['Signature1', protectedHeader, Buffer.alloc(0), cbor(signed)]);
  const signature = signBytes('sha256', toBeSigned, { key, dsaEncoding: 'ieee-p1363' });
  return cbor({ tag: 18, value: [protectedHeader, new Map(), null, signature] });
}

/** Signs a case whose manifest carries a CAWG X.509 identity assertion, made with the claim signer's own key. */
async function signWithIdentity(c2pa, c, definition, source, out) {
  const chainPem = readFileSync(c.signer.chain, 'utf8');
  const key = createPrivateKey(readFileSync(c.signer.key));
  const claimSigner = c2pa.CallbackSigner.newSigner(
    { alg: 'es256', certs: [Buffer.from(chainPem)], reserveSize: 20_000, directCoseHandling: false },
    async (data) => signBytes('sha256', data, { key, dsaEncoding: 'ieee-p1363' }),
  );
  const holder = c2pa.CallbackCredentialHolder.newCallbackCredentialHolder(20_000, 'cawg.x509.cose', async (payload) =>
    cawgX509Signature(payload, chainPem, key),
  );
  const identity = await c2pa.IdentityAssertionBuilder.identityBuilderForCredentialHolder(holder);
  identity.addReferencedAssertions(c.identity.references);
  const signer = c2pa.IdentityAssertionSigner.new(claimSigner.getHandle());
  signer.addIdentityAssertion(identity);
  await c2pa.Builder.withJson(definition).signAsync(signer, source, { path: out });
}

/** The cases: file name → manifest definition, signer and source clip. */
function cases(own) {
  const shared = existsSync(join(SHARED_CERTS, 'es256.pem'))
    ? { chain: join(SHARED_CERTS, 'es256.pub'), key: join(SHARED_CERTS, 'es256.pem') }
    : own;
  return {
    'ai-sora.mp4': {
      signer: shared,
      source: 'clip.mp4',
      manifest: {
        claim_generator_info: [{ name: 'OpenAI Sora', version: '2' }],
        title: 'ai-sora.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}trainedAlgorithmicMedia`,
              softwareAgent: { name: 'OpenAI Sora' },
            },
          ]),
        ],
      },
    },
    'camera.mp4': {
      signer: shared,
      source: 'scene.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Leica M11-P', version: '1.0' }],
        title: 'camera.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}digitalCapture`,
              softwareAgent: { name: 'Leica M11-P' },
            },
          ]),
        ],
      },
    },
    'composite.mp4': {
      signer: shared,
      source: 'portrait-scene.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Adobe Firefly', version: '3' }],
        title: 'composite.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}compositeWithTrainedAlgorithmicMedia`,
              softwareAgent: { name: 'Adobe Firefly' },
            },
          ]),
        ],
      },
      // A camera clip (itself signed) composited with generated content.
      ingredient: { title: 'camera.mp4', relationship: 'componentOf', file: 'camera.mp4' },
    },
    // A fragmented MP4 (init segment, then moof+mdat fragments) as streaming players append it. The
    // Node binding signs it whole, with one hash over the file (no per-fragment Merkle tree: c2pa-rs
    // only makes those when signing separate init and segment files, which neither binding exposes).
    'fragmented-ai.mp4': {
      signer: shared,
      source: 'fragmented.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Runway Gen-4', version: '4' }],
        title: 'fragmented-ai.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}trainedAlgorithmicMedia`,
              softwareAgent: { name: 'Runway Gen-4' },
            },
          ]),
        ],
      },
    },
    // The asset rubric's other local signals, one fixture each (tests/unit/provenance/rubric.test.ts).
    // A screen recording: `screenCaptureMayContainGenAI`.
    'screen-recording.mp4': {
      signer: shared,
      source: 'clip.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Screen Recorder', version: '1' }],
        title: 'screen-recording.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}screenCapture`,
              softwareAgent: { name: 'Screen Recorder' },
            },
          ]),
        ],
      },
    },
    // A composition (`compositionMayContainGenAI`) of a clip that has no credentials (`mediaUnknownProvenance`).
    'composition.mp4': {
      signer: shared,
      source: 'portrait.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Video Editor', version: '1' }],
        title: 'composition.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}composite`,
              softwareAgent: { name: 'Video Editor' },
            },
          ]),
        ],
      },
      ingredient: { title: 'clip.mp4', relationship: 'componentOf', media: 'clip.mp4' },
    },
    // The camera clip opened (its ingredient, by label) and edited with generative AI (`perceptibleGenAI`).
    'ai-edit.mp4': {
      signer: shared,
      source: 'fractal.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Adobe Premiere Pro', version: '25' }],
        title: 'ai-edit.mp4',
        assertions: [
          actions([
            { action: 'c2pa.opened', parameters: { ingredientIds: ['camera-clip'] } },
            {
              action: 'c2pa.edited',
              digitalSourceType: `${IPTC}trainedAlgorithmicMedia`,
              softwareAgent: { name: 'Generative Extend' },
            },
          ]),
        ],
      },
      ingredient: { title: 'camera.mp4', relationship: 'parentOf', label: 'camera-clip', file: 'camera.mp4' },
    },
    // The camera clip again, with a CAWG identity assertion (X.509, the claim signer's own certificate) naming who
    // vouches for it, apart from the claim's signer (tests/unit/provenance/identity.test.ts).
    'identity.mp4': {
      signer: shared,
      source: 'fractal.mp4',
      identity: { references: ['c2pa.actions.v2'] },
      manifest: {
        claim_generator_info: [{ name: 'Leica M11-P', version: '1.0' }],
        title: 'identity.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}digitalCapture`,
              softwareAgent: { name: 'Leica M11-P' },
            },
          ]),
        ],
      },
    },
    'untrusted-veo.mp4': {
      signer: own,
      source: 'clip.mp4',
      manifest: {
        claim_generator_info: [{ name: 'Google Veo', version: '3' }],
        title: 'untrusted-veo.mp4',
        assertions: [
          actions([
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}trainedAlgorithmicMedia`,
              softwareAgent: { name: 'Google Veo' },
            },
          ]),
        ],
      },
    },
  };
}

/** Flips one byte in the middle of the `mdat` payload: the content no longer matches its hash. */
function tamper(source, target) {
  const bytes = readFileSync(source);
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    const size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (type === 'mdat') {
      const at = offset + 8 + Math.floor((size - 8) / 2);
      bytes[at] ^= 0xff;
      writeFileSync(target, bytes);
      return;
    }
    if (size < 8) break;
    offset += size;
  }
  throw new Error(`no mdat box in ${source}`);
}

/** Generates every fixture that is missing; returns the folder and the paths of the trust material. */
export async function makeC2paFixtures() {
  const media = makeMedia({ quiet: true });
  mkdirSync(C2PA_DIR, { recursive: true });
  const own = makeOwnChain(C2PA_DIR);
  const c2pa = await import('@contentauth/c2pa-node');
  const { Builder, LocalSigner } = c2pa;
  for (const [name, c] of Object.entries(cases(own))) {
    const out = join(C2PA_DIR, name);
    if (existsSync(out)) continue;
    if (c.identity) {
      const definition = { ...c.manifest, format: 'video/mp4' };
      await signWithIdentity(c2pa, c, definition, { path: join(media, c.source), mimeType: 'video/mp4' }, out);
      continue;
    }
    const signer = LocalSigner.newSigner(readFileSync(c.signer.chain), readFileSync(c.signer.key), 'es256');
    const builder = Builder.withJson({ ...c.manifest, format: 'video/mp4' });
    if (c.ingredient) {
      const { file, media: plain, ...definition } = c.ingredient;
      const path = plain ? join(media, plain) : join(C2PA_DIR, file);
      await builder.addIngredient(JSON.stringify(definition), { path, mimeType: 'video/mp4' });
    }
    builder.sign(signer, { path: join(media, c.source), mimeType: 'video/mp4' }, { path: out });
  }
  const tampered = join(C2PA_DIR, 'tampered.mp4');
  if (!existsSync(tampered)) tamper(join(C2PA_DIR, 'ai-sora.mp4'), tampered);
  const plain = join(C2PA_DIR, 'unsigned.mp4');
  if (!existsSync(plain)) copyFileSync(join(media, 'clip.mp4'), plain);
  return { dir: C2PA_DIR, ownRoot: own.root, sharedRoots: join(SHARED_CERTS, 'trust/test_cert_root_bundle.pem') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir } = await makeC2paFixtures();
  console.log(`C2PA fixtures ready in ${dir}`);
}
