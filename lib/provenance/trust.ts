import { type ConformingProductList, parseConformingProducts } from '../core/conforming-products';
import type { TrustListRef } from '../core/signals';
import { C2PA_NO_NETWORK, C2PA_OFFLINE_VERIFY } from './c2pa-settings';
import { signerTrusted } from './interpret';

/** One trust list, ready for the reader: its anchors (PEM), and for the interim list its allowed certificates. */
export interface TrustSource {
  info: TrustListRef;
  /** Trust anchors, PEM. The official list's time-stamping authorities are among them (see {@link loadBundledTrust}). */
  anchors: string;
  /** End-entity certificates trusted one by one (the interim list), PEM. */
  allowed?: string;
  /** Extended key usages a signer may carry, one OID a line (the interim list's store.cfg). */
  config?: string;
}

/**
 * The trust lists one reading uses, in order of precedence (official, legacy, the user's own), with a SHA-256
 * key over all of their contents: results are cached under it, so two different sets never share an entry.
 */
export interface TrustSet {
  sources: TrustSource[];
  /**
   * The C2PA Conforming Products List: not a trust list (it trusts no certificate), but what decides which
   * product may claim what, whichever lists are switched on.
   */
  products?: ConformingProductList;
  key: string;
}

/** The lists the extension and `npm run scan` ship (`public/trust/`), as `npm run trust:update` builds them. */
export interface BundledTrust {
  official?: TrustSource;
  legacy?: TrustSource;
  products?: ConformingProductList;
}

/** Which bundled lists are used: both by default, each can be turned off in the options page (or with a flag). */
export interface TrustListSwitches {
  official: boolean;
  legacy: boolean;
}

/** What the user chose, as the background passes it to the analysis host: the list switches and their own anchors. */
export interface TrustChoice {
  lists: TrustListSwitches;
  userAnchors: string;
}

/** The default: every bundled list on. */
export const DEFAULT_TRUST_LISTS: TrustListSwitches = { official: true, legacy: true };

/** Where the bundled lists are, inside the extension and the repository. */
export const BUNDLED_TRUST_DIR = 'trust';

interface ListsFile {
  version: number;
  lists: {
    official?: {
      name: string;
      issued: string;
      nextUpdate: string;
      anchors: { file: string };
      tsa: { file: string };
    };
    legacy?: {
      name: string;
      issued: string;
      nextUpdate: string | null;
      anchors: { file: string };
      allowed: { file: string };
      config: { file: string };
    };
    products?: { name: string; issued: string; file: string; products?: number; nextUpdate?: string | null };
  };
}

/**
 * Loads the bundled lists through `readText` (a file read in Node, a fetch of the extension's own file in the
 * browser), given paths relative to the trust folder. The official list's time-stamping authorities are loaded
 * with its claim-signing anchors: c2pa-rs checks a time-stamp's chain against the same trust store (with the
 * time-stamping key usage), and a trusted time-stamp is what keeps a manifest valid once its short-lived
 * signing certificate has expired.
 */
export async function loadBundledTrust(readText: (file: string) => Promise<string>): Promise<BundledTrust> {
  const file = JSON.parse(await readText('lists.json')) as ListsFile;
  if (file.version !== 1) throw new Error(`unknown trust list bundle version ${String(file.version)}`);
  const bundle: BundledTrust = {};
  const { official, legacy, products } = file.lists;
  if (products) bundle.products = parseConformingProducts(JSON.parse(await readText(products.file)));
  if (official) {
    const [anchors, tsa] = await Promise.all([readText(official.anchors.file), readText(official.tsa.file)]);
    bundle.official = {
      info: { id: 'official', name: official.name, issued: official.issued, nextUpdate: official.nextUpdate },
      anchors: `${anchors.trim()}\n${tsa.trim()}\n`,
    };
  }
  if (legacy) {
    const [anchors, allowed, config] = await Promise.all([
      readText(legacy.anchors.file),
      readText(legacy.allowed.file),
      readText(legacy.config.file),
    ]);
    bundle.legacy = {
      info: { id: 'legacy', name: legacy.name, issued: legacy.issued, nextUpdate: legacy.nextUpdate ?? undefined },
      anchors,
      allowed,
      config,
    };
  }
  return bundle;
}

/** The bundled lists' names and dates alone (for the options page and the detail view), from `lists.json`. */
export async function bundledListInfo(readText: (file: string) => Promise<string>): Promise<TrustListRef[]> {
  const file = JSON.parse(await readText('lists.json')) as ListsFile;
  const refs: TrustListRef[] = [];
  const { official, legacy } = file.lists;
  if (official)
    refs.push({ id: 'official', name: official.name, issued: official.issued, nextUpdate: official.nextUpdate });
  if (legacy)
    refs.push({ id: 'legacy', name: legacy.name, issued: legacy.issued, nextUpdate: legacy.nextUpdate ?? undefined });
  return refs;
}

/** The bundled conforming products list's name, date and size, as the options page shows them. */
export interface ProductListInfo {
  name: string;
  /** The list carries no date of its own: the latest change of any record, YYYY-MM-DD. */
  issued: string;
  /**
   * When the list says it will next be updated. The published list names no such date today; should a later one
   * (through `npm run trust:update`) carry it, the options page says when this copy is out of date.
   */
  nextUpdate?: string;
  /** How many product records it holds. */
  products: number;
}

/** The bundled conforming products list's name and date alone (for the options page), from `lists.json`. */
export async function bundledProductListInfo(
  readText: (file: string) => Promise<string>,
): Promise<ProductListInfo | null> {
  const { products } = (JSON.parse(await readText('lists.json')) as ListsFile).lists;
  if (!products) return null;
  return {
    name: products.name,
    issued: products.issued,
    ...(products.nextUpdate ? { nextUpdate: products.nextUpdate } : {}),
    // Counted from the list itself when `lists.json` predates the count.
    products: products.products ?? parseConformingProducts(JSON.parse(await readText(products.file))).products.length,
  };
}

