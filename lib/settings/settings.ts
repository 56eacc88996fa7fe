import { storage } from 'wxt/utils/storage';
import { DEFAULT_PROVENANCE_MAX_BYTES } from '../provenance/provenance-checker';
import { normalisePreferences, PREFERENCE_DEFAULTS, type Preferences } from './preferences';
import {
  PREFERENCES_MIGRATIONS,
  PREFERENCES_VERSION,
  PROVENANCE_MAX_BYTES_MIGRATIONS,
  PROVENANCE_MAX_BYTES_VERSION,
} from './migrations';
import { t } from '../present/i18n';

/**
 * Where earlier versions kept the user's imported trust anchors (PEM). Read only
 * once, to move them into the extension-only trust store (trust-settings.ts),
 * which then removes this key: content scripts can write storage.local.
 */
export const trustAnchorsSetting = storage.defineItem<string>('local:trustAnchors', {
  fallback: '',
  version: 1,
});

import { provenanceMaxBytesSchema } from './provenance-limit';

export { clampProvenanceMaxBytes, PROVENANCE_MAX_BYTES_RANGE } from './provenance-limit';

/**
 * Largest video file fetched whole to verify its Content Credentials, in bytes.
 * Version 1 stored whatever the field held (fractions of a megabyte, zero,
 * sizes no browser can hold in memory); version 2 keeps it within
 * the range the options page offers in whole megabytes, and the migration
 * (migrations/provenance-max-bytes-v2.ts) brings a version 1 value there.
 */
export const provenanceMaxBytesSetting = storage.defineItem<number>('local:provenanceMaxBytes', {
  fallback: DEFAULT_PROVENANCE_MAX_BYTES,
  version: PROVENANCE_MAX_BYTES_VERSION,
  migrations: PROVENANCE_MAX_BYTES_MIGRATIONS,
});

/**
 * The size limit as every reader should see it, through its schema: storage.local holds whatever a content
 * script wrote there, migrated or not, and a string or a size no browser can hold must not reach the fetch.
 */
export async function readProvenanceMaxBytes(): Promise<number> {
  return provenanceMaxBytesSchema.parse(await provenanceMaxBytesSetting.getValue());
}

/** Calls back with the repaired size limit whenever it changes; returns the unwatch function. */
export function watchProvenanceMaxBytes(onChange: (bytes: number) => void): () => void {
  return provenanceMaxBytesSetting.watch((value) => onChange(provenanceMaxBytesSchema.parse(value)));
}

/**
 * Everything else the user chooses (scan mode, sites turned off, sensitivity,
 * frame budget, badges, report retention, remembered verdicts) as one
 * versioned object, so a change is one write and every context sees it in
 * one `watch` callback. Read through {@link readPreferences} /
 * {@link watchPreferences}, which repair a stored value that is missing
 * fields or holds unknown ones (the schema in preferences.ts). Version 2
 * added `rememberVerdicts`; the steps are in migrations/.
 */
export const preferencesSetting = storage.defineItem<Preferences>('local:preferences', {
  fallback: PREFERENCE_DEFAULTS,
  version: PREFERENCES_VERSION,
  migrations: PREFERENCES_MIGRATIONS,
});

/** The user's preferences, repaired against the defaults. */
export async function readPreferences(): Promise<Preferences> {
  return normalisePreferences(await preferencesSetting.getValue());
}

/** Calls back with the repaired preferences whenever they change; returns the unwatch function. */
export function watchPreferences(onChange: (preferences: Preferences) => void): () => void {
  return preferencesSetting.watch((value) => onChange(normalisePreferences(value)));
}

/** Applies a change to the stored preferences and returns the result. */
export async function updatePreferences(change: (current: Preferences) => Preferences): Promise<Preferences> {
  const next = normalisePreferences(change(await readPreferences()));
  await preferencesSetting.setValue(next);
  return next;
}

/** Splits PEM text into certificates; throws with a clear message when there are none or one is malformed. */
export function parsePemCertificates(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(t('errorNoCertificate'));
  for (const block of blocks) {
    const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+=*$/.test(body) || body.length < 100) {
      throw new Error(t('errorBadCertificate'));
    }
  }
  return blocks;
}
