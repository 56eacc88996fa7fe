/** After the page's last long task, frames wait this long for it to stay quiet (ms). */
export const QUIET_AFTER_LONG_TASK_MS = 300;
/**
 * Longest a frame waits for a quiet page (ms). A page that is always busy (or makes long tasks on purpose to hold
 * analysis back) still gets its videos judged, one frame per this much extra delay at worst.
 */
export const MAX_BACKOFF_MS = 1000;

/** Where long tasks come from: a `PerformanceObserver` in browsers that report them (Chromium), none elsewhere. */
export type LongTaskSource = (onLongTask: (endedAt: number) => void) => (() => void) | null;

/** Observes the page's own long tasks (`longtask` entries); null where the browser does not report them. */
export const observeLongTasks: LongTaskSource = (onLongTask) => {
  if (typeof PerformanceObserver === 'undefined') return null;
  if (!PerformanceObserver.supportedEntryTypes?.includes('longtask')) return null;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) onLongTask(entry.startTime + entry.duration);
  });
  observer.observe({ type: 'longtask' });
  return () => observer.disconnect();
};

/**
 * Backs the content script's frame grabs off while the page is busy: a grab (a `drawImage` and a JPEG encode on
 * the page's thread) waits until no long task has ended for {@link QUIET_AFTER_LONG_TASK_MS}, at most
 * {@link MAX_BACKOFF_MS}, so the extension does not add its work to a page that is already janky (scrolling a
 * heavy feed, a player starting). Long tasks are the page's own (whoever caused them); the clock is
 * `performance.now()`.
 */
export class PageBusy {
  private lastLongTaskEnd = -Infinity;
  private readonly stop: (() => void) | null;

  constructor(
    source: LongTaskSource = observeLongTasks,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.stop = source((endedAt) => {
      this.lastLongTaskEnd = Math.max(this.lastLongTaskEnd, endedAt);
    });
  }

  /** Whether long tasks are observed at all here. */
  get observing(): boolean {
    return this.stop !== null;
  }

  /** Milliseconds until the page has been quiet long enough; 0 when it is. */
  quietIn(): number {
    return Math.max(0, this.lastLongTaskEnd + QUIET_AFTER_LONG_TASK_MS - this.now());
  }

  /** Resolves once the page has been quiet for a while, or after {@link MAX_BACKOFF_MS} at most. */
  async settle(): Promise<void> {
    const until = this.now() + MAX_BACKOFF_MS;
    for (let wait = this.quietIn(); wait > 0; wait = this.quietIn()) {
      const left = until - this.now();
      if (left <= 0) return;
      await this.sleep(Math.min(wait, left));
    }
  }

  /** Stops observing. */
  dispose(): void {
    this.stop?.();
  }
}
