import { frameImagesKey, type StoredFrameImage } from '../core/report';

/** The part of `storage.session` the frame-image store uses. */
export interface FrameImageArea {
  get(keys: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** Frame images kept per video (the frame log keeps as many records). */
export const FRAME_IMAGES_PER_VIDEO = 12;
/**
 * Characters of frame images kept across all tabs. `storage.session` holds
 * about 10 MB in all and the tabs' results need room too: frames get at most
 * 4 MiB, and the videos written longest ago give theirs up first.
 */
export const FRAME_IMAGE_BUDGET = 4 * 1024 * 1024;

interface IndexEntry {
  size: number;
  at: number;
}

/**
 * Keeps the last few frame images of each video in `storage.session`
 * (`frames:<tabId>:<videoId>`, closed to content scripts like the results),
 * so the detail view and the report form can show and bundle them even after
 * the service worker restarts, within a byte budget that leaves the tabs'
 * results their room.
 */
export class FrameImageStore {
  private index: Map<string, IndexEntry> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private tick = 0;

  constructor(
    private readonly area: FrameImageArea,
    private readonly budget = FRAME_IMAGE_BUDGET,
    private readonly perVideo = FRAME_IMAGES_PER_VIDEO,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.catch(() => undefined).then(work);
    this.chain = next;
    return next;
  }

  private async loadIndex(): Promise<Map<string, IndexEntry>> {
    if (this.index) return this.index;
    const index = new Map<string, IndexEntry>();
    const all = await this.area.get(null);
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith('frames:')) continue;
      index.set(key, { size: sizeOf(value as StoredFrameImage[]), at: this.tick++ });
    }
    this.index = index;
    return index;
  }

  /** Adds a frame image of a video, dropping its oldest beyond the per-video cap and others' beyond the budget. */
  add(tabId: number, videoId: string, image: StoredFrameImage): Promise<void> {
    return this.serial(async () => {
      if (!image.jpeg.startsWith('data:image/jpeg;base64,')) return;
      const index = await this.loadIndex();
      const key = frameImagesKey(tabId, videoId);
      const current = ((await this.area.get(key))[key] as StoredFrameImage[] | undefined) ?? [];
      const frames = [...current.filter((f) => f.mediaTime !== image.mediaTime), image].slice(-this.perVideo);
      index.set(key, { size: sizeOf(frames), at: this.tick++ });
      const evict: string[] = [];
      let total = [...index.values()].reduce((a, e) => a + e.size, 0);
      for (const [other, entry] of [...index.entries()].sort((a, b) => a[1].at - b[1].at)) {
        if (total <= this.budget || other === key) continue;
        evict.push(other);
        total -= entry.size;
        index.delete(other);
      }
      if (evict.length > 0) await this.area.remove(evict);
      await this.area.set({ [key]: frames });
    });
  }

  /** Forgets a video's frame images. */
  forgetVideo(tabId: number, videoId: string): Promise<void> {
    return this.forget([frameImagesKey(tabId, videoId)]);
  }

  /** Forgets every frame image of a tab except those of the videos listed. */
  forgetTab(tabId: number, keep: readonly string[] = []): Promise<void> {
    return this.serial(async () => {
      const index = await this.loadIndex();
      const kept = new Set(keep.map((id) => frameImagesKey(tabId, id)));
      const prefix = `frames:${tabId}:`;
      const gone = [...index.keys()].filter((k) => k.startsWith(prefix) && !kept.has(k));
      for (const key of gone) index.delete(key);
      if (gone.length > 0) await this.area.remove(gone);
    });
  }

  private forget(keys: string[]): Promise<void> {
    return this.serial(async () => {
      const index = await this.loadIndex();
      for (const key of keys) index.delete(key);
      await this.area.remove(keys);
    });
  }
}

function sizeOf(frames: readonly StoredFrameImage[]): number {
  return frames.reduce((a, f) => a + f.jpeg.length + 32, 0);
}
