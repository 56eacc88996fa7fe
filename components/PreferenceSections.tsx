import { useEffect, useId, useState } from 'react';
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
import { type MessageKey, t } from '../lib/present/i18n';
import { finePercent as pct } from '../lib/present/words';

const SENSITIVITY_KEYS: Record<Sensitivity, { name: MessageKey; summary: MessageKey }> = {
  conservative: { name: 'sensitivityConservative', summary: 'sensitivityConservativeSummary' },
  balanced: { name: 'sensitivityBalanced', summary: 'sensitivityBalancedSummary' },
  eager: { name: 'sensitivityEager', summary: 'sensitivityEagerSummary' },
};

function sensitivityDetail(level: SensitivityLevel): string {
  const thresholds = t('sensitivityThresholds', [pct(level.likelyAi), pct(level.uncertain)]);
  const m = level.measured;
  if (!m) return thresholds;
  return `${thresholds} ${t('sensitivityMeasured', [
    m.realClips,
    m.aiClips,
    pct(m.realAtLikelyAi),
    pct(m.realAtUncertain),
    pct(m.aiAtLikelyAi),
    pct(m.aiAtUncertain),
  ])}`;
}

function retentionLabel(days: ReportRetentionDays): string {
  return days === null ? t('retentionForever') : t('retentionDays', [days]);
}

interface ChoiceProps<T extends string> {
  legend: string;
  name: string;
  value: T;
  choices: ReadonlyArray<{ value: T; label: string; detail: string }>;
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
      setSiteError(t('sitesInvalid'));
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
        text: resetSettings ? t('clearDoneReset') : t('clearDone'),
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
        <h2 id="scan-heading">{t('scanHeading')}</h2>
        <Choice<ScanMode>
          legend={t('scanLegend')}
          name="scan-mode"
          value={prefs.scanMode}
          onChange={(scanMode) => void change({ scanMode })}
          choices={[
            { value: 'automatic', label: t('scanAutomatic'), detail: t('scanAutomaticDetail') },
            { value: 'on-request', label: t('scanOnRequest'), detail: t('scanOnRequestDetail') },
          ]}
        />
      </section>

      <section aria-labelledby="sites-heading">
        <h2 id="sites-heading">{t('sitesHeading')}</h2>
        <p className="hint">{t('sitesHint')}</p>
        {prefs.disabledSites.length === 0 ? (
          <p className="hint">{t('sitesNone')}</p>
        ) : (
          <ul className="sites" aria-label={t('sitesHeading')}>
            {prefs.disabledSites.map((site) => (
              <li key={site}>
                <span>{site}</span>
                <button
                  type="button"
                  onClick={() => void change({ disabledSites: prefs.disabledSites.filter((s) => s !== site) })}
                  aria-label={t('sitesTurnOnLabel', [site])}
                >
                  {t('sitesTurnOn')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <label htmlFor={siteId}>{t('sitesAddLabel')}</label>
        <div className="row">
          <input
            id={siteId}
            type="text"
            value={siteDraft}
            placeholder={t('sitesPlaceholder')}
            onChange={(e) => setSiteDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void addSite();
            }}
          />
          <button type="button" onClick={() => void addSite()} disabled={!siteDraft.trim()}>
            {t('sitesTurnOff')}
          </button>
        </div>
        {siteError && (
          <p className="status error" role="alert">
            {siteError}
          </p>
        )}
      </section>

      <section aria-labelledby="sensitivity-heading">
        <h2 id="sensitivity-heading">{t('sensitivityHeading')}</h2>
        <p className="hint">{t('sensitivityHint')}</p>
        <Choice<Sensitivity>
          legend={t('sensitivityHeading')}
          name="sensitivity"
          value={prefs.sensitivity}
          onChange={(sensitivity) => void change({ sensitivity })}
          choices={SENSITIVITIES.map((s) => ({
            value: s,
            label: t(SENSITIVITY_KEYS[s].name),
            detail: `${t(SENSITIVITY_KEYS[s].summary)} ${sensitivityDetail(CLASSIFIER_SENSITIVITY[s])}`,
          }))}
        />
      </section>

      <section aria-labelledby="budget-heading">
        <h2 id="budget-heading">{t('budgetHeading')}</h2>
        <Choice<FrameBudgetName>
          legend={t('budgetLegend')}
          name="frame-budget"
          value={prefs.frameBudget}
          onChange={(frameBudget) => void change({ frameBudget })}
          choices={[
            {
              value: 'standard',
              label: t('budgetStandard'),
              detail: t('budgetStandardDetail', [standard.framesPerVideo, standard.tab.burst, standard.tab.perMinute]),
            },
            {
              value: 'battery-saver',
              label: t('budgetSaver'),
              detail: t('budgetSaverDetail', [saver.framesPerVideo, saver.tab.burst, saver.tab.perMinute]),
            },
          ]}
        />
      </section>

      <section aria-labelledby="badges-heading">
        <h2 id="badges-heading">{t('badgesHeading')}</h2>
        <Choice<BadgePolicy>
          legend={t('badgesLegend')}
          name="badges"
          value={prefs.badges}
          onChange={(badges) => void change({ badges })}
          choices={[
            { value: 'all', label: t('badgesAll'), detail: t('badgesAllDetail') },
            { value: 'flagged', label: t('badgesFlagged'), detail: t('badgesFlaggedDetail') },
          ]}
        />
      </section>

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">{t('dataHeading')}</h2>
        <ul className="stored">
          <li>{t('dataResults')}</li>
          <li>{t('dataReports')}</li>
          <li>{t('dataEndpoint')}</li>
          <li>{t('dataRemembered')}</li>
          <li>{t('dataSettings')}</li>
          <li>{t('dataNothingSent')}</li>
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
            {t('rememberVerdictsLabel')}
          </label>
        </div>
        <p className="hint" id={`${rememberId}-detail`}>
          {t('rememberVerdictsHint')}
        </p>
        <label htmlFor={retentionId}>{t('dataRetentionLabel')}</label>
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
            {t('dataClear')}
          </button>
          <input
            id={resetId}
            type="checkbox"
            checked={resetSettings}
            onChange={(e) => setResetSettings(e.target.checked)}
          />
          <label htmlFor={resetId} className="inline">
            {t('dataAlsoReset')}
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
