/** Node only (the scan command and tests): the reference implementation through its Node binding. */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reader } from '@contentauth/c2pa-node';
import type { ProvenanceSignal } from '../core/signals';
import { absentProvenance, interpretManifestStore, provenanceError } from '../provenance/interpret';
import type { C2paReader } from '../provenance/provenance-checker';
import { remoteManifestReason } from '../provenance/c2pa-settings';
import {
  BUNDLED_TRUST_DIR,
  type BundledTrust,
  c2paSettings,
  DEFAULT_TRUST_LISTS,
  loadBundledTrust,
  TrustAttribution,
  type TrustListSwitches,
  type TrustSet,
  trustSet,
} from '../provenance/trust';

const PUBLIC_TRUST = resolve(dirname(fileURLToPath(import.meta.url)), '../../public', BUNDLED_TRUST_DIR);

let bundled: Promise<BundledTrust> | null = null;

/** The trust lists shipped in `public/trust/`, as the extension bundles them (read once). */
export function nodeBundledTrust(): Promise<BundledTrust> {
  bundled ??= loadBundledTrust((file) => readFile(join(PUBLIC_TRUST, file), 'utf8'));
  return bundled;
}

/**
 * The trust set the scan uses: the bundled lists switched on (all by default, none with `--no-bundled-trust`),
 * and the anchors given with `--trust` on top.
 */
export async function nodeTrustSet(
  userAnchors = '',
  switches: TrustListSwitches = DEFAULT_TRUST_LISTS,
): Promise<TrustSet> {
  return trustSet(await nodeBundledTrust(), switches, userAnchors);
}

const attribution = new TrustAttribution();

async function readStore(
  asset: { path: string; mimeType: string } | { buffer: Buffer; mimeType: string },
  trust: TrustSet,
) {
  return attribution.read(trust, async (sources) => {
    const reader = await Reader.fromAsset(asset, c2paSettings(sources));
    return reader ? (reader.json() as unknown) : null;
  });
}

/**
 * Reads a file with the C2PA reference implementation (c2pa-rs through its
 * Node binding) and interprets the result as the extension does, against a
 * trust set (the bundled lists and the user's anchors, see {@link nodeTrustSet}).
 */
export async function readProvenance(path: string, mimeType: string, trust: TrustSet): Promise<ProvenanceSignal> {
  try {
    const reading = await readStore({ path, mimeType }, trust);
    if (!reading) return absentProvenance();
    return interpretManifestStore(reading.store, 'file', { trustedBy: reading.trustedBy, products: reading.products });
  } catch (error) {
    return provenanceError(remoteManifestReason(error) ?? (error instanceof Error ? error.message : String(error)));
  }
}

/**
 * The same reference implementation behind the C2PA reader interface the
 * extension's ProvenanceChecker uses, so Node can run the checker's web
 * reading (Range requests, size cap) unchanged. The Node binding reads no
 * stream fragments.
 */
export class NodeC2paReader implements C2paReader {
  async read(mimeType: string, blob: Blob, trust: TrustSet) {
    return readStore({ buffer: Buffer.from(await blob.arrayBuffer()), mimeType }, trust);
  }

  readFragment(): Promise<never> {
    return Promise.reject(new Error('the Node binding reads whole files only, no stream fragments'));
  }
}
