import { storage } from 'wxt/utils/storage';
import { DEFAULT_PROVENANCE_MAX_BYTES } from '../provenance/provenance-checker';
import { migratePreferencesV2, normalisePreferences, PREFERENCE_DEFAULTS, type Preferences } from './preferences';
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

const MB = 1024 * 1024;
/** Smallest and largest size limit the options page offers for files fetched to verify their credentials. */
export const PROVENANCE_MAX_BYTES_RANGE = { min: 1 * MB, max: 4096 * MB } as const;

/**
 * Brings a stored size limit into the range the options page offers, in whole megabytes; anything that is
 * not a positive number becomes the default.
 */
export function clampProvenanceMaxBytes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return DEFAULT_PROVENANCE_MAX_BYTES;
  const { min, max } = PROVENANCE_MAX_BYTES_RANGE;
  return Math.min(max, Math.max(min, Math.round(value / MB) * MB));
}

/**
 * Largest video file fetched whole to verify its Content Credentials, in bytes.
 * Version 1 stored whatever the field held (fractions of a megabyte, zero,
 * sizes no browser can hold in memory); version 2 keeps it within
 * {@link PROVENANCE_MAX_BYTES_RANGE} in whole megabytes, and the migration
 * brings a version 1 value there.
 */
export const provenanceMaxBytesSetting = storage.defineItem<number>('local:provenanceMaxBytes', {
  fallback: DEFAULT_PROVENANCE_MAX_BYTES,
  version: 2,
  migrations: { 2: (old: unknown) => clampProvenanceMaxBytes(old) },
});

/**
 * Everything else the user chooses (scan mode, sites turned off, sensitivity,
 * frame budget, badges, report retention, remembered verdicts) as one
 * versioned object, so a change is one write and every context sees it in
 * one `watch` callback. Read through {@link readPreferences} /
 * {@link watchPreferences}, which repair a stored value that is missing
 * fields or holds unknown ones. Version 2 added `rememberVerdicts`.
 */
export const preferencesSetting = storage.defineItem<Preferences>('local:preferences', {
  fallback: PREFERENCE_DEFAULTS,
  version: 2,
  migrations: { 2: (old: unknown) => migratePreferencesV2(old) },
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
