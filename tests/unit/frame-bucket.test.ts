import { describe, expect, it } from 'vitest';
import { FrameBucket } from '../../lib/background/frame-bucket';

describe('FrameBucket', () => {
  it('starts full, empties one frame at a time and refills at its rate', () => {
    const bucket = new FrameBucket({ burst: 3, perMinute: 60 }, 0);
    for (let i = 0; i < 3; i++) {
      expect(bucket.has(0)).toBe(true);
      bucket.take(0);
    }
    expect(bucket.has(0)).toBe(false);
    expect(bucket.has(999)).toBe(false);
    expect(bucket.has(1_000)).toBe(true);
  });

  it('never holds more than its burst, however long it was idle', () => {
    const bucket = new FrameBucket({ burst: 2, perMinute: 60 }, 0);
    expect(bucket.has(3_600_000)).toBe(true);
    bucket.take(3_600_000);
    bucket.take(3_600_000);
    expect(bucket.has(3_600_000)).toBe(false);
  });

  it('counts frames already on their way when it ran dry, and makes the next wait for them', () => {
    const bucket = new FrameBucket({ burst: 2, perMinute: 60 }, 0);
    for (let i = 0; i < 4; i++) bucket.take(0);
    expect(bucket.has(1_000)).toBe(false);
    expect(bucket.has(2_000)).toBe(false);
    expect(bucket.has(3_000)).toBe(true);
  });

  it('takes a smaller allowance at once, a larger one as it refills', () => {
    const bucket = new FrameBucket({ burst: 10, perMinute: 60 }, 0);
    bucket.setAllowance({ burst: 1, perMinute: 60 }, 0);
    bucket.take(0);
    expect(bucket.has(0)).toBe(false);
    bucket.setAllowance({ burst: 10, perMinute: 600 }, 0);
    expect(bucket.has(100)).toBe(true);
  });
});
