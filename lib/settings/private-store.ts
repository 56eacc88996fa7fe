/**
 * Settings that decide where data goes or whom to trust, kept where content
 * scripts cannot reach them.
 *
 * Why IndexedDB of the extension's own origin: content scripts run in every
 * page and can read and write `browser.storage.local` (and `storage.sync`)
 * whatever the manifest says, so a script injected into a compromised
 * content-script context, or a bug that lets page input reach a storage
 * write, could redirect reports or plant a trust anchor there.
 * `storage.session` can be closed to them (`TRUSTED_CONTEXTS`), but it lives
 * in memory and is gone when the browser closes, so a setting there would
 * not last. IndexedDB is per origin: the extension's pages and its background
 * share the `chrome-extension://<id>` (`moz-extension://<uuid>`) database,
 * while a content script's `indexedDB` is the page's own, so it can neither
 * read nor write these values. It persists like `storage.local`.
 *
 * Generic on purpose: any setting that must stay out of content scripts'
 * reach (the report endpoint and token, trust anchors) is one
 * {@link definePrivateItem} call.
 */
import type { WxtStorageItem } from 'wxt/utils/storage';

/** The database that holds the private settings (one object store of key → value). */
export const PRIVATE_DATABASE = 'provenance-lens-private';
const STORE = 'items';

/** A typed setting in the private store. */
export interface PrivateItem<T> {
  readonly key: string;
  readonly fallback: T;
  /** Whether a value is one this item holds. */
  readonly valid: (value: unknown) => value is T;
  /** The stored value, or the fallback when none is stored or the stored one is not valid. */
  getValue(): Promise<T>;
  /** Whether a value is stored (valid or not). */
  hasValue(): Promise<boolean>;
  setValue(value: T): Promise<void>;
  removeValue(): Promise<void>;
}

/** Options of {@link definePrivateItem}. */
export interface PrivateItemOptions<T> {
  fallback: T;
  /** Whether a stored value is one this version understands; others read as the fallback. */
  valid: (value: unknown) => value is T;
  /** The IndexedDB factory (tests pass their own); the context's `indexedDB` by default. */
  idb?: () => IDBFactory;
}

/**
 * Throws when called from a web page's origin: there `indexedDB` is the
 * page's, so a private setting would be written where the page reads it.
 * Only extension pages, the background, and Node tests get through.
 */
export function assertPrivateContext(location: { protocol: string } | undefined = globalThis.location): void {
  if (location && /^(https?|file|data|blob|about):$/.test(location.protocol))
    throw new Error('private settings are only available in the extension’s own pages and background');
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('private settings: request failed'));
  });
}

async function withStore<R>(
  idb: IDBFactory,
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<R>,
): Promise<R> {
  assertPrivateContext();
  const open = idb.open(PRIVATE_DATABASE, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  // Another page deleting or upgrading the database must not wait on this connection.
  db.onversionchange = () => db.close();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('private settings: transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('private settings: transaction aborted'));
    });
    const result = await request(work(tx.objectStore(STORE)));
    await done;
    return result;
  } finally {
    db.close();
  }
}

/** Defines a typed setting kept in the private store under `key`. */
export function definePrivateItem<T>(key: string, options: PrivateItemOptions<T>): PrivateItem<T> {
  const idb = options.idb ?? (() => indexedDB);
  return {
    key,
    fallback: options.fallback,
    valid: options.valid,
    async getValue() {
      const value: unknown = await withStore(idb(), 'readonly', (s) => s.get(key));
      return options.valid(value) ? value : options.fallback;
    },
    async hasValue() {
      return (await withStore(idb(), 'readonly', (s) => s.count(key))) > 0;
    },
    async setValue(value) {
      await withStore(idb(), 'readwrite', (s) => s.put(value, key));
    },
    async removeValue() {
      await withStore(idb(), 'readwrite', (s) => s.delete(key));
    },
  };
}

/**
 * Moves a setting an earlier version kept in `storage.local` into the
 * private store: a valid old value is copied unless the private store has
 * one already, then the old item and its version metadata are removed, so
 * nothing content scripts can reach still steers the extension. Idempotent;
 * the background runs it at start and readers before their first read.
 */
export async function moveToPrivateStore<T>(
  legacy: WxtStorageItem<T, Record<string, unknown>>,
  item: PrivateItem<T>,
): Promise<void> {
  const old: unknown = await legacy.getValue();
  if (old !== legacy.fallback && item.valid(old) && !(await item.hasValue())) await item.setValue(old);
  await legacy.removeValue({ removeMeta: true });
}
