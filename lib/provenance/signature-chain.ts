/**
 * The certificates behind a C2PA signature, read from the manifest's own bytes: c2pa-rs reports only the
 * signer's issuer, common name and serial number (`signature_info`), not the chain, its validity or the
 * time-stamp's authority. This reads the active manifest's COSE_Sign1 signature out of an ISO BMFF file's C2PA
 * `uuid` box (JUMBF), takes its `x5chain` and its RFC 3161 time-stamp (`sigTst2`/`sigTst`), and parses each
 * certificate just far enough to name it. Nothing here validates anything: c2pa-rs has done that; this only
 * describes what it validated. Every read is bounded: a hostile file gets `undefined`, never a throw or a hang.
 */
import type { CertificateFacts, SignatureFacts } from '../core/signals';
import { C2PA_BOX_UUID } from './bmff-layout';

/** Most certificates described per chain (real ones have two to four), and longest text kept from a name. */
const MAX_CHAIN = 5;
const MAX_NAME = 256;
/** Most top-level boxes and JUMBF boxes walked, and deepest CBOR nesting read. */
const MAX_BOXES = 5000;
const MAX_CBOR_DEPTH = 16;
const MAX_CBOR_ITEMS = 10_000;

class Malformed extends Error {}

function fail(what: string): never {
  throw new Malformed(what);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function u32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) fail('short box header');
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

/** The boxes of a run of ISO BMFF / JUMBF boxes (size 0: to the end; size 1: 64-bit size). */
function* boxes(bytes: Uint8Array, start = 0, end = bytes.length): Generator<{ type: string; body: Uint8Array }> {
  let at = start;
  let count = 0;
  while (at + 8 <= end) {
    if (++count > MAX_BOXES) fail('too many boxes');
    let size = u32(bytes, at);
    const type = fourcc(bytes, at + 4);
    let header = 8;
    if (size === 1) {
      const high = u32(bytes, at + 8);
      size = high * 2 ** 32 + u32(bytes, at + 12);
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) fail('box past its parent');
    yield { type, body: bytes.subarray(at + header, at + size) };
    at += size;
  }
}

/** The label of a JUMBF superbox (from its `jumd` description box), or null. */
function jumbfLabel(superbox: Uint8Array): string | null {
  const first = boxes(superbox).next();
  if (first.done || first.value.type !== 'jumd') return null;
  const d = first.value.body;
  if (d.length < 17 || (d[16]! & 0x02) === 0) return null;
  const end = d.indexOf(0, 17);
  return new TextDecoder().decode(d.subarray(17, end < 0 ? d.length : end));
}

/** The child superboxes of a JUMBF superbox, with their labels. */
function jumbfChildren(superbox: Uint8Array): Array<{ label: string | null; type: string; body: Uint8Array }> {
  const out = [];
  for (const box of boxes(superbox)) {
    if (box.type === 'jumb') out.push({ label: jumbfLabel(box.body), type: box.type, body: box.body });
    else if (box.type !== 'jumd') out.push({ label: null, type: box.type, body: box.body });
  }
  return out;
}

/** The manifest store (the `c2pa` JUMBF superbox's content) of an ISO BMFF file, or null. */
function bmffManifestStore(file: Uint8Array): Uint8Array | null {
  for (const box of boxes(file)) {
    if (box.type !== 'uuid' || box.body.length < 20 || hex(box.body.subarray(0, 16)) !== C2PA_BOX_UUID) continue;
    // After the UUID: a full box's version and flags, a NUL-terminated purpose, then (for "manifest") a 64-bit
    // offset of the Merkle data, then the JUMBF store.
    const rest = box.body.subarray(20);
    const nul = rest.indexOf(0);
    if (nul < 0) fail('C2PA box without purpose');
    const purpose = new TextDecoder().decode(rest.subarray(0, nul));
    if (purpose !== 'manifest') continue;
    const store = rest.subarray(nul + 1 + 8);
    const top = boxes(store).next();
    if (top.done || top.value.type !== 'jumb') fail('C2PA box without a JUMBF store');
    return top.value.body;
  }
  return null;
}

