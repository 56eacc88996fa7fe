import type { FrameRecord } from '../core/report';
import type { Signal } from '../core/signals';
import { hexHammingDistance } from '../core/frame-hash';

export { hexHammingDistance };

/** The IndexedDB database of the verdict cache (named here so "Clear all data" deletes the same one). */
export const VERDICT_CACHE_DATABASE = 'provenance-lens-verdicts';
const STORE = 'verdicts';
/** How long a judged clip is remembered: long enough for a reload or the same post in another tab, not for ever. */
export const VERDICT_CACHE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Most clips remembered; the oldest go first. */
export const VERDICT_CACHE_MAX_ENTRIES = 2000;
/**
 * Two frames are compared only when their media times are this close (seconds): a feed that starts a clip again
 * shows its first frames at nearly the same times, and frames far apart in time say nothing about each other.
 */
export const SAME_MOMENT_S = 0.5;
/** Most differing bits (of 64) between two renderings of the same moment; the pixel check's own tolerance. */
export const CACHE_HASH_TOLERANCE = 12;

/** A frame the page rendered: its media time and perceptual hash (16 hex digits). */
export interface CachedFrame {
  mediaTime: number;
  hash: string;
}

/** What is kept of a judged video: the evidence about the media, never what the page around it said. */
export interface CachedJudgement {
  /** Signals about the clip itself; platform labels and post text belong to a page and are not kept. */
  signals: Signal[];
  frames: FrameRecord[];
  framesAnalysed: number;
  blankFrames: number;
  thumbnail: string | null;
  /**
   * The frame classifier (`name@version`) whose logits the frame log holds: another model reads logits
   * differently, so its judgements are not reused.
   */
  frameModel: string;
}

/** What {@link VerdictCache.recall} found. */
export type Recall =
  /** The setting is off, or the address is not one the cache keeps (`blob:`, `data:`, cut): nothing was read. */
  | { status: 'off' }
  /** Nothing remembered for the address (or only past its time, or made by another classifier). */
  | { status: 'none' }
  /** Remembered, but no remembered frame is of this frame's moment: another frame may still match. */
  | { status: 'other-moment' }
  /** A remembered frame of the same moment shows another picture: the address now serves other content. */
  | { status: 'mismatch' }
  /** The same picture at the same moment: the judgement, made at `judgedAt` (ms since epoch). */
  | { status: 'hit'; judgement: CachedJudgement; judgedAt: number };

/** One remembered clip. */
export interface VerdictCacheEntry {
  /** SHA-256 of the media URL (the URL itself is not kept). */
  key: string;
  savedAt: number;
  /** Hashes of frames the page rendered, which a second viewing must match before the judgement is reused. */
  frames: CachedFrame[];
  judgement: CachedJudgement;
}

/** Where entries live; {@link IdbVerdictStore} in the extension, a map in tests. */
export interface VerdictStore {
  get(key: string): Promise<VerdictCacheEntry | undefined>;
  put(entry: VerdictCacheEntry): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops entries saved before `olderThan` and, past `maxEntries`, the oldest. */
  prune(olderThan: number, maxEntries: number): Promise<void>;
  /** Removes every entry ({@link IdbVerdictStore} deletes its whole database). */
  clear(): Promise<void>;
}

/** Signal kinds that describe the media and may be reused on another page showing the same clip. */
const MEDIA_SIGNALS: ReadonlySet<Signal['kind']> = new Set(['provenance', 'watermark', 'classifier']);

/**
 * Keeps only the signals that belong to the clip, not to the page it was seen on. A poster image's credentials are
 * the page's choice of poster (another page may show the same clip with another one), so they are not kept either.
 */
export function mediaSignals(signals: readonly Signal[]): Signal[] {
  return signals.filter((s) => MEDIA_SIGNALS.has(s.kind) && !(s.kind === 'provenance' && s.source === 'image'));
}

/**
 * The cache key of a media URL: SHA-256 of the URL without its fragment, for `http(s)` URLs only. `blob:` and
 * `data:` sources name nothing that another page could show again, so they are never cached.
 */
