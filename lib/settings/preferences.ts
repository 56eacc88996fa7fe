import * as z from 'zod/mini';
import type { Sensitivity } from '../core/signals';
import { ownFields } from './own-fields';

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

/** Every choice of each setting, in the order the options page lists them. */
export const SCAN_MODES = ['automatic', 'on-request'] as const;
/** Sensitivity levels, strictest first. */
export const SENSITIVITIES = ['conservative', 'balanced', 'eager'] as const satisfies readonly Sensitivity[];
/** Frame budgets. */
export const FRAME_BUDGET_NAMES = ['standard', 'battery-saver'] as const;
/** Badge policies. */
export const BADGE_POLICIES = ['all', 'flagged'] as const;
/** Retention choices for saved reports, in days; null keeps them until deleted. */
export const REPORT_RETENTION_CHOICES = [null, 90, 30, 7] as const;

/**
 * The stored preferences, field by field. Each field falls back to its default on its own when it is missing or
 * invalid (`z.catch`), so storage another version wrote, or a hand-edited profile, costs at most the fields it
 * damaged and never throws into a context that reads it. Unknown fields are dropped.
 */
const preferenceFields = z.object({
  /** When videos are analysed: as they appear, or only after "Scan this page" in the popup. */
  scanMode: z.catch(z.enum(SCAN_MODES), 'automatic'),
  /** Host names where the extension does nothing; a name also covers its subdomains. Normalised, sorted, unique. */
  disabledSites: z.pipe(
    z.catch(z.array(z.unknown()), []),
    z.transform((sites) =>
      [...new Set(sites.flatMap((s) => (typeof s === 'string' ? (normaliseHostname(s) ?? []) : [])))].sort(),
    ),
  ),
  sensitivity: z.catch(z.enum(SENSITIVITIES), 'balanced'),
  /** How many frames are taken per video and per tab. */
  frameBudget: z.catch(z.enum(FRAME_BUDGET_NAMES), 'standard'),
  /** Which videos carry a badge. */
  badges: z.catch(z.enum(BADGE_POLICIES), 'all'),
  // A finite default: evidence about what people watched is not kept forever unless they ask for that.
  reportRetentionDays: z.catch(z.nullable(z.literal([7, 30, 90])), 30),
  /**
   * Whether judgements of clips are kept (lib/background/verdict-cache.ts) so that a clip seen again within
   * seven days gets its verdict from its first frame; off, the cache is neither read nor written. Kept on this
   * device only, for a bounded time, and cleared with "Clear all data".
   */
  rememberVerdicts: z.catch(z.boolean(), true),
});

/**
 * The schema of the user's choices, stored as one versioned item: the type ({@link Preferences}) and the
 * validator in one. Parsing never throws: anything that is not an object reads as the defaults, and only the
 * object's own fields are read (a `__proto__` key is data, never a prototype).
 */
export const preferencesSchema = z.pipe(z.transform(ownFields), preferenceFields);

/** The user's choices, stored as one versioned item. */
export type Preferences = z.output<typeof preferencesSchema>;
/** When videos are analysed: as they appear, or only after "Scan this page" in the popup. */
export type ScanMode = Preferences['scanMode'];
/** How many frames are taken per video and per tab. */
export type FrameBudgetName = Preferences['frameBudget'];
/** Which videos carry a badge. */
export type BadgePolicy = Preferences['badges'];
/** How long saved reports are kept, in days; null keeps them until deleted. */
export type ReportRetentionDays = Preferences['reportRetentionDays'];

/** What a new install uses: every field at its default. */
export const PREFERENCE_DEFAULTS: Preferences = Object.freeze(preferencesSchema.parse({}));

/**
 * Repairs a stored value: unknown fields are dropped, missing or invalid
 * ones take their default, and the site list is normalised and de-duplicated.
 * Storage another version wrote, or a hand-edited profile, never breaks a
 * context that reads it.
 */
export function normalisePreferences(value: unknown): Preferences {
  return preferencesSchema.parse(value);
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
