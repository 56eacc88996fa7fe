import { describe, expect, it } from 'vitest';
import {
  CAPTURE_MAX_WAIT_MS,
  CAPTURE_MIN_INTERVAL_MS,
  CaptureThrottle,
  RateLimitedError,
} from '../../lib/background/capture-throttle';

/** A clock that only moves when told to, waking sleepers in due order. */
class FakeClock {
  time = 0;
  private sleepers: { due: number; wake: () => void }[] = [];

  now = (): number => this.time;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepers.push({ due: this.time + ms, wake: resolve });
    });

  /** Moves time forward to `target`, letting each woken sleeper run before the next wakes. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      this.sleepers.sort((a, b) => a.due - b.due);
      const next = this.sleepers[0];
      if (!next || next.due > target) break;
      this.sleepers.shift();
      this.time = next.due;
      next.wake();
      await new Promise((r) => setTimeout(r, 0));
    }
    this.time = target;
  }
}

function setup() {
  const clock = new FakeClock();
  const throttle = new CaptureThrottle(clock.now, clock.sleep);
  const captures: { windowId: number; at: number }[] = [];
  const capture = (windowId: number) => () => {
    captures.push({ windowId, at: clock.now() });
    return Promise.resolve(`shot-${windowId}-${captures.length}`);
  };
  return { clock, throttle, captures, capture };
}

describe('CaptureThrottle', () => {
  it('runs the first capture of a window at once', async () => {
    const { throttle, captures, capture } = setup();
    await expect(throttle.run(1, capture(1))).resolves.toBe('shot-1-1');
    expect(captures).toEqual([{ windowId: 1, at: 0 }]);
  });

  it('spaces captures in one window at least the minimum interval apart', async () => {
    const { clock, throttle, captures, capture } = setup();
    const runs = [0, 1, 2, 3].map(() => throttle.run(1, capture(1)));
    await clock.advanceTo(5_000);
    await Promise.all(runs);
    const times = captures.map((c) => c.at);
    expect(times).toEqual([0, 500, 1000, 1500]);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(CAPTURE_MIN_INTERVAL_MS);
    }
  });

  it('waits only for the rest of the interval when the previous capture was a while ago', async () => {
    const { clock, throttle, captures, capture } = setup();
    await throttle.run(1, capture(1));
    await clock.advanceTo(300);
    const second = throttle.run(1, capture(1));
    await clock.advanceTo(499);
    expect(captures).toHaveLength(1);
    await clock.advanceTo(500);
    await second;
    expect(captures.map((c) => c.at)).toEqual([0, 500]);
  });

  it('does not wait when the interval has already passed', async () => {
    const { clock, throttle, captures, capture } = setup();
    await throttle.run(1, capture(1));
    await clock.advanceTo(2_000);
    await throttle.run(1, capture(1));
    expect(captures.map((c) => c.at)).toEqual([0, 2_000]);
  });

  it('keeps windows independent', async () => {
    const { clock, throttle, captures, capture } = setup();
    const runs = [throttle.run(1, capture(1)), throttle.run(2, capture(2)), throttle.run(1, capture(1))];
    await clock.advanceTo(1_000);
    await Promise.all(runs);
    expect(captures).toEqual([
      { windowId: 1, at: 0 },
      { windowId: 2, at: 0 },
      { windowId: 1, at: 500 },
    ]);
  });

  it('refuses a capture that would wait longer than the maximum, without running it', async () => {
    const { clock, throttle, captures, capture } = setup();
    // Slots at 0, 500, 1000, 1500: the fourth waits exactly the maximum and is still allowed.
    const allowed = [0, 1, 2, 3].map(() => throttle.run(1, capture(1)));
    expect(3 * CAPTURE_MIN_INTERVAL_MS).toBe(CAPTURE_MAX_WAIT_MS);
    await expect(throttle.run(1, capture(1))).rejects.toBeInstanceOf(RateLimitedError);
    await clock.advanceTo(5_000);
    await Promise.all(allowed);
    expect(captures).toHaveLength(4);
  });

  it('does not let a refused capture take a slot', async () => {
    const { clock, throttle, captures, capture } = setup();
    const allowed = [0, 1, 2, 3].map(() => throttle.run(1, capture(1)));
    await expect(throttle.run(1, capture(1))).rejects.toThrow(RateLimitedError);
    await clock.advanceTo(100);
    // The next free slot is 2000, 1900 ms away from now: still too far, refused again.
    await expect(throttle.run(1, capture(1))).rejects.toThrow(RateLimitedError);
    await clock.advanceTo(600);
    // Now 1400 ms away: allowed, and it lands right after the last accepted one.
    const late = throttle.run(1, capture(1));
    await clock.advanceTo(5_000);
    await Promise.all([...allowed, late]);
    expect(captures.map((c) => c.at)).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('does not rate-limit another window while one is saturated', async () => {
    const { clock, throttle, captures, capture } = setup();
    const saturated = [0, 1, 2, 3].map(() => throttle.run(1, capture(1)));
    await expect(throttle.run(1, capture(1))).rejects.toThrow(RateLimitedError);
    await expect(throttle.run(2, capture(2))).resolves.toBe('shot-2-2');
    await clock.advanceTo(5_000);
    await Promise.all(saturated);
    expect(captures.filter((c) => c.windowId === 2)).toEqual([{ windowId: 2, at: 0 }]);
  });
});