/** The active manifest's COSE_Sign1 bytes: the manifest labelled `activeLabel`, else the store's last one. */
export function activeSignatureBytes(store: Uint8Array, activeLabel?: string): Uint8Array | null {
  if (jumbfLabel(store) !== 'c2pa') return null;
  const manifests = jumbfChildren(store).filter((c) => c.type === 'jumb');
  // Labels may carry the JUMBF URI form (`self#jumbf=/c2pa/<label>`) or the bare label.
  const bare = activeLabel?.split('/').pop();
  const manifest = (bare && manifests.find((m) => m.label === bare)) || manifests.at(-1);
  if (!manifest) return null;
  const signature = jumbfChildren(manifest.body).find((c) => c.type === 'jumb' && c.label === 'c2pa.signature');
  if (!signature) return null;
  const content = jumbfChildren(signature.body).find((c) => c.type === 'cbor');
  return content?.body ?? null;
}

// --- CBOR (RFC 8949), only what COSE_Sign1 headers use ---------------------------------------------------------

type Cbor = number | bigint | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { tag: number; value: Cbor } | null;

class CborReader {
  private at = 0;
  private items = 0;
  constructor(private readonly bytes: Uint8Array) {}

  read(depth = 0): Cbor {
    if (depth > MAX_CBOR_DEPTH || ++this.items > MAX_CBOR_ITEMS) fail('CBOR too deep or too long');
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) {
      if (info === 20 || info === 21) return info === 21 ? 1 : 0;
      if (info === 22 || info === 23) return null;
      if (info === 25) return this.skip(2);
      if (info === 26) return this.skip(4);
      if (info === 27) return this.skip(8);
      fail('CBOR simple value');
    }
    if (info === 31) fail('indefinite CBOR length');
    const n = this.argument(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - Number(n);
      case 2:
        return this.take(n);
      case 3:
        return new TextDecoder().decode(this.take(n));
      case 4: {
        const out: Cbor[] = [];
        for (let i = 0; i < n; i++) out.push(this.read(depth + 1));
        return out;
      }
      case 5: {
        const out = new Map<Cbor, Cbor>();
        for (let i = 0; i < n; i++) out.set(this.read(depth + 1), this.read(depth + 1));
        return out;
      }
      default:
        return { tag: n, value: this.read(depth + 1) };
    }
  }

  private byte(): number {
    if (this.at >= this.bytes.length) fail('CBOR past the end');
    return this.bytes[this.at++]!;
  }

  private skip(n: number): null {
    this.take(n);
    return null;
  }

  private take(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) fail('CBOR item past the end');
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  private argument(info: number): number {
    if (info < 24) return info;
    const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : fail('CBOR argument');
    let n = 0;
    for (const b of this.take(width)) n = n * 256 + b;
    if (!Number.isSafeInteger(n)) fail('CBOR length too large');
    return n;
  }
}

function decodeCbor(bytes: Uint8Array): Cbor {
  return new CborReader(bytes).read();
}

function mapGet(map: Cbor, key: string | number): Cbor | undefined {
  return map instanceof Map ? map.get(key) : undefined;
}

function bytesList(value: Cbor | undefined): Uint8Array[] {
  if (value instanceof Uint8Array) return [value];
  if (Array.isArray(value)) return value.filter((v): v is Uint8Array => v instanceof Uint8Array);
  return [];
}

// --- DER (X.690), only what certificates and time-stamp tokens use ----------------------------------------------

interface Der {
  tag: number;
  /** The whole element, header included (a certificate's thumbprint is over this). */
  raw: Uint8Array;
  content: Uint8Array;
}

function derAt(bytes: Uint8Array, at: number): Der {
  if (at + 2 > bytes.length) fail('DER past the end');
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) fail('DER high tag');
  let length = bytes[at + 1]!;
  let header = 2;
  if (length & 0x80) {
    const width = length & 0x7f;
    if (width === 0 || width > 4) fail('DER length');
    length = 0;
    for (let i = 0; i < width; i++) length = length * 256 + (bytes[at + 2 + i] ?? fail('DER length past the end'));
    header += width;
  }
  const end = at + header + length;
  if (end > bytes.length) fail('DER element past the end');
  return { tag, raw: bytes.subarray(at, end), content: bytes.subarray(at + header, end) };
}

