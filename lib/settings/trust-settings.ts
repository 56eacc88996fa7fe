import type { TrustChoice } from '../provenance/trust';
import { TRUST_MIGRATIONS } from './migrations';
import { ownFields } from './own-fields';
import { parsePemCertificates, trustAnchorsSetting } from './settings';
import { TRUST_DEFAULTS, TRUST_RECORD_VERSION, trustChoiceSchema, type TrustRecord } from './trust-schema';

export { TRUST_DEFAULTS, TRUST_RECORD_VERSION, trustChoiceSchema, trustRecordSchema } from './trust-schema';
export type { TrustRecord } from './trust-schema';

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
 * The record is versioned like the `@wxt-dev/storage` items: `version` says its shape (trust-schema.ts), and
 * {@link migrateTrustRecord} brings an older one up to date through the steps in migrations/. Version 0 is "no record yet": the anchors
 * imported before this store existed (`local:trustAnchors`) are moved here once, from the extension's own
 * context only, and the `storage.local` key is then removed, so what a page writes there later is never read.
 */
export const TRUST_DATABASE = 'provenance-lens-trust';
const STORE = 'settings';
const KEY = 'trust';

/** Repairs a stored value: unknown fields dropped, wrong types take the default. */
export function normaliseTrustChoice(value: unknown): TrustChoice {
  return trustChoiceSchema.parse(value);
}

/** Brings a stored record (or none: version 0) up to {@link TRUST_RECORD_VERSION}. */
export async function migrateTrustRecord(stored: unknown, legacyAnchors: () => Promise<string>): Promise<TrustRecord> {
  // Only the record's own field counts; a version that is not a whole number reads as 0, "no record".
  const stated = Number(ownFields(stored).version);
  const version = Number.isInteger(stated) && stated > 0 ? stated : 0;
  let value: unknown = stored;
  for (let v = version + 1; v <= TRUST_RECORD_VERSION; v++) {
    const step = TRUST_MIGRATIONS[v];
    if (step) value = await step(value, legacyAnchors);
  }
  return { ...normaliseTrustChoice(value), version: Math.max(version, TRUST_RECORD_VERSION) };
}

/** The anchors `storage.local` held before this store: valid PEM only, so a damaged value imports nothing. */
async function takeLocalAnchors(): Promise<string> {
  // Typed as a string, but storage.local holds whatever a content script wrote there.
  const pem: unknown = await trustAnchorsSetting.getValue();
  if (typeof pem !== 'string' || !pem.trim()) return '';
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
      if (ownFields(stored).version === TRUST_RECORD_VERSION) return normaliseTrustChoice(stored);
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
