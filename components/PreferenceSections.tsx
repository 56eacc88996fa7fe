import { type ReactNode, useEffect, useId, useState } from 'react';
import { CLASSIFIER_SENSITIVITY, type SensitivityLevel } from '../lib/analysis/classifier/config';
import type { Sensitivity } from '../lib/core/signals';
import { settingsMessenger } from '../lib/messaging/protocol';
import { FRAME_BUDGETS } from '../lib/settings/frame-budget';
import {
  type BadgePolicy,
  type FrameBudgetName,
  normaliseHostname,
  normalisePreferences,
  PREFERENCE_DEFAULTS,
  type Preferences,
  REPORT_RETENTION_CHOICES,
  type ReportRetentionDays,
  type ScanMode,
  SENSITIVITIES,
} from '../lib/settings/preferences';
import { readPreferences, updatePreferences, watchPreferences } from '../lib/settings/settings';

const SENSITIVITY_NAMES: Record<Sensitivity, string> = {
  conservative: 'Conservative',
  balanced: 'Balanced (recommended)',
  eager: 'Eager',
};

const SENSITIVITY_SUMMARY: Record<Sensitivity, string> = {
  conservative: 'Fewer warnings: only the clearest classifier scores are flagged.',
  balanced: 'The model’s own thresholds, chosen so that at most 1% of real validation clips read “Likely AI”.',
  eager: 'More warnings, and more false alarms: catches more AI clips, but flags some real ones too.',
};

function pct(share: number): string {
  const value = share * 100;
  return `${value > 0 && value < 1 ? value.toFixed(1) : Math.round(value)}%`;
}

function sensitivityDetail(level: SensitivityLevel): string {
  const thresholds = `“Likely AI” from a score of ${pct(level.likelyAi)}, “Uncertain” from ${pct(level.uncertain)}.`;
  const m = level.measured;
  if (!m) return thresholds;
  return (
    `${thresholds} On the model’s ${m.realClips} real and ${m.aiClips} AI validation clips: ` +
    `${pct(m.realAtLikelyAi)} of real clips called “Likely AI” and ${pct(m.realAtUncertain)} at least “Uncertain” ` +
    `(false alarms); ${pct(m.aiAtLikelyAi)} of AI clips called “Likely AI” and ${pct(m.aiAtUncertain)} at least ` +
    '“Uncertain”.'
  );
}

function retentionLabel(days: ReportRetentionDays): string {
  return days === null ? 'Until I delete them' : `${days} days`;
}

interface ChoiceProps<T extends string> {
  legend: string;
  name: string;
  value: T;
  choices: ReadonlyArray<{ value: T; label: string; detail: ReactNode }>;
  onChange: (value: T) => void;
}

function Choice<T extends string>({ legend, name, value, choices, onChange }: ChoiceProps<T>) {
  const id = useId();
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      {choices.map((c) => (
        <div className="option" key={c.value}>
          <input
            type="radio"
            id={`${id}-${c.value}`}
            name={name}
            value={c.value}
            checked={value === c.value}
            onChange={() => onChange(c.value)}
            aria-describedby={`${id}-${c.value}-detail`}
          />
          <label htmlFor={`${id}-${c.value}`}>{c.label}</label>
          <p className="hint" id={`${id}-${c.value}-detail`}>
            {c.detail}
          </p>
        </div>
      ))}
    </fieldset>
  );
}