/** The user's own anchors as a trust source (none when the text holds nothing). */
export function userTrustSource(anchors: string): TrustSource | undefined {
  return anchors.trim() ? { info: { id: 'user', name: 'Your imported anchors' }, anchors } : undefined;
}

/** SHA-256 (hex) of a text, by Web Crypto (in browsers, workers and Node alike). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The trust set for the lists switched on, and the user's anchors on top. */
export async function trustSet(
  bundle: BundledTrust,
  switches: TrustListSwitches,
  userAnchors: string,
): Promise<TrustSet> {
  const sources: TrustSource[] = [];
  if (switches.official && bundle.official) sources.push(bundle.official);
  if (switches.legacy && bundle.legacy) sources.push(bundle.legacy);
  const user = userTrustSource(userAnchors);
  if (user) sources.push(user);
  // A newer products list changes what a reading says, so it changes the key too.
  const key = await sha256Hex(JSON.stringify([sources, bundle.products?.issued ?? null]));
  return { sources, ...(bundle.products ? { products: bundle.products } : {}), key };
}

/**
 * The reader's settings (c2pa-rs's own names) for a set of trust sources: their anchors, allowed
 * certificates and key usages together. Nothing is fetched: no OCSP request (a revocation is known only from
 * the OCSP response the manifest carries), no remote manifest, and no host at all through c2pa-rs's HTTP resolver
 * (a CAWG identity's `did:web` document included).
 */
export function c2paSettings(sources: readonly TrustSource[]): {
  verify: Record<string, boolean>;
  core: { allowed_network_hosts: string[] };
  trust?: Record<string, string>;
} {
  const verify = { ...C2PA_OFFLINE_VERIFY, verify_trust: true, verify_timestamp_trust: true };
  const core = { allowed_network_hosts: [...C2PA_NO_NETWORK.allowed_network_hosts] };
  const anchors = sources.map((s) => s.anchors.trim()).filter(Boolean);
  if (anchors.length === 0) return { verify, core };
  const allowed = sources.map((s) => s.allowed?.trim()).filter((t): t is string => !!t);
  const usages = [...new Set(sources.flatMap((s) => (s.config ?? '').split(/\r?\n/).map((l) => l.trim())))].filter(
    (l) => /^\d+(\.\d+)+$/.test(l),
  );
  return {
    verify,
    core,
    trust: {
      trust_anchors: `${anchors.join('\n')}\n`,
      ...(allowed.length > 0 ? { allowed_list: `${allowed.join('\n')}\n` } : {}),
      ...(usages.length > 0 ? { trust_config: `${usages.join('\n')}\n` } : {}),
    },
  };
}

/** A manifest store as read, with the list that vouches for its signer when one does. */
export interface C2paReading {
  store: unknown;
  trustedBy?: TrustListRef;
  /** The products list of the trust set it was read against, for matching its product. */
  products?: ConformingProductList;
}

/** Most signers whose list is remembered, so a page of ever-new signers cannot grow the cache without end. */
const ATTRIBUTION_CACHE_SIZE = 256;

/**
 * Reads a manifest store against a trust set, and names the list that trusts its signer.
 *
 * c2pa-rs says only "trusted" or not: it does not say which anchor the chain ended at. So the store is read once
 * against every list together (that reading decides the state), and when its signer is trusted and more than one
 * list is in use, it is read again against each list alone, in order of precedence, until one trusts it. The
 * answer depends only on the signing certificate, so it is remembered per trust set and certificate (issuer,
 * serial number, subject): the quick reading of a file's metadata pays for it, the full reading of the same file
 * does not. A chain that only the lists together complete is put down to the first list in use.
 */
export class TrustAttribution {
  private readonly known = new Map<string, TrustListRef>();

  async read(set: TrustSet, readOnce: (sources: TrustSource[]) => Promise<unknown>): Promise<C2paReading | null> {
    const store = await readOnce(set.sources);
    if (store === null || store === undefined) return null;
    const products = set.products ? { products: set.products } : {};
    const first = set.sources[0];
    if (!first || !signerTrusted(store)) return { store, ...products };
    if (set.sources.length === 1) return { store, trustedBy: first.info, ...products };
    const key = `${set.key}\n${signerIdentity(store)}`;
    let list = this.known.get(key);
    if (!list) {
      list = first.info;
      for (const source of set.sources) {
        if (signerTrusted(await readOnce([source]))) {
          list = source.info;
          break;
        }
      }
      if (this.known.size >= ATTRIBUTION_CACHE_SIZE) this.known.delete(this.known.keys().next().value as string);
      this.known.set(key, list);
    }
    return { store, trustedBy: list, ...products };
  }
}

function signerIdentity(store: unknown): string {
  const s = store as { active_manifest?: unknown; manifests?: Record<string, { signature_info?: unknown }> };
  const label = typeof s.active_manifest === 'string' ? s.active_manifest : '';
  const info = (s.manifests?.[label]?.signature_info ?? {}) as Record<string, unknown>;
  return JSON.stringify([info.issuer, info.cert_serial_number, info.common_name]);
}

/** Whether a list is past its announced next update: it still validates, but is out of date. */
export function listOutOfDate(list: Pick<TrustListRef, 'nextUpdate'>, now = Date.now()): boolean {
  if (!list.nextUpdate) return false;
  const next = Date.parse(list.nextUpdate);
  return Number.isFinite(next) && next < now;
}
