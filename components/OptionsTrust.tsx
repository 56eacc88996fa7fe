import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { browser } from 'wxt/browser';
import type { TrustListRef } from '../lib/core/signals';
import { BUNDLED_TRUST_DIR, bundledListInfo, listOutOfDate, type TrustChoice } from '../lib/provenance/trust';
import { parsePemCertificates } from '../lib/settings/settings';
import { TRUST_DEFAULTS, TrustSettingsStore, watchTrustSettings } from '../lib/settings/trust-settings';

type Status = { kind: 'idle' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

const store = new TrustSettingsStore();

/** The bundled lists' names and dates, read from the extension's own `trust/lists.json`. */
export function loadBundledListInfo(): Promise<TrustListRef[]> {
  return bundledListInfo(async (file) => {
    const response = await fetch(browser.runtime.getURL(`/${BUNDLED_TRUST_DIR}/${file}` as '/'));
    if (!response.ok) throw new Error(`trust list ${file} missing from the extension (${response.status})`);
    return response.text();
  });
}

/** A date as the user reads it (the day only), or the raw text when it is not one. */
export function formatListDate(iso: string | undefined): string {
  if (!iso) return 'not given';
  const time = Date.parse(iso);
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : iso;
}

const LIST_LABELS: Record<'official' | 'legacy', { title: string; about: string }> = {
  official: {
    title: 'Official C2PA Trust List',
    about: 'The signers and time-stamping authorities of the C2PA conformance program.',
  },
  legacy: {
    title: 'Interim trust list (legacy)',
    about:
      'The list the Content Credentials verify site used until it was frozen on 2026-01-01. Content signed under it still validates, shown as “legacy”.',
  },
};

function safeParse(pem: string): string[] {
  try {
    return parsePemCertificates(pem);
  } catch {
    return [];
  }
}

/**
 * The options page's trust section: each bundled list on or off with its dates, and the user's own anchors.
 * Everything here is kept in the extension-only trust store (lib/settings/trust-settings.ts), out of reach
 * of content scripts.
 */
export function OptionsTrust() {
  const [choice, setChoice] = useState<TrustChoice>(TRUST_DEFAULTS);
  const [lists, setLists] = useState<TrustListRef[] | null>(null);
  const [listsError, setListsError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const pemId = useId();
  const anchors = choice.userAnchors ? safeParse(choice.userAnchors) : [];

  useEffect(() => {
    const reload = () => void store.read().then(setChoice);
    reload();
    loadBundledListInfo().then(setLists, (error: unknown) =>
      setListsError(error instanceof Error ? error.message : String(error)),
    );
    // "Clear all data" with a reset, or another options tab, changes them behind this page's back.
    return watchTrustSettings(reload);
  }, []);

  async function toggle(id: 'official' | 'legacy', on: boolean) {
    // At once, so the controlled checkbox follows the click; then the store's answer.
    setChoice((c) => ({ ...c, lists: { ...c.lists, [id]: on } }));
    setChoice(await store.update((c) => ({ ...c, lists: { ...c.lists, [id]: on } })));
  }

  async function importPem(text: string) {
    try {
      const added = parsePemCertificates(text);
      const merged = [...new Set([...anchors, ...added])];
      setChoice(await store.update((c) => ({ ...c, userAnchors: merged.join('\n') })));
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
    setChoice(await store.update((c) => ({ ...c, userAnchors: '' })));
    setStatus({ kind: 'ok', text: 'Trust anchors removed.' });
  }

  return (
    <>
      <section aria-labelledby="trust-lists-heading">
        <h2 id="trust-lists-heading">Content Credentials trust lists</h2>
        <p>
          A signature is “verified” when its signer is on a list you use. A valid signature from anyone else reads
          “signed, but not by anyone on the trust lists”: neither a pass nor a failure.
        </p>
        {listsError && (
          <p className="status error" role="alert">
            The bundled lists could not be read: {listsError}
          </p>
        )}
        {(lists ?? []).map((list) => {
          if (list.id === 'user') return null;
          const outOfDate = listOutOfDate(list);
          return (
            <div className="trust-list" key={list.id} data-list={list.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={choice.lists[list.id]}
                  onChange={(e) => void toggle(list.id as 'official' | 'legacy', e.target.checked)}
                />
                Use the {LIST_LABELS[list.id].title}
              </label>
              <p className="hint">
                {LIST_LABELS[list.id].about} {list.name}: issued {formatListDate(list.issued)}
                {list.nextUpdate ? `, next update due ${formatListDate(list.nextUpdate)}` : ', no further updates'}.
              </p>
              {outOfDate && (
                <p className="status error list-out-of-date">
                  Out of date: this copy was due to be replaced on {formatListDate(list.nextUpdate)}. It still
                  validates; an update of the extension brings the new list.
                </p>
              )}
            </div>
          );
        })}
      </section>
      <section aria-labelledby="trust-heading">
        <h2 id="trust-heading">Your own trust anchors</h2>
        <p>Root certificates of signers you trust yourself (a newsroom, your own camera), on top of the lists above.</p>
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
    </>
  );
}
