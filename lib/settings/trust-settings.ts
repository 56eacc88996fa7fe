import { DEFAULT_TRUST_LISTS, type TrustChoice } from '../provenance/trust';
import { parsePemCertificates, trustAnchorsSetting } from './settings';

/**
 * Where the trust settings live: the IndexedDB database of the extension's own origin.
 *
 * Why not `storage.local` like the other settings: content scripts run inside every page and can read and
 * write `storage.local` (Chrome and Firefox alike; only `storage.session` can be closed to them), so a page
 * that compromised its content script could import its own root and have its forged "Verified capture"
 * trusted, or turn the official lists off. IndexedDB belongs to an origin: content scripts only reach the
 * page's own, never the extension's, so only the extension's pages (options, background, offscreen) can
 * read or write these. The other settings stay in `storage.local`: none of them can make a verdict
 * more trusting than the evidence.
 *
 * The record is versioned like the `@wxt-dev/storage` items: `version` says its shape, and
 * {@link migrateTrustRecord} brings an older one up to date. Version 0 is "no record yet": the anchors
 * imported before this store existed (`local:trustAnchors`) are moved here once, from the extension's own
 * context only, and the `storage.local` key is then removed, so what a page writes there later is never read.
 */
export const TRUST_DATABASE = 'provenance-lens-trust';
const STORE = 'settings';
const KEY = 'trust';

/** The current shape of the stored trust settings. */
export const TRUST_RECORD_VERSION = 1;

/** The stored record. */
export interface TrustRecord extends TrustChoice {
  version: number;
}

/** The settings before the user changes anything: every bundled list on, no anchors of their own. */
export const TRUST_DEFAULTS: TrustChoice = { lists: DEFAULT_TRUST_LISTS, userAnchors: '' };

/** Repairs a stored value: unknown fields dropped, wrong types take the default. */
export function normaliseTrustChoice(value: unknown): TrustChoice {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Partial<TrustRecord>;
  const lists = (typeof v.lists === 'object' && v.lists !== null ? v.lists : {}) as Partial<TrustChoice['lists']>;
  return {
    lists: {
      official: typeof lists.official === 'boolean' ? lists.official : TRUST_DEFAULTS.lists.official,
      legacy: typeof lists.legacy === 'boolean' ? lists.legacy : TRUST_DEFAULTS.lists.legacy,
    },
    userAnchors: typeof v.userAnchors === 'string' ? v.userAnchors : '',
  };
}

/**
 * The migrations of the stored record, each from the version before it. 1: the first record, made from the
 * anchors `storage.local` held (the bundled lists, new then, on by default).
 */
const MIGRATIONS: Record<number, (old: unknown, legacyAnchors: () => Promise<string>) => Promise<unknown>> = {
  1: async (_old, legacyAnchors) => ({ ...TRUST_DEFAULTS, userAnchors: await legacyAnchors() }),
};

/** Brings a stored record (or none: version 0) up to {@link TRUST_RECORD_VERSION}. */
export async function migrateTrustRecord(stored: unknown, legacyAnchors: () => Promise<string>): Promise<TrustRecord> {
  const version = typeof stored === 'object' && stored !== null ? Number((stored as TrustRecord).version) || 0 : 0;
  let value: unknown = stored;
  for (let v = version + 1; v <= TRUST_RECORD_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step) value = await step(value, legacyAnchors);
  }
  return { ...normaliseTrustChoice(value), version: Math.max(version, TRUST_RECORD_VERSION) };
}

/** The anchors `storage.local` held before this store: valid PEM only, so a damaged value imports nothing. */
async function takeLocalAnchors(): Promise<string> {
  const pem = await trustAnchorsSetting.getValue();
  if (!pem.trim()) return '';
  try {
    return parsePemCertificates(pem).join('\n');
  } catch {
    return '';
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('the trust settings could not be read'));
  });
}

/** The extension-only store of the trust settings (see the comment at the top of this module). */
export class TrustSettingsStore {
  constructor(private readonly idb: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    const req = this.idb.open(TRUST_DATABASE, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    return request(req);
  }

  /** The user's trust settings, migrated (and moved out of `storage.local`) on first read. */
  async read(): Promise<TrustChoice> {
    const db = await this.open();
    try {
      const stored = await request(db.transaction(STORE).objectStore(STORE).get(KEY));
      if (stored && (stored as TrustRecord).version === TRUST_RECORD_VERSION) return normaliseTrustChoice(stored);
      const record = await migrateTrustRecord(stored, takeLocalAnchors);
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(record, KEY));
      await trustAnchorsSetting.removeValue({ removeMeta: true });
      return normaliseTrustChoice(record);
    } finally {
      db.close();
    }
  }

  /** Applies a change and returns the stored result. */
  async update(change: (current: TrustChoice) => TrustChoice): Promise<TrustChoice> {
    const next = normaliseTrustChoice(change(await this.read()));
    const db = await this.open();
    try {
      const record: TrustRecord = { ...next, version: TRUST_RECORD_VERSION };
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(record, KEY));
    } finally {
      db.close();
    }
    notifyTrustChanged();
    return next;
  }

  /** Forgets the trust settings (Clear all data with "Also reset settings"): the defaults apply again. */
  async reset(): Promise<void> {
    const db = await this.open();
    try {
      const record: TrustRecord = { ...TRUST_DEFAULTS, version: TRUST_RECORD_VERSION };
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(record, KEY));
    } finally {
      db.close();
    }
    notifyTrustChanged();
  }
}

/**
 * Extension pages that show the trust settings (options, detail) hear of a change on this channel. A
 * BroadcastChannel reaches only same-origin contexts, so no page can send on it.
 */
const CHANNEL = 'provenance-lens-trust';

function notifyTrustChanged(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

/** Calls back when another extension page changed the trust settings; returns the unwatch function. */
export function watchTrustSettings(onChange: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = () => onChange();
  return () => channel.close();
}
