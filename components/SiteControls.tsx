import { useEffect, useId, useState } from 'react';
import { browser } from 'wxt/browser';
import { settingsMessenger } from '../lib/messaging/protocol';
import { disablingEntry, normaliseHostname, PREFERENCE_DEFAULTS, withSite } from '../lib/settings/preferences';
import { readPreferences, updatePreferences, watchPreferences } from '../lib/settings/settings';
import { t } from '../lib/present/i18n';
import './site-controls.css';

/** Props of {@link SiteControls}. */
export interface SiteControlsProps {
  tabId: number;
}

/**
 * The popup's controls for the current site: turn the extension on or off
 * here, and, when scanning is "on request", scan this page now.
 */
export function SiteControls({ tabId }: SiteControlsProps) {
  const [hostname, setHostname] = useState<string | null>(null);
  const [preferences, setPreferences] = useState(PREFERENCE_DEFAULTS);
  const [scanRequested, setScanRequested] = useState(false);
  const switchId = useId();

  useEffect(() => {
    void browser.tabs
      .get(tabId)
      .then((tab) => setHostname(tab.url ? new URL(tab.url).hostname : ''))
      .catch(() => setHostname(''));
    void readPreferences().then(setPreferences);
    void settingsMessenger
      .sendMessage('scanState', { tabId })
      .then(setScanRequested)
      .catch(() => undefined);
    return watchPreferences(setPreferences);
  }, [tabId]);

  // Pages the extension cannot run on (the browser's own, the extension store) have no site to switch.
  if (hostname === null || !normaliseHostname(hostname)) return null;
  const entry = disablingEntry(preferences, hostname);
  const enabled = entry === null;

  async function toggle(on: boolean) {
    setPreferences((current) => withSite(current, hostname!, on));
    setPreferences(await updatePreferences((current) => withSite(current, hostname!, on)));
  }

  async function scan() {
    await settingsMessenger.sendMessage('scanTab', { tabId });
    setScanRequested(true);
  }

  return (
    <section className="site-controls" aria-label={t('siteSection')}>
      <div className="site-switch">
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          checked={enabled}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <label htmlFor={switchId}>{t('siteAnalyse', [hostname])}</label>
      </div>
      {!enabled && (
        <p className="site-state">
          {entry !== normaliseHostname(hostname) ? t('siteOffWithin', [entry ?? '']) : t('siteOff')}
        </p>
      )}
      {enabled && preferences.scanMode === 'on-request' && (
        <div className="scan-request">
          {scanRequested ? (
            <p className="site-state" role="status">
              {t('siteScanning')}
            </p>
          ) : (
            <>
              <p className="site-state">{t('siteOnRequest')}</p>
              <button type="button" onClick={() => void scan()}>
                {t('siteScan')}
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