export async function mediaKey(url: string): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.hash = '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parsed.href));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Compares a frame the page renders now with the remembered frame nearest its moment: `match` when it shows what
 * that frame showed, `mismatch` when it shows something else, `other-moment` when no remembered frame is within
 * {@link SAME_MOMENT_S}. A URL alone is not enough: a server may answer the same URL with other bytes, and a
 * judgement must never move to pixels it was not made on.
 */
export function compareFrame(
  remembered: readonly CachedFrame[],
  frame: CachedFrame,
): 'match' | 'mismatch' | 'other-moment' {
  let nearest: CachedFrame | null = null;
  for (const r of remembered) {
    const gap = Math.abs(r.mediaTime - frame.mediaTime);
    if (gap <= SAME_MOMENT_S && (!nearest || gap < Math.abs(nearest.mediaTime - frame.mediaTime))) nearest = r;
  }
  if (nearest === null) return 'other-moment';
  return hexHammingDistance(nearest.hash, frame.hash) <= CACHE_HASH_TOLERANCE ? 'match' : 'mismatch';
}

/** Whether a frame the page renders now shows what a remembered frame of the same moment showed. */
export function frameMatches(remembered: readonly CachedFrame[], frame: CachedFrame): boolean {
  return compareFrame(remembered, frame) === 'match';
}

/**
 * Remembers judged clips per profile for a bounded time, so that a clip seen again (a reload, the same post in
 * another tab) gets its verdict from its first frame instead of from a dozen. An entry is reused only when the
 * newly rendered frame matches a remembered frame of the same moment.
 */
export class VerdictCache {
  /** The setting; a promise until the stored preferences are read, so no early frame slips past an "off". */
  private enabled: boolean | Promise<boolean> = true;
  /** Counts clears, so a judgement being written when the user clears is dropped. */
  private generation = 0;

  constructor(
    private readonly store: VerdictStore,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = VERDICT_CACHE_TTL_MS,
    private readonly maxEntries = VERDICT_CACHE_MAX_ENTRIES,
  ) {}

  /** Turns the cache on or off (the setting); off, nothing is read or written. */
  setEnabled(enabled: boolean | Promise<boolean>): void {
    // A setting that cannot be read counts as off: the safe side for a store of what the user watched.
    this.enabled = enabled instanceof Promise ? enabled.catch(() => false) : enabled;
  }

  /** Whether the cache reads and writes now. */
  async isEnabled(): Promise<boolean> {
    return this.enabled;
  }

  /**
   * Looks `url` up and compares `frame` with the remembered frames of its moment; see {@link Recall}. Only a
   * judgement made with `frameModel` is reused.
   */
  async recall(url: string, frame: CachedFrame, frameModel: string): Promise<Recall> {
    const found = await this.entryFor(url, frameModel);
    if (found.status !== 'some') return found;
    const { entry } = found;
    const seen = compareFrame(entry.frames, frame);
    if (seen === 'match') return { status: 'hit', judgement: entry.judgement, judgedAt: entry.savedAt };
    return { status: seen };
  }

  /**
   * Whether a judgement of `url` made with `frameModel` is remembered, before any frame is compared: a frame need
   * not be hashed for a clip the cache does not know. It also opens the database, so a call when a video is
   * discovered keeps that cost away from its first frame.
   */
  async peek(url: string, frameModel: string): Promise<'off' | 'none' | 'some'> {
    return (await this.entryFor(url, frameModel)).status;
  }

  private async entryFor(
    url: string,
    frameModel: string,
  ): Promise<{ status: 'off' } | { status: 'none' } | { status: 'some'; entry: VerdictCacheEntry }> {
    if (!(await this.isEnabled())) return { status: 'off' };
    const key = await mediaKey(url);
    if (!key) return { status: 'off' };
    const entry = await this.store.get(key);
    if (!entry || entry.judgement.frameModel !== frameModel) return { status: 'none' };
    if (this.now() - entry.savedAt > this.ttlMs) {
      await this.store.delete(key);
      return { status: 'none' };
    }
    return { status: 'some', entry };
  }

