/** Node only (the scan command and tests): the reference implementation through its Node binding. */
import { Reader } from '@contentauth/c2pa-node';
import type { ProvenanceSignal } from '../core/signals';
import { absentProvenance, interpretManifestStore, provenanceError } from '../provenance/interpret';
import type { C2paReader } from '../provenance/provenance-checker';

function readerSettings(trustAnchors?: string) {
  return {
    verify: { verify_trust: true },
    ...(trustAnchors ? { trust: { trust_anchors: trustAnchors } } : {}),
  };
}

/**
 * Reads a file with the C2PA reference implementation (c2pa-rs through its
 * Node binding) and interprets the result as the extension does. Trust
 * anchors are PEM text; without them every signer is untrusted.
 */
export async function readProvenance(path: string, mimeType: string, trustAnchors?: string): Promise<ProvenanceSignal> {
  try {
    const reader = await Reader.fromAsset({ path, mimeType }, readerSettings(trustAnchors));
    if (!reader) return absentProvenance();
    return interpretManifestStore(reader.json());
  } catch (error) {
    return provenanceError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The same reference implementation behind the C2PA reader interface the
 * extension's ProvenanceChecker uses, so Node can run the checker's web
 * reading (Range requests, size cap) unchanged. The Node binding reads no
 * stream fragments.
 */
export class NodeC2paReader implements C2paReader {
  async read(mimeType: string, blob: Blob, trustAnchors: string): Promise<unknown | null> {
    const buffer = Buffer.from(await blob.arrayBuffer());
    const reader = await Reader.fromAsset({ buffer, mimeType }, readerSettings(trustAnchors));
    return reader ? (reader.json() as unknown) : null;
  }

  readFragment(): Promise<unknown | null> {
    return Promise.reject(new Error('the Node binding reads whole files only, no stream fragments'));
  }
}
