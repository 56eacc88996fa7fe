/**
 * Every stored settings object's migrations, one file per version step. Each table maps a version to the step
 * that brings a value of the version before it there; `@wxt-dev/storage` runs them in order from the stored
 * version (metadata `v`, 1 when absent) to the item's version, and so does the trust store for its record.
 *
 * Adding a version: bump the `*_VERSION` constant, add `<object>-v<N>.ts` with the step, list it here, and add
 * `tests/unit/fixtures/settings/v<N>.json` with what that version stores.
 */
import type { Preferences } from '../preferences';
import type { ProvenanceMaxBytes } from '../provenance-limit';
import type { TrustChoice } from '../../provenance/trust';
import { preferencesV1ToV2 } from './preferences-v2';
import { provenanceMaxBytesV1ToV2 } from './provenance-max-bytes-v2';
import { trustV0ToV1 } from './trust-v1';

/** The version of the `local:preferences` item. */
export const PREFERENCES_VERSION = 2;
/** Steps of `local:preferences`, by the version each one produces. */
export const PREFERENCES_MIGRATIONS: Record<number, (old: unknown) => Preferences> = {
  2: preferencesV1ToV2,
};

/** The version of the `local:provenanceMaxBytes` item. */
export const PROVENANCE_MAX_BYTES_VERSION = 2;
/** Steps of `local:provenanceMaxBytes`, by the version each one produces. */
export const PROVENANCE_MAX_BYTES_MIGRATIONS: Record<number, (old: unknown) => ProvenanceMaxBytes> = {
  2: provenanceMaxBytesV1ToV2,
};

/** Steps of the trust record (IndexedDB), by the version each one produces; the version is TRUST_RECORD_VERSION. */
export const TRUST_MIGRATIONS: Record<
  number,
  (old: unknown, legacyAnchors: () => Promise<string>) => Promise<TrustChoice>
> = {
  1: trustV0ToV1,
};
