import { storage } from 'wxt/utils/storage';
import { DEFAULT_PROVENANCE_MAX_BYTES } from '../provenance/provenance-checker';

/**
 * Trust anchors for Content Credentials: PEM certificates the user imported.
 * The extension ships no trust list it cannot vouch for; until the user adds
 * one, valid signatures read "signer not verified".
 */
export const trustAnchorsSetting = storage.defineItem<string>('local:trustAnchors', {
  fallback: '',
  version: 1,
});

/** Largest video file fetched whole to verify its Content Credentials, in bytes. */
export const provenanceMaxBytesSetting = storage.defineItem<number>('local:provenanceMaxBytes', {
  fallback: DEFAULT_PROVENANCE_MAX_BYTES,
  version: 1,
});

/** Splits PEM text into certificates; throws with a clear message when there are none or one is malformed. */
export function parsePemCertificates(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('No certificate found: expected PEM text with "BEGIN CERTIFICATE" blocks.');
  for (const block of blocks) {
    const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+=*$/.test(body) || body.length < 100) {
      throw new Error('A certificate block is not valid base64 PEM.');
    }
  }
  return blocks;
}
