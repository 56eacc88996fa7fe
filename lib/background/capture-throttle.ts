/** Chrome allows `tabs.captureVisibleTab` at most twice a second per window. */
export const CAPTURE_MIN_INTERVAL_MS = 500;
/** A capture that would wait longer than this is refused; the sampler tries again later. */
export const CAPTURE_MAX_WAIT_MS = 1_500;

/** Thrown when a capture would wait too long for its slot. */
export class RateLimitedError extends Error {
  constructor() {
    super('screenshot rate limit reached');
    this.name = 'RateLimitedError';
  }
}

/**
 * Spaces screenshot calls per window so they never exceed the browser's
 * quota: each call gets a slot at least {@link CAPTURE_MIN_INTERVAL_MS}
 * after the previous one in the same window.
 */
export class CaptureThrottle {
  private readonly nextSlot = new Map<number, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits for the window's next slot and runs `capture` in it. */
  async run<T>(windowId: number, capture: () => Promise<T>): Promise<T> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(windowId) ?? 0);
    const wait = slot - now;
    if (wait > CAPTURE_MAX_WAIT_MS) throw new RateLimitedError();
    this.nextSlot.set(windowId, slot + CAPTURE_MIN_INTERVAL_MS);
    if (wait > 0) await this.sleep(wait);
    return capture();
  }
}
