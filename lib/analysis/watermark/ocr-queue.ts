import { MAX_WAITING_PER_VIDEO } from './ocr-budget';

/** How far one video's watermark reading has got, as the queue needs to know it. */
export interface OcrProgress {
  /** Frames read so far. */
  reads: number;
  /** Whether some frame showed a generator's mark that the multi-frame rule has not confirmed yet. */
  candidate: boolean;
}

/** Frames waiting at once, all videos together; past this the least promising waiting frame is dropped. */
export const MAX_WAITING = 48;

interface Waiting<T> {
  videoId: string;
  job: () => Promise<T>;
  resolve: (value: T | null) => void;
  since: number;
}

/**
 * Orders the OCR worker's frames across the videos of a feed. The worker reads one frame at a time and a frame
 * costs most of a second, so with many videos on a page frames wait. Each video keeps at most
 * {@link MAX_WAITING_PER_VIDEO} waiting frames (a newer one replaces the oldest, which resolves to null), and the
 * next frame read is the most promising: a video whose mark was seen once and needs another sighting first, then
 * the video with the fewest frames read, then the one waiting longest. Dropping frames while busy instead (as
 * before) left a marked clip in a feed of twenty with one reading or none, so its mark was never named.
 */
export class OcrQueue<T> {
  private waiting: Waiting<T>[] = [];
  private running = false;
  private seq = 0;

  /** @param progress What is known of a video's reading so far (read when choosing the next frame). */
  constructor(private readonly progress: (videoId: string) => OcrProgress) {}

  /** Frames waiting now. */
  get size(): number {
    return this.waiting.length;
  }

  /** Frames of one video waiting now. */
  waitingFor(videoId: string): number {
    return this.waiting.filter((w) => w.videoId === videoId).length;
  }

  /** Queues one frame's reading for a video; resolves to its result, or null when it was replaced or dropped. */
  push(videoId: string, job: () => Promise<T>): Promise<T | null> {
    return new Promise<T | null>((resolve) => {
      const own = this.waiting.filter((w) => w.videoId === videoId);
      if (own.length >= MAX_WAITING_PER_VIDEO) this.drop(own[0]!);
      this.waiting.push({ videoId, job, resolve, since: this.seq++ });
      if (this.waiting.length > MAX_WAITING) this.drop(this.ordered().at(-1)!);
      void this.drain();
    });
  }

  /** Drops a video's waiting frame (the video left the page). */
  forget(videoId: string): void {
    for (const w of this.waiting.filter((x) => x.videoId === videoId)) this.drop(w);
  }

  /** Candidate first; then frames read, counting this video's frames waiting ahead of this one; then age. */
  private rank(w: Waiting<T>): [number, number, number] {
    const p = this.progress(w.videoId);
    const ahead = this.waiting.filter((x) => x.videoId === w.videoId && x.since < w.since).length;
    return [p.candidate ? 0 : 1, p.reads + ahead, w.since];
  }

  private ordered(): Waiting<T>[] {
    return [...this.waiting].sort((a, b) => {
      const [ra, rb] = [this.rank(a), this.rank(b)];
      return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
    });
  }

  private drop(w: Waiting<T>): void {
    this.waiting = this.waiting.filter((x) => x !== w);
    w.resolve(null);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.ordered()[0]; next; next = this.ordered()[0]) {
        this.waiting = this.waiting.filter((x) => x !== next);
        try {
          next.resolve(await next.job());
        } catch {
          next.resolve(null);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
