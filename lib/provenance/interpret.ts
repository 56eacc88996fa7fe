import { type ConformingProductList, matchConformingProduct, type ProductClaimant } from '../core/conforming-products';
import { ASSET_RUBRIC_LABEL, readRubric, type RubricSignal, rubricSignals } from '../core/rubric';
import type { IdentityAssertionSignal, ProvenanceSignal, TrustListRef } from '../core/signals';

/**
 * IPTC digital source types that declared generative AI (full or partial) before the asset rubric: kept as a
 * fallback for what the rubric does not count (`algorithmicMedia`, `compositeSynthetic` on a creating action,
 * a generative type on a non-editorial action), so a maker's declaration is never dropped.
 */
const AI_SOURCE_TYPES = new Set([
  'trainedAlgorithmicMedia',
  'compositeWithTrainedAlgorithmicMedia',
  'algorithmicMedia',
  'compositeSynthetic',
]);
/** Of those, the ones that say only part of the content is AI-made. */
const COMPOSITE_SOURCE_TYPES = new Set(['compositeWithTrainedAlgorithmicMedia', 'compositeSynthetic']);
/** The rubric's signals that say a manifest's own content is, or has parts, made by generative AI. */
const RUBRIC_AI = new Set<RubricSignal>(['fullyGenAIMedia', 'partlyGenAICreation', 'perceptibleGenAI']);
/** IPTC digital source types of a camera or sensor capture. */
const CAPTURE_SOURCE_TYPES = new Set(['digitalCapture', 'computationalCapture', 'compositeCapture']);

/**
 * Codes about a CAWG identity assertion (`cawg.x509.credential.untrusted`, `cawg.ica.signature_mismatch`…): they
 * speak for that assertion alone, which is shown apart, and never fail the manifest (c2pa-rs says the same of its
 * own X.509 identity codes; older versions of it counted them as failures of the manifest).
 */
const IDENTITY_CODE = /^cawg\./;

/** Validation codes that mean only "the signer (or the time-stamp's authority) is not on a trust list we hold". */
const TRUST_ONLY_CODES = new Set(['signingCredential.untrusted', 'timeStamp.untrusted']);

/**
 * The signing certificate has expired. c2pa-rs checks it at the time a trusted time-stamp proves, else at the
 * time of reading: without one, short-lived signing certificates (a few days to a year) read expired soon after
 * signing. That says nothing about the content: the claims stand, said with the caveat.
 */
const EXPIRED_CODES = new Set(['signingCredential.expired']);

/** An OCSP response carried in the manifest says the signing certificate was revoked (nothing is fetched). */
const REVOKED_CODES = new Set(['signingCredential.ocsp.revoked']);

/**
 * Content-hash failures that are expected when the reader was given a copy
 * of the file with its media emptied (see bmff-layout.ts): they say nothing
 * about the file itself.
 */
const HASH_CODES = new Set(['assertion.bmffHash.mismatch']);

