import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, PageBusy, QUIET_AFTER_LONG_TASK_MS, type LongTaskSource } from '../../lib/content/page-busy';

/** A fake clock whose sleeps advance it, and a long-task source the test fires by hand. */
function harness() {
  let now = 1000;
  const slept: number[] = [];
  let fire: (endedAt: number) => void = () => undefined;
  const source: LongTaskSource = (onLongTask) => {
    fire = onLongTask;
    return () => undefined;
  };
  const busy = new PageBusy(
    source,
    () => now,
    async (ms) => {
      slept.push(ms);
      now += ms;
    },
  );
  return {
    busy,
    slept,
    longTask: (endedAt: number) => fire(endedAt),
    advance: (ms: number) => (now += ms),
    get now() {
      return now;
    },
  };
}

describe('PageBusy', () => {
  it('lets a grab go at once on a quiet page', async () => {
    const h = harness();
    await h.busy.settle();
    expect(h.slept).toEqual([]);
    expect(h.busy.quietIn()).toBe(0);
  });

  it('holds a grab until the page has been quiet for a while after a long task', async () => {
    const h = harness();
    h.longTask(h.now - 100);
    expect(h.busy.quietIn()).toBe(QUIET_AFTER_LONG_TASK_MS - 100);
    await h.busy.settle();
    expect(h.slept).toEqual([QUIET_AFTER_LONG_TASK_MS - 100]);
  });

  it('never holds a grab longer than the cap, however busy the page keeps itself', async () => {
    let now = 0;
    let fire: (endedAt: number) => void = () => undefined;
    // A hostile page: another long task has just ended every time the grab wakes up to look.
    const busy = new PageBusy(
      (onLongTask) => {
        fire = onLongTask;
        return () => undefined;
      },
      () => now,
      async (ms) => {
        now += ms;
        fire(now);
      },
    );
    fire(now);
    await busy.settle();
    expect(now).toBe(MAX_BACKOFF_MS);
  });

  it('says where long tasks are not reported, and then never waits', async () => {
    const busy = new PageBusy(() => null);
    expect(busy.observing).toBe(false);
    await busy.settle();
    expect(busy.quietIn()).toBe(0);
  });
});
