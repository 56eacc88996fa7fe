/** The IndexedDB database that keeps the report history (named here so every context deletes the same one). */
export const REPORT_DATABASE = 'provenance-lens-reports';

/**
 * Deletes the report history database. Resolves `deleted` once it is gone,
 * or `blocked` when a page still holds it open: the browser then deletes it
 * as soon as that page closes its connection (pages that keep the database
 * open close it on `versionchange`).
 */
export function deleteReportDatabase(idb: IDBFactory = indexedDB): Promise<'deleted' | 'blocked'> {
  return new Promise((resolve, reject) => {
    const request = idb.deleteDatabase(REPORT_DATABASE);
    request.onsuccess = () => resolve('deleted');
    request.onerror = () => reject(request.error ?? new Error('the report history could not be deleted'));
    request.onblocked = () => resolve('blocked');
  });
}

/** The scan requests of "on request" mode, by tab, kept where a restarted background finds them. */
export class ScanRequests {
  static readonly KEY = 'scanRequests';
  private tabs: Set<number> | null = null;

  constructor(
    private readonly area: {
      get(key: string): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    },
  ) {}

  /** Whether the user asked for the tab's current page to be scanned. */
  async has(tabId: number): Promise<boolean> {
    return (await this.load()).has(tabId);
  }

  /** Records a request for the tab. */
  async add(tabId: number): Promise<void> {
    const tabs = await this.load();
    tabs.add(tabId);
    await this.save(tabs);
  }

  /** Forgets the tab's request (it loaded another page, or closed). */
  async remove(tabId: number): Promise<void> {
    const tabs = await this.load();
    if (!tabs.delete(tabId)) return;
    await this.save(tabs);
  }

  /** Forgets every request (the storage area was cleared). */
  reset(): void {
    this.tabs = new Set();
  }

  private async load(): Promise<Set<number>> {
    if (this.tabs) return this.tabs;
    const stored = (await this.area.get(ScanRequests.KEY))[ScanRequests.KEY];
    this.tabs ??= new Set(Array.isArray(stored) ? stored.filter((id): id is number => Number.isInteger(id)) : []);
    return this.tabs;
  }

  private save(tabs: Set<number>): Promise<void> {
    return this.area.set({ [ScanRequests.KEY]: [...tabs] });
  }
}
