import type { Sensitivity } from '../core/signals';

/** When videos are analysed: as they appear, or only after "Scan this page" in the popup. */
export type ScanMode = 'automatic' | 'on-request';
/** How many frames are taken per video and per tab. */
export type FrameBudgetName = 'standard' | 'battery-saver';
/** Which videos carry a badge. */
export type BadgePolicy = 'all' | 'flagged';
/** How long saved reports are kept, in days; null keeps them until deleted. */
export type ReportRetentionDays = 7 | 30 | 90 | null;

/** The user's choices, stored as one versioned item. */
export interface Preferences {
  scanMode: ScanMode;
  /** Host names where the extension does nothing; a name also covers its subdomains. */
  disabledSites: string[];
  sensitivity: Sensitivity;
  frameBudget: FrameBudgetName;
  badges: BadgePolicy;
  reportRetentionDays: ReportRetentionDays;
  /**
   * Whether judgements of clips are kept (lib/background/verdict-cache.ts) so that a clip seen again within
   * seven days gets its verdict from its first frame; off, the cache is neither read nor written.
   */
  rememberVerdicts: boolean;
}

/** What a new install uses. */
export const PREFERENCE_DEFAULTS: Preferences = Object.freeze({
  scanMode: 'automatic',
  disabledSites: [],
  sensitivity: 'balanced',
  frameBudget: 'standard',
  badges: 'all',
  // A finite default: evidence about what people watched is not kept forever unless they ask for that.
  reportRetentionDays: 30,
  // Kept on this device only, for a bounded time, and cleared with "Clear all data".
  rememberVerdicts: true,
}) as Preferences;

/** Every choice of each setting, in the order the options page lists them. */
export const SCAN_MODES: readonly ScanMode[] = ['automatic', 'on-request'];
/** Sensitivity levels, strictest first. */
export const SENSITIVITIES: readonly Sensitivity[] = ['conservative', 'balanced', 'eager'];
/** Frame budgets. */
export const FRAME_BUDGET_NAMES: readonly FrameBudgetName[] = ['standard', 'battery-saver'];
/** Badge policies. */
export const BADGE_POLICIES: readonly BadgePolicy[] = ['all', 'flagged'];
/** Retention choices for saved reports. */
export const REPORT_RETENTION_CHOICES: readonly ReportRetentionDays[] = [null, 90, 30, 7];

function oneOf<T>(choices: readonly T[], value: unknown, fallback: T): T {
  return choices.includes(value as T) ? (value as T) : fallback;
}

/**
 * A host name as the per-site list keeps it: lower case, without a trailing
 * dot or a leading "www."; null when the text is not a host name (a URL is
 * accepted and reduced to its host).
 */
export function normaliseHostname(text: string): string | null {
  let host = text.trim().toLowerCase();
  if (host.includes('/')) {
    try {
      host = new URL(host.includes('://') ? host : `https://${host}`).hostname;
    } catch {
      return null;
    }
  }
  host = host.replace(/\.$/, '').replace(/^www\./, '');
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)$/.test(host)) return null;
  return host;
}

/**
 * Repairs a stored value: unknown fields are dropped, missing or invalid
 * ones take their default, and the site list is normalised and de-duplicated.
 * Storage another version wrote, or a hand-edited profile, never breaks a
 * context that reads it.
 */
export function normalisePreferences(value: unknown): Preferences {
  const v = (value && typeof value === 'object' ? value : {}) as Partial<Record<keyof Preferences, unknown>>;
  const d = PREFERENCE_DEFAULTS;
  const sites = Array.isArray(v.disabledSites) ? v.disabledSites : [];
  const disabledSites = [
    ...new Set(sites.flatMap((s) => (typeof s === 'string' ? (normaliseHostname(s) ?? []) : []))),
  ].sort();
  return {
    scanMode: oneOf(SCAN_MODES, v.scanMode, d.scanMode),
    disabledSites,
    sensitivity: oneOf(SENSITIVITIES, v.sensitivity, d.sensitivity),
    frameBudget: oneOf(FRAME_BUDGET_NAMES, v.frameBudget, d.frameBudget),
    badges: oneOf(BADGE_POLICIES, v.badges, d.badges),
    reportRetentionDays: oneOf(REPORT_RETENTION_CHOICES, v.reportRetentionDays, d.reportRetentionDays),
    rememberVerdicts: typeof v.rememberVerdicts === 'boolean' ? v.rememberVerdicts : d.rememberVerdicts,
  };
}

/** The entry of the per-site list that turns the extension off on this host, or null when it is on. */
export function disablingEntry(preferences: Preferences, hostname: string): string | null {
  const host = normaliseHostname(hostname);
  if (!host) return null;
  for (const entry of preferences.disabledSites) {
    if (host === entry || host.endsWith(`.${entry}`)) return entry;
  }
  return null;
}

/**
 * Version 1 → 2 of the stored preferences: version 2 adds `rememberVerdicts`, on for everyone who had version 1
 * (the cache only speeds up what they already had judged). The rest is repaired as any read repairs it.
 */
export function migratePreferencesV2(old: unknown): Preferences {
  const v = old && typeof old === 'object' ? old : {};
  return normalisePreferences({ ...v, rememberVerdicts: true });
}

/** Whether the extension works on this host at all. */
export function siteEnabled(preferences: Preferences, hostname: string): boolean {
  return disablingEntry(preferences, hostname) === null;
}

/** Turns a site on or off; turning it on also removes a parent-domain entry that covered it. */
export function withSite(preferences: Preferences, hostname: string, enabled: boolean): Preferences {
  const host = normaliseHostname(hostname);
  if (!host) return preferences;
  const covering = (entry: string) => host === entry || host.endsWith(`.${entry}`);
  const disabledSites = enabled
    ? preferences.disabledSites.filter((entry) => !covering(entry))
    : [...preferences.disabledSites, host];
  return normalisePreferences({ ...preferences, disabledSites });
}

/**
 * Whether a page should be analysed now: the site is on, and either scanning
 * is automatic or the user asked for this tab to be scanned.
 */
export function analysisWanted(preferences: Preferences, hostname: string, scanRequested: boolean): boolean {
  if (!siteEnabled(preferences, hostname)) return false;
  return preferences.scanMode === 'automatic' || scanRequested;
}

/** Whether a report saved at `savedAt` (ms since the epoch) is past the retention period at `now`. */
export function reportExpired(preferences: Preferences, savedAt: number, now: number): boolean {
  const days = preferences.reportRetentionDays;
  return days !== null && now - savedAt > days * 24 * 60 * 60 * 1000;
}