type ClearStatus = { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

/** The options page's sections for the user's preferences and their data. */
export function PreferenceSections() {
  const [prefs, setPrefs] = useState<Preferences>(PREFERENCE_DEFAULTS);
  const [siteDraft, setSiteDraft] = useState('');
  const [siteError, setSiteError] = useState<string | null>(null);
  const [resetSettings, setResetSettings] = useState(false);
  const [clearStatus, setClearStatus] = useState<ClearStatus>({ kind: 'idle' });
  const siteId = useId();
  const retentionId = useId();
  const resetId = useId();
  const rememberId = useId();

  useEffect(() => {
    void readPreferences().then(setPrefs);
    return watchPreferences(setPrefs);
  }, []);

  async function change(patch: Partial<Preferences>) {
    // Show the choice at once (a controlled radio would otherwise snap back until storage answers).
    setPrefs((current) => normalisePreferences({ ...current, ...patch }));
    setPrefs(await updatePreferences((current) => ({ ...current, ...patch })));
  }

  async function addSite() {
    const host = normaliseHostname(siteDraft);
    if (!host) {
      setSiteError('Enter a site’s address or host name, such as video.example.com.');
      return;
    }
    setSiteError(null);
    setSiteDraft('');
    await change({ disabledSites: [...prefs.disabledSites, host] });
  }

  async function clearAll() {
    setClearStatus({ kind: 'busy' });
    try {
      await settingsMessenger.sendMessage('clearAllData', { resetSettings });
      setClearStatus({
        kind: 'ok',
        text: resetSettings
          ? 'All data deleted and settings reset.'
          : 'All data deleted: analysis results, remembered verdicts, saved reports, the reporting endpoint and its token. Your settings are kept.',
      });
      if (resetSettings) setPrefs(await readPreferences());
    } catch (error) {
      setClearStatus({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }

  const standard = FRAME_BUDGETS.standard;
  const saver = FRAME_BUDGETS['battery-saver'];

  return (
    <>
      <section aria-labelledby="scan-heading">
        <h2 id="scan-heading">When videos are analysed</h2>
        <Choice<ScanMode>
          legend="Scanning"
          name="scan-mode"
          value={prefs.scanMode}
          onChange={(scanMode) => void change({ scanMode })}
          choices={[
            { value: 'automatic', label: 'Automatically', detail: 'Each video is analysed as it comes into view.' },
            {
              value: 'on-request',
              label: 'Only when I ask',
              detail:
                'Nothing is analysed until you press “Scan this page” in the toolbar popup; then that tab is scanned until it loads another page.',
            },
          ]}
        />
      </section>

      <section aria-labelledby="sites-heading">
        <h2 id="sites-heading">Sites turned off</h2>
        <p className="hint">
          On these sites (and their subdomains) the extension finds no videos, shows no badges and analyses nothing. The
          popup has the same switch for the site you are on.
        </p>
        {prefs.disabledSites.length === 0 ? (
          <p className="hint">No site is turned off.</p>
        ) : (
          <ul className="sites" aria-label="Sites turned off">
            {prefs.disabledSites.map((site) => (
              <li key={site}>
                <span>{site}</span>
                <button
                  type="button"
                  onClick={() => void change({ disabledSites: prefs.disabledSites.filter((s) => s !== site) })}
                  aria-label={`Turn ${site} back on`}
                >
                  Turn on
                </button>
              </li>
            ))}
          </ul>
        )}
        <label htmlFor={siteId}>Turn off a site</label>
        <div className="row">
          <input
            id={siteId}
            type="text"
            value={siteDraft}
            placeholder="video.example.com"
            onChange={(e) => setSiteDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void addSite();
            }}
          />
          <button type="button" onClick={() => void addSite()} disabled={!siteDraft.trim()}>
            Turn off
          </button>
        </div>
        {siteError && (
          <p className="status error" role="alert">
            {siteError}
          </p>
        )}
      </section>

      <section aria-labelledby="sensitivity-heading">
        <h2 id="sensitivity-heading">Sensitivity</h2>
        <p className="hint">
          How readily the on-device classifier’s score turns into “Likely AI” or “Uncertain”. The classifier alone never
          says “AI-generated”: only Content Credentials, a platform’s label or a generator’s watermark do. A false “AI”
          on a real video is worse than a missed one, so the default stays strict.
        </p>
        <Choice<Sensitivity>
          legend="Sensitivity"
          name="sensitivity"
          value={prefs.sensitivity}
          onChange={(sensitivity) => void change({ sensitivity })}
          choices={SENSITIVITIES.map((s) => ({
            value: s,
            label: SENSITIVITY_NAMES[s],
            detail: (
              <>
                {SENSITIVITY_SUMMARY[s]} {sensitivityDetail(CLASSIFIER_SENSITIVITY[s])}
              </>
            ),
          }))}
        />
      </section>

      <section aria-labelledby="budget-heading">
        <h2 id="budget-heading">Frame budget</h2>
        <Choice<FrameBudgetName>
          legend="Frames analysed"
          name="frame-budget"
          value={prefs.frameBudget}
          onChange={(frameBudget) => void change({ frameBudget })}
          choices={[
            {
              value: 'standard',
              label: 'Standard',
              detail: `Up to ${standard.framesPerVideo} frames per video; ${standard.tab.burst} per tab at once, then ${standard.tab.perMinute} a minute.`,
            },
            {
              value: 'battery-saver',
              label: 'Battery saver',
              detail: `Up to ${saver.framesPerVideo} frames per video (the fewest the classifier judges from); ${saver.tab.burst} per tab at once, then ${saver.tab.perMinute} a minute: less work on long feeds, less certain verdicts.`,
            },
          ]}
        />
      </section>

      <section aria-labelledby="badges-heading">
        <h2 id="badges-heading">Badges</h2>
        <Choice<BadgePolicy>
          legend="Show badges on"
          name="badges"
          value={prefs.badges}
          onChange={(badges) => void change({ badges })}
          choices={[
            { value: 'all', label: 'Every video', detail: 'Including videos with no signs of AI.' },
            {
              value: 'flagged',
              label: 'Only flagged videos',
              detail:
                'Only where something points to AI (a declaration, a watermark, a label, a classifier score in its uncertain band or above) or the credentials were altered. The popup still lists every video.',
            },
          ]}
        />
      </section>

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Your data</h2>
        <ul className="stored">
          <li>
            Analysis results of each tab (verdicts, reasons, small thumbnails) live in the browser’s session storage,
            only while the tab is open, and are gone when the browser closes.
          </li>
          <li>
            Reports you save are kept on this device in the report history until you delete them or the period below
            ends.
          </li>
          <li>
            The reporting endpoint and its token you last sent a report with are kept on this device, where web pages
            cannot read them, until you clear all data.
          </li>
          <li>
            With “Remember verdicts” on, what the checks found about each clip (not the page it was on) is kept on this
            device for 7 days, under a hash of the clip’s address, so that the clip seen again is judged at once.
          </li>
          <li>Your settings and trust anchors are kept until you change them.</li>
          <li>Nothing is sent anywhere unless you send a report yourself.</li>
        </ul>
        <div className="row">
          <input
            id={rememberId}
            type="checkbox"
            checked={prefs.rememberVerdicts}
            onChange={(e) => void change({ rememberVerdicts: e.target.checked })}
            aria-describedby={`${rememberId}-detail`}
          />
          <label htmlFor={rememberId} className="inline">
            Remember verdicts for 7 days
          </label>
        </div>
        <p className="hint" id={`${rememberId}-detail`}>
          A clip seen again (a reload, the same post in another tab) gets its earlier verdict as soon as a frame shows
          the same picture. Turning this off forgets what was remembered.
        </p>
        <label htmlFor={retentionId}>Keep saved reports</label>
        <select
          id={retentionId}
          value={prefs.reportRetentionDays === null ? 'forever' : String(prefs.reportRetentionDays)}
          onChange={(e) =>
            void change({
              reportRetentionDays:
                e.target.value === 'forever' ? null : (Number(e.target.value) as ReportRetentionDays),
            })
          }
        >
          {REPORT_RETENTION_CHOICES.map((days) => (
            <option key={String(days)} value={days === null ? 'forever' : String(days)}>
              {retentionLabel(days)}
            </option>
          ))}
        </select>
        <div className="row">
          <button
            type="button"
            className="danger"
            onClick={() => void clearAll()}
            disabled={clearStatus.kind === 'busy'}
          >
            Clear all data
          </button>
          <input
            id={resetId}
            type="checkbox"
            checked={resetSettings}
            onChange={(e) => setResetSettings(e.target.checked)}
          />
          <label htmlFor={resetId} className="inline">
            Also reset settings and trust anchors
          </label>
        </div>
        {(clearStatus.kind === 'ok' || clearStatus.kind === 'error') && (
          <p className={`status ${clearStatus.kind}`} role={clearStatus.kind === 'error' ? 'alert' : 'status'}>
            {clearStatus.text}
          </p>
        )}
      </section>
    </>
  );
}
