import { type ChangeEvent, useEffect, useId, useState } from 'react';
import {
  clampProvenanceMaxBytes,
  parsePemCertificates,
  provenanceMaxBytesSetting,
  trustAnchorsSetting,
} from '../lib/settings/settings';
import { PreferenceSections } from './PreferenceSections';

const MB = 1024 * 1024;

type Status = { kind: 'idle' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

/** The options page: scanning, sites, sensitivity, frame budget, badges, data, trust anchors and file sizes. */
export function Options() {
  const [anchors, setAnchors] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [maxMb, setMaxMb] = useState(100);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const pemId = useId();
  const sizeId = useId();

  useEffect(() => {
    void trustAnchorsSetting.getValue().then((pem) => setAnchors(pem ? safeParse(pem) : []));
    void provenanceMaxBytesSetting.getValue().then((bytes) => setMaxMb(Math.round(bytes / MB)));
    // "Clear all data" with a reset, or another options tab, changes them behind this page's back.
    const unwatchAnchors = trustAnchorsSetting.watch((pem) => setAnchors(pem ? safeParse(pem) : []));
    const unwatchSize = provenanceMaxBytesSetting.watch((bytes) => setMaxMb(Math.round(bytes / MB)));
    return () => {
      unwatchAnchors();
      unwatchSize();
    };
  }, []);

  async function importPem(text: string) {
    try {
      const added = parsePemCertificates(text);
      const merged = [...new Set([...anchors, ...added])];
      await trustAnchorsSetting.setValue(merged.join('\n'));
      setAnchors(merged);
      setDraft('');
      setStatus({ kind: 'ok', text: `Imported ${added.length} certificate${added.length === 1 ? '' : 's'}.` });
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) await importPem(await file.text());
  }

  async function clearAnchors() {
    await trustAnchorsSetting.setValue('');
    setAnchors([]);
    setStatus({ kind: 'ok', text: 'Trust anchors removed.' });
  }

  async function saveSize(value: number) {
    setMaxMb(value);
    if (Number.isFinite(value) && value >= 1)
      await provenanceMaxBytesSetting.setValue(clampProvenanceMaxBytes(value * MB));
  }

  return (
    <main className="options">
      <h1>Provenance Lens settings</h1>
      <PreferenceSections />
      <section aria-labelledby="trust-heading">
        <h2 id="trust-heading">Content Credentials trust anchors</h2>
        <p>
          Provenance Lens ships no trust list it cannot vouch for. Until you import the root certificates of signers you
          trust, a valid signature reads “signature valid, signer not verified”.
        </p>
        <p className="count" aria-live="polite">
          {anchors.length === 0
            ? 'No trust anchors imported.'
            : `${anchors.length} trust anchor${anchors.length === 1 ? '' : 's'} imported.`}
        </p>
        <label htmlFor={pemId}>Paste PEM certificates</label>
        <textarea
          id={pemId}
          rows={6}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="-----BEGIN CERTIFICATE-----"
        />
        <div className="row">
          <button type="button" onClick={() => void importPem(draft)} disabled={!draft.trim()}>
            Import
          </button>
          <label className="file">
            Import a .pem file
            <input type="file" accept=".pem,.crt,.cer,text/plain" onChange={(e) => void onFile(e)} />
          </label>
          <button type="button" onClick={() => void clearAnchors()} disabled={anchors.length === 0}>
            Remove all
          </button>
        </div>
        {status.kind !== 'idle' && (
          <p className={`status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
      </section>
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

function safeParse(pem: string): string[] {
  try {
    return parsePemCertificates(pem);
  } catch {
    return [];
  }
}