function derChildren(parent: Der): Der[] {
  const out: Der[] = [];
  let at = 0;
  while (at < parent.content.length) {
    const child = derAt(parent.content, at);
    out.push(child);
    at += child.raw.length;
    if (out.length > MAX_BOXES) fail('too many DER elements');
  }
  return out;
}

function der(bytes: Uint8Array): Der {
  return derAt(bytes, 0);
}

function oid(content: Uint8Array): string {
  if (content.length === 0) return '';
  const parts = [Math.floor(content[0]! / 40), content[0]! % 40];
  let value = 0;
  for (const b of content.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** UTCTime or GeneralizedTime as ISO 8601. */
function derTime(element: Der): string {
  const text = new TextDecoder().decode(element.content);
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.(\d+))?Z$/.exec(text);
  if (!m) return text.slice(0, 40);
  let year = m[1]!;
  // UTCTime: years 50–99 are 19xx (RFC 5280).
  if (year.length === 2) year = `${Number(year) >= 50 ? '19' : '20'}${year}`;
  const frac = m[7] ? `.${m[7].slice(0, 3).padEnd(3, '0')}` : '';
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${frac}Z`;
}

const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function stringValue(element: Der): string {
  // BMPString is UTF-16BE; every other string type a name uses is (a subset of) UTF-8.
  if (element.tag === 0x1e) {
    let out = '';
    for (let i = 0; i + 1 < element.content.length; i += 2)
      out += String.fromCharCode((element.content[i]! << 8) | element.content[i + 1]!);
    return out;
  }
  return new TextDecoder().decode(element.content);
}

/** A Name as `C=US, O=…, CN=…` (the certificate's order), and its CN and O. */
function nameFacts(name: Der): { text: string; cn?: string; o?: string } {
  const parts: string[] = [];
  let cn: string | undefined;
  let o: string | undefined;
  for (const rdn of derChildren(name)) {
    for (const attribute of derChildren(rdn)) {
      const [type, value] = derChildren(attribute);
      if (!type || !value) continue;
      const id = oid(type.content);
      const text = stringValue(value);
      const short = NAME_ATTRIBUTES[id] ?? id;
      parts.push(`${short}=${text}`);
      if (short === 'CN') cn ??= text;
      if (short === 'O') o ??= text;
    }
  }
  return { text: parts.join(', ').slice(0, MAX_NAME), cn: cn?.slice(0, MAX_NAME), o: o?.slice(0, MAX_NAME) };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice())));
}

/** Describes one DER certificate: names, validity, serial number, and the SHA-256 thumbprint of its bytes. */
export async function certificateFacts(bytes: Uint8Array): Promise<CertificateFacts> {
  const cert = der(bytes);
  const tbs = derChildren(cert)[0] ?? fail('certificate without tbsCertificate');
  const fields = derChildren(tbs);
  // An explicit version ([0]) comes first in v2/v3 certificates.
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject] = fields.slice(at);
  if (!serial || !issuer || !validity || !subject) fail('certificate fields missing');
  const [notBefore, notAfter] = derChildren(validity);
  if (!notBefore || !notAfter) fail('certificate validity missing');
  const s = nameFacts(subject);
  let serialBytes = serial.content;
  while (serialBytes.length > 1 && serialBytes[0] === 0) serialBytes = serialBytes.subarray(1);
  return {
    subject: s.text,
    issuer: nameFacts(issuer).text,
    ...(s.cn ? { commonName: s.cn } : {}),
    ...(s.o ? { organization: s.o } : {}),
    notBefore: derTime(notBefore),
    notAfter: derTime(notAfter),
    serialNumber: hex(serialBytes).slice(0, 80),
    sha256: await sha256Hex(cert.raw),
  };
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

/**
 * An RFC 3161 time-stamp (a TimeStampResp or a bare TimeStampToken): the time its TSTInfo gives, and the
 * authority's certificates carried in it, the one that signed it first.
 */
async function timeStampFacts(bytes: Uint8Array): Promise<SignatureFacts['timeStamp']> {
  let top = der(bytes);
  let parts = derChildren(top);
  // A TimeStampResp is SEQUENCE { PKIStatusInfo SEQUENCE, TimeStampToken }; a token starts with its OID.
  if (parts[0]?.tag === 0x30 && parts[1]) {
    top = parts[1];
    parts = derChildren(top);
  }
  if (parts[0]?.tag !== 0x06 || oid(parts[0].content) !== OID_SIGNED_DATA || parts[1]?.tag !== 0xa0) return undefined;
  const signedData = derChildren(parts[1])[0] ?? fail('time-stamp without SignedData');
  const sd = derChildren(signedData);
  const encap = sd[2] ?? fail('time-stamp without content');
  const eContent = derChildren(encap)[1];
  const octets = eContent ? derChildren(eContent)[0] : undefined;
  if (!octets) return undefined;
  const tstInfo = derChildren(der(octets.content));
  const genTime = tstInfo[4];
  if (!genTime || (genTime.tag !== 0x18 && genTime.tag !== 0x17)) return undefined;
  const certSet = sd.find((e) => e.tag === 0xa0);
  const certs = certSet ? derChildren(certSet).filter((c) => c.tag === 0x30) : [];
  // The signer: the certificate whose serial number the SignerInfo names (IssuerAndSerialNumber), first.
  const signerInfos = sd.at(-1);
  const firstSigner = signerInfos?.tag === 0x31 ? derChildren(signerInfos)[0] : undefined;
  const sid = firstSigner ? derChildren(firstSigner)[1] : undefined;
  const sidSerial = sid?.tag === 0x30 ? derChildren(sid)[1] : undefined;
  const chain = await Promise.all(certs.slice(0, MAX_CHAIN).map((c) => certificateFacts(c.raw)));
  const serial = sidSerial ? hex(sidSerial.content).replace(/^(00)+(?=.)/, '') : null;
  const signerIndex = serial ? chain.findIndex((c) => c.serialNumber === serial) : -1;
  if (signerIndex > 0) chain.unshift(...chain.splice(signerIndex, 1));
  return { time: derTime(genTime), chain };
}

/** The certificates and time-stamp of a COSE_Sign1 signature (C2PA claim signature). */
export async function coseSignatureFacts(cose: Uint8Array): Promise<SignatureFacts | undefined> {
  let sign1 = decodeCbor(cose);
  if (sign1 && typeof sign1 === 'object' && 'tag' in sign1) sign1 = sign1.value;
  if (!Array.isArray(sign1) || sign1.length !== 4) return undefined;
  const [protectedBytes, unprotected] = sign1;
  const protectedMap =
    protectedBytes instanceof Uint8Array && protectedBytes.length ? decodeCbor(protectedBytes) : null;
  // x5chain: label 33, protected in current claims; older claims put it unprotected, some under its name.
  const header = (key: string | number) => mapGet(protectedMap, key) ?? mapGet(unprotected!, key);
  const certs = bytesList(header(33) ?? header('x5chain')).slice(0, MAX_CHAIN);
  if (certs.length === 0) return undefined;
  const chain = await Promise.all(certs.map((c) => certificateFacts(c)));
  let timeStamp: SignatureFacts['timeStamp'];
  for (const key of ['sigTst2', 'sigTst']) {
    const tokens = mapGet(header(key) ?? null, 'tstTokens');
    const first = Array.isArray(tokens) ? tokens[0] : undefined;
    const val = mapGet(first ?? null, 'val');
    if (val instanceof Uint8Array) {
      timeStamp = await timeStampFacts(val).catch(() => undefined);
      if (timeStamp) break;
    }
  }
  return { chain, ...(timeStamp ? { timeStamp } : {}) };
}

/**
 * The signature facts of an ISO BMFF file's (or init segment's) active manifest; undefined when the file has no
 * C2PA box, is not ISO BMFF, or any part is malformed (c2pa-rs's own reading says what is wrong with it).
 */
export async function bmffSignatureFacts(file: Uint8Array, activeLabel?: string): Promise<SignatureFacts | undefined> {
  try {
    const store = bmffManifestStore(file);
    const cose = store && activeSignatureBytes(store, activeLabel);
    return cose ? await coseSignatureFacts(cose) : undefined;
  } catch (error) {
    if (error instanceof Malformed || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The active manifest's label of a c2pa-rs manifest store (its `active_manifest`). */
export function activeManifestLabel(store: unknown): string | undefined {
  const label = (store as { active_manifest?: unknown } | null)?.active_manifest;
  return typeof label === 'string' ? label : undefined;
}