  /** Remembers (or refreshes) the judgement of `url` with the frames it was made on. */
  async remember(url: string, frames: readonly CachedFrame[], judgement: CachedJudgement): Promise<void> {
    const generation = this.generation;
    if (frames.length === 0 || !(await this.isEnabled())) return;
    const key = await mediaKey(url);
    // A clear that came meanwhile covers this judgement too: it was made before the user cleared.
    if (!key || generation !== this.generation) return;
    const now = this.now();
    await this.store.put({
      key,
      savedAt: now,
      frames: [...frames],
      judgement: { ...judgement, signals: mediaSignals(judgement.signals) },
    });
    await this.store.prune(now - this.ttlMs, this.maxEntries);
  }

  /** Forgets the judgement of `url` (a later frame showed that the address now serves other content). */
  async forget(url: string): Promise<void> {
    const key = await mediaKey(url);
    if (key) await this.store.delete(key);
  }

  /** Forgets everything ("Clear all data", or the setting turned off). */
  clear(): Promise<void> {
    this.generation++;
    return this.store.clear();
  }
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('verdict cache request failed'));
  });
}

/**
 * Entries in the extension origin's IndexedDB: out of reach of page scripts and of content scripts (which run in
 * the page's origin), and kept across browser restarts, unlike `storage.session`.
 */
export class IdbVerdictStore implements VerdictStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly idb: IDBFactory = indexedDB) {}

  async get(key: string): Promise<VerdictCacheEntry | undefined> {
    const db = await this.open();
    return request(db.transaction(STORE).objectStore(STORE).get(key) as IDBRequest<VerdictCacheEntry | undefined>);
  }

  async put(entry: VerdictCacheEntry): Promise<void> {
    const db = await this.open();
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(entry));
  }

  async delete(key: string): Promise<void> {
    const db = await this.open();
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
  }

  async prune(olderThan: number, maxEntries: number): Promise<void> {
    const db = await this.open();
    const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
    const index = store.index('savedAt');
    const total = await request(store.count());
    let excess = Math.max(0, total - maxEntries);
    await new Promise<void>((resolve, reject) => {
      const cursor = index.openCursor();
      cursor.onerror = () => reject(cursor.error ?? new Error('verdict cache prune failed'));
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return resolve();
        const entry = c.value as VerdictCacheEntry;
        if (entry.savedAt >= olderThan && excess <= 0) return resolve();
        if (excess > 0) excess--;
        c.delete();
        c.continue();
      };
    });
  }

  /**
   * Deletes the whole database (not only its entries): "Clear all data" leaves nothing of it in the profile. The
   * next write creates it afresh.
   */
  async clear(): Promise<void> {
    await this.close();
    await new Promise<void>((resolve, reject) => {
      const r = this.idb.deleteDatabase(VERDICT_CACHE_DATABASE);
      r.onsuccess = () => resolve();
      // Another context holding it open closes on `versionchange`; the browser deletes it then.
      r.onblocked = () => resolve();
      r.onerror = () => reject(r.error ?? new Error('the verdict cache could not be deleted'));
    });
  }

  /** Closes the connection so that the database can be deleted. */
  async close(): Promise<void> {
    if (!this.db) return;
    const db = this.db;
    this.db = null;
    (await db.catch(() => null))?.close();
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const r = this.idb.open(VERDICT_CACHE_DATABASE, 1);
      r.onupgradeneeded = () => {
        const store = r.result.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex('savedAt', 'savedAt');
      };
      r.onsuccess = () => {
        // Another context deleting the database ("Clear all data") must not be blocked by this connection.
        r.result.onversionchange = () => {
          r.result.close();
          this.db = null;
        };
        resolve(r.result);
      };
      r.onerror = () => reject(r.error ?? new Error('the verdict cache could not be opened'));
    });
    return this.db;
  }
}
