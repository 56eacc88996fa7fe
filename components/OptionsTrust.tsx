import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { browser } from 'wxt/browser';
import type { TrustListRef } from '../lib/core/signals';
import {
  BUNDLED_TRUST_DIR,
  bundledListInfo,
  bundledProductListInfo,
  listOutOfDate,
  type ProductListInfo,
  type TrustChoice,
} from '../lib/provenance/trust';
import { parsePemCertificates } from '../lib/settings/settings';
import { TRUST_DEFAULTS, TrustSettingsStore, watchTrustSettings } from '../lib/settings/trust-settings';
import { type MessageKey, plural, t } from '../lib/present/i18n';
import { dayText } from '../lib/present/words';

type Status = { kind: 'idle' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

const store = new TrustSettingsStore();

/** A file of the extension's own `trust/` folder, as text. */
async function readBundledFile(file: string): Promise<string> {
  const response = await fetch(browser.runtime.getURL(`/${BUNDLED_TRUST_DIR}/${file}` as '/'));
  if (!response.ok) throw new Error(`trust list ${file} missing from the extension (${response.status})`);
  return response.text();
}

/** The bundled lists' names and dates, read from the extension's own `trust/lists.json`. */
export function loadBundledListInfo(): Promise<TrustListRef[]> {
  return bundledListInfo(readBundledFile);
}

/** The bundled conforming products list's name, date and size, from the same `trust/lists.json`. */
export function loadProductListInfo(): Promise<ProductListInfo | null> {
  return bundledProductListInfo(readBundledFile);
}

/** The products list's date line: its date, its size, and its next update where it announces one. */
function productListDates(list: ProductListInfo): string {
  return list.nextUpdate
    ? plural('productListDatesNext', list.products, [dayText(list.issued), dayText(list.nextUpdate)])
    : plural('productListDates', list.products, [dayText(list.issued)]);
}

const LIST_LABELS: Record<'official' | 'legacy', { use: MessageKey; about: MessageKey }> = {
  official: { use: 'trustUseOfficial', about: 'trustAboutOfficial' },
  legacy: { use: 'trustUseLegacy', about: 'trustAboutLegacy' },
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
  const [products, setProducts] = useState<ProductListInfo | null>(null);
  const [draft, setDraft] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const pemId = useId();
  const anchors = choice.userAnchors ? safeParse(choice.userAnchors) : [];

  useEffect(() => {
    const reload = () => void store.read().then(setChoice);
    reload();
    const failed = (error: unknown) => setListsError(error instanceof Error ? error.message : String(error));
    loadBundledListInfo().then(setLists, failed);
    loadProductListInfo().then(setProducts, failed);
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
      setStatus({ kind: 'ok', text: plural('trustImported', added.length) });
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
    setStatus({ kind: 'ok', text: t('trustRemoved') });
  }

  return (
    <>
      <section aria-labelledby="trust-lists-heading">
        <h2 id="trust-lists-heading">{t('trustListsHeading')}</h2>
        <p>{t('trustListsAbout')}</p>
        {listsError && (
          <p className="status error" role="alert">
            {t('trustListsError', [listsError])}
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
                {t(LIST_LABELS[list.id].use)}
              </label>
              <p className="hint">
                {t(LIST_LABELS[list.id].about)}{' '}
                {list.nextUpdate
                  ? t('trustListDatesNext', [list.name, dayText(list.issued), dayText(list.nextUpdate)])
                  : t('trustListDatesFinal', [list.name, dayText(list.issued)])}
              </p>
              {outOfDate && (
                <p className="status error list-out-of-date">{t('trustListOutOfDate', [dayText(list.nextUpdate)])}</p>
              )}
            </div>
          );
        })}
        {products && (
          <div className="product-list" data-list="products">
            <h3>{t('productListHeading')}</h3>
            <p className="hint">
              {t('productListAbout')} {productListDates(products)}
            </p>
            {listOutOfDate(products) && (
              <p className="status error list-out-of-date">
                {t('productListOutOfDate', [dayText(products.nextUpdate)])}
              </p>
            )}
          </div>
        )}
      </section>
      <section aria-labelledby="trust-heading">
        <h2 id="trust-heading">{t('trustAnchorsHeading')}</h2>
        <p>{t('trustAnchorsAbout')}</p>
        <p className="count" aria-live="polite">
          {anchors.length === 0 ? t('trustAnchorsNone') : plural('trustAnchorsCount', anchors.length)}
        </p>
        <label htmlFor={pemId}>{t('trustPasteLabel')}</label>
        <textarea
          id={pemId}
          rows={6}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={t('trustPastePlaceholder')}
        />
        <div className="row">
          <button type="button" onClick={() => void importPem(draft)} disabled={!draft.trim()}>
            {t('trustImport')}
          </button>
          <label className="file">
            {t('trustImportFile')}
            <input type="file" accept=".pem,.crt,.cer,text/plain" onChange={(e) => void onFile(e)} />
          </label>
          <button type="button" onClick={() => void clearAnchors()} disabled={anchors.length === 0}>
            {t('trustRemoveAll')}
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
