/**
 * The C2PA Conforming Products List: which generator and validator products passed the C2PA conformance program,
 * and what each may claim. A certification authority of the official trust list issues a claim-signing certificate
 * only to a product on this list, with the certificate's subject (C, O, CN, and OU where the record has one) equal
 * to the record's distinguished name; a record may forbid signals of the asset rubric (`disallowedSignals`), such
 * as `capturedMedia` for a product that is no capture device. This module holds the bundled list's shape and the
 * matcher that finds a manifest's product; it is pure and knows nothing of how a manifest is read.
 */

/** What a product is, in the list's terms. */
export type ConformingProductKind = 'generator' | 'validator';

/** One record of the list, as `npm run trust:update` bundles it (`public/trust/conforming-products.json`). */
export interface ConformingProduct {
  /** The record's id (a UUID); conforming certificates carry it in an extension c2pa-rs does not report. */
  id: string;
  kind: ConformingProductKind;
  /** The product's name: the record's `DN.CN`. */
  name: string;
  /** The applicant's legal name: the record's `DN.O`. */
  vendor: string;
  /** The record's `DN.OU`, when it has one. */
  unit?: string;
  /** `conformant`, or why conformance was revoked (`revoked`, `revoked_eol`, `revoked_vulnerability`). */
  status: string;
  /** The lowest conformant version of the product, when the record names one. */
  minVersion?: string;
  /** The highest assurance level its signatures may claim (1 or 2), for generators. */
  assuranceLevel?: number;
  /** Rubric inception signals the product may not emit (`capturedMedia`, `capturedMediaStitched`…). */
  disallowed: string[];
  /** Kinds of media it may generate claims for (`image`, `video`, `audio`…). */
  media: string[];
}

/** The bundled list: its name, its date (the latest change of any record) and its records. */
export interface ConformingProductList {
  name: string;
  /** The list carries no date of its own: the latest `lastModification` of its records, YYYY-MM-DD. */
  issued: string;
  products: ConformingProduct[];
}

/** The product a manifest was matched to, as a provenance signal carries it. */
export interface ConformingProductRef {
  name: string;
  vendor: string;
  kind: ConformingProductKind;
  /** The list's status for the product (`conformant`, `revoked`…). */
  status: string;
  /** The date of the list it was found on. */
  listDate: string;
  /** The list lets it claim captured media: `capturedMedia` is not among its disallowed signals. */
  mayClaimCapture: boolean;
  /** The claim generator's version is below the lowest conformant one the list names. */
  belowMinVersion?: boolean;
  /** The lowest conformant version, when the list names one. */
  minVersion?: string;
  /** The highest assurance level the list grants it. */
  assuranceLevel?: number;
}

/** What a manifest says of who made and signed it, as the matcher reads it. */
export interface ProductClaimant {
  /** The signing certificate's subject organisation (c2pa-rs's `signature_info.issuer`). */
  signerOrg?: string;
  /** The signing certificate's subject common name (`signature_info.common_name`). */
  signerCommonName?: string;
  /** The claim generator's name (`claim_generator_info[0].name`, else the first product of `claim_generator`). */
  generatorName?: string;
  /** The claim generator's version, where the manifest gives one. */
  generatorVersion?: string;
}

/** Case, spacing and Unicode compatibility forms aside, two names are the same. */
function same(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Compares two versions by their numeric parts (`7.35` < `7.37.1`, `68566598` < `69134609`): negative, zero or
 * positive, or undefined when either has no number in it (`v1.1` reads as 1.1).
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parts = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const x = parts(a);
  const y = parts(b);
  if (x.length === 0 || y.length === 0) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Whether the list's rubric signals leave a product free to claim a capture. */
function capturesAllowed(p: ConformingProduct): boolean {
  return p.kind === 'generator' && !p.disallowed.includes('capturedMedia');
}

/**
 * Finds the product of the list that made a manifest: a record whose organisation is the signing certificate's
 * and whose product name is the certificate's common name or the claim generator's name. The organisation must
 * match: it is what a conforming certificate authority checked, while anyone can name their generator "Pixel
 * Camera". A version below the record's `minVersion` is said (`belowMinVersion`). Where several records fit (one
 * product in several organisational units, which the reader does not report), a conformant one whose version
 * fits is preferred, and captures are allowed only if every fitting record allows them. Null when none fits.
 */
export function matchConformingProduct(
  list: ConformingProductList | undefined,
  who: ProductClaimant,
): ConformingProductRef | null {
  if (!list || !who.signerOrg) return null;
  const fits = list.products.filter(
    (p) => same(p.vendor, who.signerOrg) && (same(p.name, who.signerCommonName) || same(p.name, who.generatorName)),
  );
  if (fits.length === 0) return null;
  const below = (p: ConformingProduct) =>
    !!p.minVersion && !!who.generatorVersion && (compareVersions(who.generatorVersion, p.minVersion) ?? 0) < 0;
  const rank = (p: ConformingProduct) =>
    (p.status === 'conformant' ? 0 : 2) + (below(p) ? 1 : 0) + (p.kind === 'generator' ? 0 : 4);
  const best = Math.min(...fits.map(rank));
  const chosen = fits.filter((p) => rank(p) === best);
  const first = chosen[0]!;
  return {
    name: first.name,
    vendor: first.vendor,
    kind: first.kind,
    status: first.status,
    listDate: list.issued,
    mayClaimCapture: chosen.every(capturesAllowed),
    ...(below(first) ? { belowMinVersion: true } : {}),
    ...(first.minVersion ? { minVersion: first.minVersion } : {}),
    ...(first.assuranceLevel !== undefined ? { assuranceLevel: first.assuranceLevel } : {}),
  };
}

/**
 * Whether a matched product may make a capture claim verified: a conformant generator, at or above its lowest
 * conformant version, that the list lets claim captured media.
 */
export function productVouchesForCapture(product: ConformingProductRef | null | undefined): boolean {
  return (
    !!product &&
    product.kind === 'generator' &&
    product.status === 'conformant' &&
    product.mayClaimCapture &&
    !product.belowMinVersion
  );
}

const MAX_PRODUCTS = 10_000;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 300) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str).filter((s): s is string => !!s) : [];
}

/**
 * Reads the bundled list (`conforming-products.json`), dropping any record it cannot read; throws when the file
 * is not such a list at all.
 */
export function parseConformingProducts(json: unknown): ConformingProductList {
  const o = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const name = str(o.name);
  const issued = str(o.issued);
  if (o.version !== 1 || !name || !issued || !Array.isArray(o.products)) {
    throw new Error('not a bundled conforming products list (version 1)');
  }
  const products: ConformingProduct[] = [];
  for (const r of o.products.slice(0, MAX_PRODUCTS)) {
    if (typeof r !== 'object' || r === null) continue;
    const p = r as Record<string, unknown>;
    const id = str(p.id);
    const pname = str(p.name);
    const vendor = str(p.vendor);
    const status = str(p.status);
    const kind = p.kind === 'generator' || p.kind === 'validator' ? p.kind : undefined;
    if (!id || !pname || !vendor || !status || !kind) continue;
    const unit = str(p.unit);
    const minVersion = str(p.minVersion);
    products.push({
      id,
      kind,
      name: pname,
      vendor,
      ...(unit ? { unit } : {}),
      status,
      ...(minVersion ? { minVersion } : {}),
      ...(typeof p.assuranceLevel === 'number' ? { assuranceLevel: p.assuranceLevel } : {}),
      disallowed: strings(p.disallowed),
      media: strings(p.media),
    });
  }
  return { name, issued, products };
}