/** Most ingredients listed, and how deep the chain is followed, so a hostile manifest cannot blow up the report. */
const MAX_INGREDIENTS = 8;
const MAX_DEPTH = 3;
const MAX_TEXT = 200;
/** Most actions and ingredients of one manifest the rubric reads (a hostile manifest can list any number). */
const MAX_RUBRIC_ITEMS = 100;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, MAX_TEXT) : undefined;
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The last path segment of an IPTC URI (`http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia`). */
export function sourceTypeName(uri: string): string {
  const tail = uri.split(/[/#]/).pop() ?? uri;
  return tail.trim();
}

function agentName(agent: unknown): string | undefined {
  if (isObject(agent)) return text(agent.name);
  return text(agent);
}

interface ManifestFacts {
  sourceTypes: string[];
  createdAgent?: string;
  claimGenerator?: string;
  /** Who made and signed the claim, as the conforming products list is matched against. */
  claimant: ProductClaimant;
  signer?: string;
  signingTime?: string;
  ingredients: Array<{ title: string; relationship: string; label?: string }>;
  actions: Array<{ action: string; agent?: string }>;
  /** The asset rubric's local signals of this manifest. */
  rubric: RubricSignal[];
  /** Every ingredient's link to its own manifest (capped), for following the graph. */
  links: Array<{ relationship: string; label?: string }>;
}

function manifestFacts(manifest: Json): ManifestFacts {
  const sourceTypes: string[] = [];
  let createdAgent: string | undefined;
  const actions: ManifestFacts['actions'] = [];
  const rubricActions: Array<{ action: string; digitalSourceType?: string }> = [];
  for (const assertion of array(manifest.assertions)) {
    if (!isObject(assertion)) continue;
    const label = text(assertion.label) ?? '';
    if (!/^c2pa\.actions(\.v\d+)?$/.test(label) || !isObject(assertion.data)) continue;
    for (const action of array(assertion.data.actions)) {
      if (!isObject(action)) continue;
      const type = text(action.digitalSourceType);
      if (type) sourceTypes.push(sourceTypeName(type));
      const name = text(action.action);
      const agent = agentName(action.softwareAgent);
      if (name && actions.length < MAX_INGREDIENTS) actions.push({ action: name, ...(agent ? { agent } : {}) });
      if (name && rubricActions.length < MAX_RUBRIC_ITEMS)
        rubricActions.push({ action: name, ...(type ? { digitalSourceType: sourceTypeName(type) } : {}) });
      if ((name === 'c2pa.created' || name === 'c2pa.opened') && !createdAgent)
        createdAgent = agentName(action.softwareAgent);
    }
  }
  const info = array(manifest.claim_generator_info).find(isObject);
  const claimGenerator = (info && text(info.name)) ?? text(manifest.claim_generator);
  const sig = isObject(manifest.signature_info) ? manifest.signature_info : {};
  // A version 1 claim names its generator as a user-agent string ("Pixel_Camera/1.0 c2pa-rs/0.32"): its first product.
  const agent = info ? undefined : /^([^/\s]+)\/(\S+)/.exec(text(manifest.claim_generator) ?? '');
  const claimant: ProductClaimant = {
    signerOrg: text(sig.issuer),
    signerCommonName: text(sig.common_name),
    generatorName: info ? text(info.name) : agent?.[1]?.replace(/_/g, ' '),
    generatorVersion: info ? text(info.version) : agent?.[2],
  };
  const links = array(manifest.ingredients)
    .filter(isObject)
    .slice(0, MAX_RUBRIC_ITEMS)
    .map((i) => ({ relationship: text(i.relationship) ?? 'componentOf', label: text(i.active_manifest) }));
  const ingredients = array(manifest.ingredients)
    .filter(isObject)
    .slice(0, MAX_INGREDIENTS)
    .map((i) => ({
      title: text(i.title) ?? 'untitled',
      relationship: text(i.relationship) ?? 'componentOf',
      label: text(i.active_manifest),
    }));
  return {
    sourceTypes,
    createdAgent,
    claimGenerator,
    claimant,
    signer: text(sig.issuer) ?? text(sig.common_name),
    signingTime: text(sig.time),
    ingredients,
    actions,
    rubric: rubricSignals({ actions: rubricActions, ingredients: links.map((l) => ({ hasManifest: !!l.label })) }),
    links,
  };
}

/** The rubric's signals of the manifests an active manifest was opened from (`parents`) and made with (`parts`). */
interface RubricGraph {
  parents: RubricSignal[][];
  parts: RubricSignal[][];
}

/**
 * Follows the ingredients below a manifest: a `parentOf` ingredient is what the content was opened from, so its
 * signals (and its own parents') speak for the whole; any other ingredient, and all below it, is a part.
 */
function rubricGraph(
  manifests: Json,
  facts: ManifestFacts,
  depth: number,
  seen: Set<string>,
  graph: RubricGraph,
  asPart: boolean,
): RubricGraph {
  for (const link of facts.links) {
    if (!link.label || depth >= MAX_DEPTH || seen.has(link.label)) continue;
    seen.add(link.label);
    const manifest = manifests[link.label];
    if (!isObject(manifest)) continue;
    const f = manifestFacts(manifest);
    const part = asPart || link.relationship !== 'parentOf';
    (part ? graph.parts : graph.parents).push(f.rubric);
    rubricGraph(manifests, f, depth + 1, seen, graph, part);
  }
  return graph;
}

function collectAiTypes(manifests: Json, label: string | undefined, depth: number, seen: Set<string>): string[] {
  if (!label || depth > MAX_DEPTH || seen.has(label)) return [];
  seen.add(label);
  const manifest = manifests[label];
  if (!isObject(manifest)) return [];
  const facts = manifestFacts(manifest);
  const own = facts.sourceTypes.filter((t) => AI_SOURCE_TYPES.has(t));
  const inherited = facts.ingredients.flatMap((i) => collectAiTypes(manifests, i.label, depth + 1, seen));
  return [...own, ...inherited];
}

function codesOf(list: unknown[]): string[] {
  const codes = list.map((f) => (isObject(f) ? text(f.code) : undefined)).filter((c): c is string => !!c);
  return [...new Set(codes)];
}

/** The active manifest's status entries (code and URL) by kind, from `validation_results` or `validation_status`. */
function statusEntries(store: Json): { failure: unknown[]; success: unknown[]; informational: unknown[] } {
  const results = isObject(store.validation_results) ? store.validation_results : undefined;
  const active = results && isObject(results.activeManifest) ? results.activeManifest : undefined;
  if (!active) return { failure: array(store.validation_status), success: [], informational: [] };
  return { failure: array(active.failure), success: array(active.success), informational: array(active.informational) };
}

/** A status entry logged at a CAWG identity assertion: it speaks for that assertion only. */
function atIdentity(entry: unknown): boolean {
  return isObject(entry) && typeof entry.url === 'string' && /\/cawg\.identity(__\d+)?$/.test(entry.url);
}

/**
 * Failure and success codes of the active manifest, from `validation_results` or the older `validation_status`,
 * without those logged at an identity assertion (an older c2pa-rs logs `signingCredential.untrusted` there for an
 * identity's certificate, which says nothing of the claim's signer).
 */
function validationCodes(store: Json): { failures: string[]; successes: string[] } {
  const entries = statusEntries(store);
  const own = (list: unknown[]) => codesOf(list.filter((e) => !atIdentity(e)));
  return { failures: own(entries.failure), successes: own(entries.success) };
}

/**
 * Whether every failure c2pa-rs counted against the active manifest was logged at one of its identity assertions,
 * with no ingredient's result changed: then an identity is all that kept the manifest from `Trusted`.
 */
function heldBackForIdentityOnly(store: Json): boolean {
  const { failure } = statusEntries(store);
  const results = isObject(store.validation_results) ? store.validation_results : undefined;
  return failure.length > 0 && failure.every(atIdentity) && array(results?.ingredientDeltas).length === 0;
}

/** Most identity assertions read from one manifest, and identities listed from one of them. */
const MAX_IDENTITIES = 8;

/**
 * Codes that say only that no trusted issuer vouches for an identity, not that it is broken (an older c2pa-rs logs
 * the claim signer's `signingCredential.untrusted` for an identity's certificate).
 */
const IDENTITY_UNTRUSTED_CODES = new Set([
  'cawg.x509.credential.untrusted',
  'cawg.ica.untrusted_issuer',
  'signingCredential.untrusted',
]);
/** Codes that say an identity's credential was checked against a trusted issuer. */
const IDENTITY_TRUSTED_CODES = new Set(['cawg.x509.credential.trusted', 'cawg.ica.credential_valid']);

/** The codes whose URL points at one assertion of the manifest (`…/c2pa.assertions/cawg.identity`). */
function codesAt(entries: unknown[], label: string): string[] {
  return codesOf(
    entries.filter((e) => {
      const url = isObject(e) && typeof e.url === 'string' ? e.url : '';
      return url.endsWith(`/${label}`);
    }),
  );
}

/**
 * The identities an ICA credential names (`verifiedIdentities`): a display name, else a user name, else the
 * address, with the kind (`cawg.social_media`…) and the provider that verified it.
 */
function icaIdentities(data: Json): IdentityAssertionSignal['identities'] {
  return array(data.verifiedIdentities)
    .filter(isObject)
    .slice(0, MAX_IDENTITIES)
    .flatMap((v) => {
      const name = text(v.name) ?? text(v.username) ?? text(v.uri);
      if (!name) return [];
      const provider = isObject(v.provider) ? (text(v.provider.name) ?? text(v.provider.id)) : undefined;
      const [type, uri, verifiedAt] = [text(v.type), text(v.uri), text(v.verifiedAt)];
      return [
        {
          name,
          ...(type ? { type } : {}),
          ...(uri && uri !== name ? { uri } : {}),
          ...(provider ? { provider } : {}),
          ...(verifiedAt ? { verifiedAt } : {}),
        },
      ];
    });
}

/**
 * One CAWG identity assertion as c2pa-rs reports it. When it could check the signature, c2pa-rs replaces the
 * assertion's data with a summary: for an X.509 signature the signer payload and the certificate's
 * `signature_info` (organisation, common name); for an identity claims aggregation the credential itself (its
 * issuer and `verifiedIdentities`). Otherwise the data stays the raw assertion (`signer_payload`, `signature`,
 * padding), which names no one that could be shown as verified. The status comes from the codes c2pa-rs logged
 * at the assertion's URL.
 */
function identityOf(label: string, data: unknown, entries: ReturnType<typeof statusEntries>): IdentityAssertionSignal {
  const failures = codesAt(entries.failure, label);
  const all = [...failures, ...codesAt(entries.success, label), ...codesAt(entries.informational, label)];
  const codes = all.length > 0 ? { codes: [...new Set(all)].slice(0, MAX_IDENTITIES) } : {};
  if (!isObject(data)) return { label, method: 'other', status: 'malformed', identities: [], ...codes };
  const payload = isObject(data.signer_payload) ? data.signer_payload : undefined;
  const sigType = payload ? text(payload.sig_type) : undefined;
  const ica =
    isObject(data) && (array(data.verifiedIdentities).length > 0 || sigType === 'cawg.identity_claims_aggregation');
  const method: IdentityAssertionSignal['method'] =
    sigType === 'cawg.x509.cose' || isObject(data.signature_info) ? 'x509' : ica ? 'ica' : 'other';
  const broken = failures.some((c) => !IDENTITY_UNTRUSTED_CODES.has(c));
  const trusted = all.some((c) => IDENTITY_TRUSTED_CODES.has(c)) && !all.some((c) => IDENTITY_UNTRUSTED_CODES.has(c));
  let identities: IdentityAssertionSignal['identities'] = [];
  let issuer: string | undefined;
  if (isObject(data.signature_info)) {
    const name = text(data.signature_info.common_name) ?? text(data.signature_info.issuer);
    issuer = text(data.signature_info.issuer);
    identities = name ? [{ name }] : [];
  } else if (array(data.verifiedIdentities).length > 0) {
    identities = icaIdentities(data);
    issuer = text(data.issuer);
  }
  // A summary in place of the raw assertion means its signature was checked; without one it was not.
  const decoded = identities.length > 0;
  if (!decoded && !payload) return { label, method, status: 'malformed', identities: [], ...codes };
  const status: IdentityAssertionSignal['status'] = broken
    ? 'invalid'
    : !decoded
      ? 'unverified'
      : trusted
        ? 'trusted'
        : 'untrusted';
  return { label, method, status, identities, ...(issuer ? { issuer } : {}), ...codes };
}

/** The CAWG identity assertions of a manifest (`cawg.identity`, `cawg.identity__2`…), each read on its own. */
function identityAssertions(manifest: Json, store: Json): IdentityAssertionSignal[] {
  const entries = statusEntries(store);
  return array(manifest.assertions)
    .filter(isObject)
    .filter((a) => /^cawg\.identity(__\d+)?$/.test(text(a.label) ?? ''))
    .slice(0, MAX_IDENTITIES)
    .map((a) => identityOf(text(a.label)!, a.data, entries));
}

/** Whether c2pa-rs found the signer's chain ending at a trust anchor (or an allowed certificate) it was given. */
export function signerTrusted(store: unknown): boolean {
  if (!isObject(store)) return false;
  const { failures, successes } = validationCodes(store);
  return successes.includes('signingCredential.trusted') && !failures.includes('signingCredential.untrusted');
}

/** How the manifest store was read. */
export interface InterpretOptions {
  /** The list that vouches for the signer, when the reader named one (see trust.ts). */
  trustedBy?: TrustListRef;
  /** The C2PA Conforming Products List the claim's product is looked up in (none: not looked up). */
  products?: ConformingProductList;
  /**
   * The reader saw the manifest with the file's media left out (a file too
   * large to download, or whose hash is checked later): content-hash
   * mismatches are expected and ignored, and the signer's trust comes from
   * the signature's own success codes rather than the overall state.
   */
  hashSkipped?: boolean;
}

/**
 * Turns a C2PA manifest store, as the reference implementation (c2pa-rs)
 * reports it, into a `provenance` signal. Only what the reader parsed inside
 * the container and validated is used: the state comes from c2pa-rs's own
 * validation, and nothing is read from loose strings. The input is treated as
 * hostile: every field is checked, lists and texts are capped.
 */
export function interpretManifestStore(
  store: unknown,
  source: ProvenanceSignal['source'] = 'file',
  options: InterpretOptions = {},
): ProvenanceSignal {
  if (!isObject(store) || !isObject(store.manifests)) return absentProvenance(source);
  const manifests = store.manifests;
  const activeLabel = text(store.active_manifest);
  const active = activeLabel ? manifests[activeLabel] : undefined;
  if (!isObject(active)) return provenanceError('The Content Credentials have no active manifest.', source);
  const facts = manifestFacts(active);
  const { failures, successes } = validationCodes(store);
  const manifestFailures = failures.filter((c) => !IDENTITY_CODE.test(c));
  const codes = options.hashSkipped ? manifestFailures.filter((c) => !HASH_CODES.has(c)) : manifestFailures;
  const realFailures = codes.filter((c) => !TRUST_ONLY_CODES.has(c) && !EXPIRED_CODES.has(c));
  // c2pa-rs reports `Trusted` when the signer chains to a trust anchor we hold, `Valid` when the
  // signature checks out without one, and failure codes for anything altered or broken. An expired
  // certificate (or, without the media, the hash that cannot match) makes the overall state
  // `Invalid` beside a trusted signer, so the signer's own codes decide.
  // `Valid` beside a trusted signer means c2pa-rs holds back trust for another reason (an ingredient's
  // signer it does not trust): that stands, unless every failure it counted is an identity assertion's (c2pa-rs
  // 0.90 holds back trust for an identity's certificate no CAWG list trusts, which says nothing of the claim).
  const overall = text(store.validation_state);
  const trusted =
    overall === 'Trusted' ||
    ((overall !== 'Valid' || heldBackForIdentityOnly(store)) &&
      successes.includes('signingCredential.trusted') &&
      !codes.includes('signingCredential.untrusted'));
  let state: ProvenanceSignal['state'];
  if (realFailures.length > 0) state = 'invalid';
  else if (trusted) state = 'valid';
  else state = 'untrusted';
  const revoked = codes.some((c) => REVOKED_CODES.has(c));
  const expired = !revoked && codes.some((c) => EXPIRED_CODES.has(c));
  const timeStampTrusted = successes.includes('timeStamp.trusted');
  const trustList = state === 'valid' ? options.trustedBy : undefined;

  // The asset rubric's signals decide; the older reading of source types only adds a declaration it missed.
  const graph = rubricGraph(
    manifests,
    facts,
    0,
    new Set(activeLabel ? [activeLabel] : []),
    {
      parents: [],
      parts: [],
    },
    false,
  );
  const reading = readRubric(facts.rubric, graph.parents, graph.parts);
  const aiTypes = collectAiTypes(manifests, activeLabel, 0, new Set());
  const legacyAi = !reading.fullyAi && !reading.partlyAi && aiTypes.length > 0;
  const declaresAi = reading.fullyAi || reading.partlyAi || legacyAi;
  const composite = reading.partlyAi || (legacyAi && aiTypes.every((t) => COMPOSITE_SOURCE_TYPES.has(t)));
  const captureDevice = !declaresAi && (reading.captured || facts.sourceTypes.some((t) => CAPTURE_SOURCE_TYPES.has(t)));
  const identities = identityAssertions(active, store);
  const ingredients = facts.ingredients.map((i) => {
    const m = i.label ? manifests[i.label] : undefined;
    const f = isObject(m) ? manifestFacts(m) : undefined;
    const generator = f ? (f.createdAgent ?? f.claimGenerator) : undefined;
    const ingredientAi = f
      ? f.rubric.some((r) => RUBRIC_AI.has(r)) || f.sourceTypes.some((t) => AI_SOURCE_TYPES.has(t))
      : undefined;
    return {
      title: i.title,
      relationship: i.relationship,
      ...(generator ? { generator } : {}),
      ...(ingredientAi !== undefined ? { declaresAi: ingredientAi } : {}),
      ...(f ? { rubric: f.rubric } : {}),
    };
  });

  return {
    kind: 'provenance',
    state,
    declaresAi,
    captureDevice,
    composite,
    rubric: { version: ASSET_RUBRIC_LABEL, signals: facts.rubric },
    digitalSourceTypes: [...new Set(facts.sourceTypes)],
    generator: facts.createdAgent ?? facts.claimGenerator,
    signer: facts.signer,
    signingTime: facts.signingTime,
    ingredients,
    ...(facts.actions.length > 0 ? { actions: facts.actions } : {}),
    failureCodes: codes.length > 0 ? codes : undefined,
    ...(state === 'valid' || state === 'untrusted' ? { trust: trustList?.id ?? (trusted ? 'user' : 'unknown') } : {}),
    ...(trustList ? { trustList } : {}),
    ...(revoked
      ? { certificate: 'revoked' as const }
      : expired
        ? { certificate: 'expired-since-signing' as const }
        : {}),
    ...(timeStampTrusted ? { timeStampTrusted } : {}),
    ...(options.products ? { product: matchConformingProduct(options.products, facts.claimant) } : {}),
    ...(identities.length > 0 ? { identities } : {}),
    source,
  };
}

/**
 * Whether the active manifest hashes a fragmented file fragment by fragment
 * (a BMFF hash with a Merkle tree, as c2pa-rs makes for separate init and
 * segment files), so that one fragment can be checked on its own; false for
 * a single hash over the whole file.
 */
export function hashesEachFragment(store: unknown): boolean {
  if (!isObject(store) || !isObject(store.manifests)) return false;
  const label = text(store.active_manifest);
  const active = label ? store.manifests[label] : undefined;
  if (!isObject(active)) return false;
  return array(active.assertions).some(
    (a) =>
      isObject(a) &&
      /^c2pa\.hash\.bmff(\.v\d+)?$/.test(text(a.label) ?? '') &&
      isObject(a.data) &&
      array(a.data.merkle).length > 0,
  );
}

/** The signal for media that carries no Content Credentials. */
export function absentProvenance(source: ProvenanceSignal['source'] = 'file'): ProvenanceSignal {
  return {
    kind: 'provenance',
    state: 'absent',
    declaresAi: false,
    captureDevice: false,
    digitalSourceTypes: [],
    source,
  };
}

/** The signal for media whose Content Credentials could not be read, with the reason. */
export function provenanceError(reason: string, source: ProvenanceSignal['source'] = 'file'): ProvenanceSignal {
  return {
    kind: 'provenance',
    state: 'error',
    declaresAi: false,
    captureDevice: false,
    digitalSourceTypes: [],
    source,
    detail: reason.slice(0, MAX_TEXT),
  };
}
