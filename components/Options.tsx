import { useEffect, useId, useState } from 'react';
import { clampProvenanceMaxBytes, provenanceMaxBytesSetting } from '../lib/settings/settings';
import { OptionsTrust } from './OptionsTrust';
import { PreferenceSections } from './PreferenceSections';

const MB = 1024 * 1024;

/** The options page: scanning, sites, sensitivity, frame budget, badges, data, trust lists and anchors, file sizes. */
export function Options() {
  const [maxMb, setMaxMb] = useState(100);
  const sizeId = useId();

  useEffect(() => {
    void provenanceMaxBytesSetting.getValue().then((bytes) => setMaxMb(Math.round(bytes / MB)));
    // "Clear all data" with a reset, or another options tab, changes it behind this page's back.
    return provenanceMaxBytesSetting.watch((bytes) => setMaxMb(Math.round(bytes / MB)));
  }, []);

  async function saveSize(value: number) {
    setMaxMb(value);
    if (Number.isFinite(value) && value >= 1)
      await provenanceMaxBytesSetting.setValue(clampProvenanceMaxBytes(value * MB));
  }

  return (
    <main className="options">
      <h1>Provenance Lens settings</h1>
      <PreferenceSections />
      <OptionsTrust />
      <section aria-labelledby="size-heading">
        <h2 id="size-heading">Checking video files</h2>
        <label htmlFor={sizeId}>Largest file fetched to verify its Content Credentials (MB)</label>
        <input
          id={sizeId}
          type="number"
          min={1}
          max={4096}
          value={maxMb}
          onChange={(e) => void saveSize(Number(e.target.value))}
        />
        <p className="hint">Larger files show “file too large to verify”. Files are fetched without cookies.</p>
      </section>
    </main>
  );
}
