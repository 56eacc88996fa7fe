import { browser } from 'wxt/browser';
import { classifierConfigFor } from '../analysis/classifier/config';
import type { ResultsStore } from './results-store';
import type { ToolbarBadge } from './toolbar-badge';
import type { VerdictCache } from './verdict-cache';
import { pageMessenger, settingsMessenger, type VerdictSummary } from '../messaging/protocol';
import { deleteReportDatabase, ScanRequests } from '../settings/data-control';
import { isOwnExtensionPage, requireSender, type SenderLike } from '../messaging/sender-check';
import { FRAME_BUDGETS } from '../settings/frame-budget';
import { ReportHistory } from '../reporting/history';
import { clearReportSettings, migrateReportSettings } from '../reporting/report-settings';
import type { Sensitivity } from '../core/signals';
import { reportExpired, type Preferences } from '../settings/preferences';
import {
  preferencesSetting,
  provenanceMaxBytesSetting,
  readPreferences,
  trustAnchorsSetting,
  watchPreferences,
} from '../settings/settings';
import { TrustSettingsStore } from '../settings/trust-settings';

/** What the background's settings side needs from the rest of the background. */
export interface BackgroundSettingsDeps {
  store: ResultsStore;
  /** Follows the "Remember verdicts" setting; deleted by "Clear all data". */
  verdictCache: VerdictCache;
  /** The toolbar icon's counts, reset by "Clear all data". */
  toolbar: Pick<ToolbarBadge, 'resetAll'>;
  notify: (tabId: number, frameId: number, videoId: string, verdict: VerdictSummary) => Promise<void>;
}

/** The background's handle on the settings: scan requests by tab. */
export interface BackgroundSettings {
  /** The top frame of a tab started a new document: an earlier "Scan this page" no longer holds. */
  pageStarted(tabId: number): Promise<void>;
  /** Whether the user asked for the tab's current page to be scanned. */
  scanRequested(tabId: number): Promise<boolean>;
  /** The tab closed. */
  tabRemoved(tabId: number): Promise<void>;
}

/**
 * Applies the settings in the background and answers the extension pages:
 * the sensitivity chooses the classifier's thresholds (every open tab's
 * verdicts are re-read at once, and badges updated), the frame budget caps
 * frames per video and per tab, "Scan this page" is remembered per tab,
 * "Remember verdicts" turns the verdict cache on and off (off also empties
 * it), and "Clear all data" empties `storage.session`, the toolbar counts,
 * the report history, the verdict cache and the report endpoint and token.
 */
export function startBackgroundSettings(deps: BackgroundSettingsDeps): BackgroundSettings {
  const scans = new ScanRequests(browser.storage.session);
  let sensitivity: Sensitivity | null = null;
  let remembering: boolean | null = null;

  async function apply(preferences: Preferences): Promise<void> {
    // Reports past the user's retention period go whenever the background starts or the period changes.
    void pruneExpiredReports(preferences);
    const budget = FRAME_BUDGETS[preferences.frameBudget];
    deps.store.setFrameLimits(budget.maxFramesPerVideo, budget.tab, budget.framesPerVideo);
    deps.verdictCache.setEnabled(preferences.rememberVerdicts);
    // Turned off, the cache keeps nothing either: what was remembered goes at once, not in seven days.
    if (remembering === true && !preferences.rememberVerdicts) {
      void deps.verdictCache.clear().catch((error: unknown) => console.warn('verdict cache not cleared', error));
    }
    remembering = preferences.rememberVerdicts;
    if (preferences.sensitivity === sensitivity) return;
    const first = sensitivity === null;
    sensitivity = preferences.sensitivity;
    deps.store.useClassifierConfig(classifierConfigFor(preferences.sensitivity));
    // On start the stored verdicts were made at the stored level already, unless it changed meanwhile.
    if (first && preferences.sensitivity === 'balanced') return;
    for (const tab of await browser.tabs.query({})) {
      if (tab.id === undefined) continue;
      for (const changed of await deps.store.rejudge(tab.id)) {
        await deps.notify(tab.id, changed.frameId, changed.id, changed.summary).catch(() => undefined);
      }
    }
  }

  const first = readPreferences();
  // Until the stored choice is read, a frame that arrives waits for it rather than reading an "off" cache.
  deps.verdictCache.setEnabled(first.then((p) => p.rememberVerdicts));
  void first.then(apply);
  // An endpoint version 1 kept in storage.local moves out of content scripts' reach as soon as the background starts.
  void migrateReportSettings().catch(() => undefined);
  watchPreferences((preferences) => void apply(preferences));

  // Settings messages come from the popup and options pages only: a content script may not clear data or scan tabs.
  const fromExtensionPage = (sender: SenderLike, message: string) =>
    requireSender(isOwnExtensionPage(sender, { id: browser.runtime.id, origin: browser.runtime.getURL('/') }), message);
  settingsMessenger.onMessage('scanTab', async ({ data, sender }) => {
    fromExtensionPage(sender, 'scanTab');
    await scans.add(data.tabId);
    // Every frame of the tab starts; frames that load later ask for the tab's state themselves.
    await pageMessenger.sendMessage('scanRequested', null, data.tabId).catch(() => undefined);
  });
  settingsMessenger.onMessage('scanState', ({ data, sender }) => {
    fromExtensionPage(sender, 'scanState');
    return scans.has(data.tabId);
  });
  settingsMessenger.onMessage('clearAllData', async ({ data, sender }) => {
    fromExtensionPage(sender, 'clearAllData');
    await deps.store.clearAll();
    await browser.storage.session.clear();
    scans.reset();
    deps.toolbar.resetAll((await browser.tabs.query({})).flatMap((t) => (t.id === undefined ? [] : [t.id])));
    await deleteReportDatabase();
    await deps.verdictCache.clear();
    // Where reports go and the token that opens it are data about the user, not a preference: always cleared.
    await clearReportSettings();
    if (data.resetSettings) {
      await Promise.all([
        preferencesSetting.removeValue({ removeMeta: true }),
        trustAnchorsSetting.removeValue({ removeMeta: true }),
        new TrustSettingsStore().reset(),
        provenanceMaxBytesSetting.removeValue({ removeMeta: true }),
      ]);
    }
  });

  return {
    pageStarted: (tabId) => scans.remove(tabId),
    scanRequested: (tabId) => scans.has(tabId),
    tabRemoved: (tabId) => scans.remove(tabId),
  };
}

/** Deletes the kept reports that are past the user's retention period; a failure leaves the history as it was. */
export async function pruneExpiredReports(preferences: Preferences, now = Date.now()): Promise<number> {
  try {
    return await new ReportHistory().prune((createdAt) => reportExpired(preferences, createdAt, now));
  } catch {
    return 0;
  }
}
