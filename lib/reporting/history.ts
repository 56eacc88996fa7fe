import type { ReportBundle } from './schema';
import type { ReportFiles } from './zip';

/** Name of the IndexedDB database of kept reports ("clear all data" deletes it by this name). */
export const REPORTS_DB = 'provenance-lens-reports';
const STORE = 'reports';
const DB_VERSION = 1;

/** Where a report went, as the history records it. */
export type ReportDestination =
  | { kind: 'kept'; at: string }
  | { kind: 'exported'; at: string }
  | { kind: 'platform'; at: string; url: string }
  | { kind: 'endpoint'; at: string; url: string; ok: boolean; status: number | null; attempts: number; detail: string };

/** One kept report. */
export interface StoredReport extends ReportFiles {
  id: string;
  createdAt: string;
  destinations: ReportDestination[];
}

/** A line of the history list (without the frames' bytes). */
export interface ReportListItem {
  id: string;
  createdAt: string;
  bundle: ReportBundle;
  destinations: ReportDestination[];
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * The local report history in IndexedDB: nothing is kept unless the user
 * keeps, sends or exports a report. Each call opens the database briefly so
 * that "clear all data" can delete it at any time.
 */
export class ReportHistory {
  constructor(private readonly idb: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    const req = this.idb.open(REPORTS_DB, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
    };
    return request(req).then((db) => {
      // "Clear all data" deletes the database; a connection still open would block it.
      db.onversionchange = () => db.close();
      return db;
    });
  }

  private async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    try {
      const tx = db.transaction(STORE, mode);
      const result = await request(work(tx.objectStore(STORE)));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      });
      return result;
    } finally {
      db.close();
    }
  }

  /** Whether the database exists at all. */
  private async exists(): Promise<boolean> {
    return (await this.idb.databases()).some((d) => d.name === REPORTS_DB);
  }

  /** Keeps a report, recording where it went so far. */
  async add(report: ReportFiles, destination: ReportDestination): Promise<StoredReport> {
    const stored: StoredReport = {
      id: report.bundle.id,
      createdAt: report.bundle.createdAt,
      bundle: report.bundle,
      frames: report.frames,
      destinations: [destination],
    };
    await this.run('readwrite', (store) => store.put(stored));
    return stored;
  }

  /** One report with its frames, or null. */
  async get(id: string): Promise<StoredReport | null> {
    if (!(await this.exists())) return null;
    return ((await this.run('readonly', (store) => store.get(id))) as StoredReport | undefined) ?? null;
  }

  /** Every kept report, newest first. */
  async all(): Promise<StoredReport[]> {
    // Looking at an empty history must not create the database: nothing is kept before the user keeps something.
    if (!(await this.exists())) return [];
    const reports = (await this.run('readonly', (store) => store.getAll())) as StoredReport[];
    return reports.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The history list, newest first. */
  async list(): Promise<ReportListItem[]> {
    return (await this.all()).map(({ id, createdAt, bundle, destinations }) => ({
      id,
      createdAt,
      bundle,
      destinations,
    }));
  }

  /** Records another place the report went. */
  async record(id: string, destination: ReportDestination): Promise<StoredReport> {
    const report = await this.get(id);
    if (!report) throw new Error(`no report ${id} in the history`);
    report.destinations = [...report.destinations, destination];
    await this.run('readwrite', (store) => store.put(report));
    return report;
  }

  /**
   * Deletes every report whose creation time `expired` accepts (the user's
   * retention period); returns how many went. An absent history stays absent.
   */
  async prune(expired: (createdAtMs: number) => boolean): Promise<number> {
    const gone = (await this.all()).filter((r) => expired(Date.parse(r.createdAt)));
    for (const report of gone) await this.delete(report.id);
    return gone.length;
  }

  /** Deletes one report. */
  async delete(id: string): Promise<void> {
    await this.run('readwrite', (store) => store.delete(id));
  }
}
