import { TRUST_DEFAULTS } from '../trust-schema';
import type { TrustChoice } from '../../provenance/trust';

/**
 * Trust settings, version 0 → 1. Version 0 is "no record yet": the first record is made from the anchors
 * `storage.local` held (`legacyAnchors` reads them, valid PEM only), with the bundled lists, new then, on by
 * default. Whatever else was stored is not read.
 */
export async function trustV0ToV1(_old: unknown, legacyAnchors: () => Promise<string>): Promise<TrustChoice> {
  return { ...TRUST_DEFAULTS, userAnchors: await legacyAnchors() };
}
