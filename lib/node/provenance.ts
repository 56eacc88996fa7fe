/** Node only (the scan command and tests): the reference implementation through its Node binding. */
import { Reader } from '@contentauth/c2pa-node';
import type { ProvenanceSignal } from '../core/signals';
import { absentProvenance, interpretManifestStore, provenanceError } from '../provenance/interpret';

/**
 * Reads a file with the C2PA reference implementation (c2pa-rs through its
 * Node binding) and interprets the result as the extension does. Trust
 * anchors are PEM text; without them every signer is untrusted.
 */
export async function readProvenance(path: string, mimeType: string, trustAnchors?: string): Promise<ProvenanceSignal> {
  const settings = {
    verify: { verify_trust: true },
    ...(trustAnchors ? { trust: { trust_anchors: trustAnchors } } : {}),
  };
  try {
    const reader = await Reader.fromAsset({ path, mimeType }, settings);
    if (!reader) return absentProvenance();
    return interpretManifestStore(reader.json());
  } catch (error) {
    return provenanceError(error instanceof Error ? error.message : String(error));
  }
}
