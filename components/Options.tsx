import { useEffect, useId, useState } from 'react';
import {
  clampProvenanceMaxBytes,
  provenanceMaxBytesSetting,
  readProvenanceMaxBytes,
  watchProvenanceMaxBytes,
} from '../lib/settings/settings';
import { OptionsTrust } from './OptionsTrust';
import { PreferenceSections } from './PreferenceSections';
import { t } from '../lib/present/i18n';

const MB = 1024 * 1024;

/** The options page: scanning, sites, sensitivity, frame budget, badges, data, trust lists and anchors, file sizes. */
export function Options() {
  const [maxMb, setMaxMb] = useState(100);
  const sizeId = useId();

  useEffect(() => {
    void readProvenanceMaxBytes().then((bytes) => setMaxMb(Math.round(bytes / MB)));
    // "Clear all data" with a reset, or another options tab, changes it behind this page's back.
    return watchProvenanceMaxBytes((bytes) => setMaxMb(Math.round(bytes / MB)));
  }, []);

  async function saveSize(value: number) {
    setMaxMb(value);
    if (Number.isFinite(value) && value >= 1)
      await provenanceMaxBytesSetting.setValue(clampProvenanceMaxBytes(value * MB));
  }

  return (
    <main className="options">
      <h1>{t('optionsHeading')}</h1>
      <PreferenceSections />
      <OptionsTrust />
      <section aria-labelledby="size-heading">
        <h2 id="size-heading">{t('optionsSizeHeading')}</h2>
        <label htmlFor={sizeId}>{t('optionsSizeLabel')}</label>
        <input
          id={sizeId}
          type="number"
          min={1}
          max={4096}
          value={maxMb}
          onChange={(e) => void saveSize(Number(e.target.value))}
        />
        <p className="hint">{t('optionsSizeHint')}</p>
      </section>
    </main>
  );
}
