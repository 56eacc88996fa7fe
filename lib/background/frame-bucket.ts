import type { TabAllowance } from '../settings/frame-budget';

/**
 * A tab's frame allowance as a token bucket: it starts full (`burst` frames),
 * every analysed frame takes one, and it refills at `perMinute`. Frames
 * already on their way when the bucket ran dry still count, so the bucket may
 * go below zero and the next frame waits for the debt to be paid.
 */
export class FrameBucket {
  private tokens: number;

  constructor(
    private allowance: TabAllowance,
    private at: number,
  ) {
    this.tokens = allowance.burst;
  }

  /** Whether a frame may be analysed at `now`. */
  has(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Counts one analysed frame. */
  take(now: number): void {
    this.refill(now);
    this.tokens = Math.max(-this.allowance.burst, this.tokens - 1);
  }

  /** Changes the allowance from now on (the frame budget setting); what is left never exceeds the new burst. */
  setAllowance(allowance: TabAllowance, now: number): void {
    this.refill(now);
    this.allowance = allowance;
    this.tokens = Math.min(this.tokens, allowance.burst);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.at);
    this.tokens = Math.min(this.allowance.burst, this.tokens + (elapsed * this.allowance.perMinute) / 60_000);
    this.at = now;
  }
}
