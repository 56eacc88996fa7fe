import { describe, expect, it } from 'vitest';
import { AnalysisQueue, DroppedError, JobTimeoutError } from '../../lib/analysis/analysis-queue';

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets queued promise callbacks and the queue's pump run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Records the order jobs start in and how many ran at the same time. */
class Tracker {
  started: string[] = [];
  active = 0;
  maxActive = 0;

  job<T>(name: string, result: T, wait: Promise<void> = settle()): () => Promise<T> {
    return async () => {
      this.started.push(name);
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      try {
        await wait;
        return result;
      } finally {
        this.active--;
      }
    };
  }
}

describe('AnalysisQueue', () => {
  it('runs one job at a time and resolves each with its own result', async () => {
    const queue = new AnalysisQueue(10);
    const t = new Tracker();
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((name, i) => queue.submit('visible', t.job(name, i))),
    );
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(t.maxActive).toBe(1);
    expect(t.started).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('runs waiting visible jobs before background ones queued earlier', async () => {
    const queue = new AnalysisQueue();
    const t = new Tracker();
    const blocker = gate();
    const all = [
      queue.submit('visible', t.job('running', 0, blocker.promise)),
      queue.submit('background', t.job('bg1', 1)),
      queue.submit('background', t.job('bg2', 2)),
      queue.submit('visible', t.job('vis', 3)),
    ];
    expect(queue.length).toBe(3);
    blocker.open();
    await Promise.all(all);
    expect(t.started).toEqual(['running', 'vis', 'bg1', 'bg2']);
    expect(t.maxActive).toBe(1);
    expect(queue.length).toBe(0);
  });

  it('when full, drops the oldest job of the lowest priority for a more urgent one', async () => {
    const queue = new AnalysisQueue(2);
    const t = new Tracker();
    const blocker = gate();
    const running = queue.submit('visible', t.job('running', 'r', blocker.promise));
    const bg1 = queue.submit('background', t.job('bg1', 'b1'));
    const bg2 = queue.submit('background', t.job('bg2', 'b2'));
    const vis = queue.submit('visible', t.job('vis', 'v'));

    await expect(bg1).rejects.toBeInstanceOf(DroppedError);
    expect(queue.dropped).toBe(1);
    expect(queue.length).toBe(2);
    blocker.open();
    await expect(Promise.all([running, bg2, vis])).resolves.toEqual(['r', 'b2', 'v']);
    expect(t.started).toEqual(['running', 'vis', 'bg2']);
  });

  it('when full of background jobs, a new background job replaces the oldest one', async () => {
    const queue = new AnalysisQueue(2);
    const t = new Tracker();
    const blocker = gate();
    const running = queue.submit('visible', t.job('running', 0, blocker.promise));
    const old = queue.submit('background', t.job('old', 1));
    const mid = queue.submit('background', t.job('mid', 2));
    const fresh = queue.submit('background', t.job('fresh', 3));

    await expect(old).rejects.toBeInstanceOf(DroppedError);
    blocker.open();
    await expect(Promise.all([running, mid, fresh])).resolves.toEqual([0, 2, 3]);
    expect(t.started).toEqual(['running', 'mid', 'fresh']);
  });

  it('drops an incoming background job when every waiting job is visible', async () => {
    const queue = new AnalysisQueue(2);
    const t = new Tracker();
    const blocker = gate();
    const running = queue.submit('visible', t.job('running', 0, blocker.promise));
    const v1 = queue.submit('visible', t.job('v1', 1));
    const v2 = queue.submit('visible', t.job('v2', 2));
    const bg = queue.submit('background', t.job('bg', 3));

    await expect(bg).rejects.toThrow(DroppedError);
    expect(queue.dropped).toBe(1);
    blocker.open();
    await expect(Promise.all([running, v1, v2])).resolves.toEqual([0, 1, 2]);
    expect(t.started).not.toContain('bg');
  });

  it('names the error so callers across contexts can recognise a drop', async () => {
    const queue = new AnalysisQueue(0);
    const error = await queue.submit('visible', async () => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DroppedError);
    expect((error as Error).name).toBe('DroppedError');
  });

  it('rejects only the job that failed and keeps running the rest', async () => {
    const queue = new AnalysisQueue();
    const t = new Tracker();
    const boom = new Error('model crashed');
    const first = queue.submit('visible', t.job('first', 1));
    const failing = queue.submit('visible', async () => {
      t.started.push('failing');
      throw boom;
    });
    const last = queue.submit('visible', t.job('last', 3));

    await expect(failing).rejects.toBe(boom);
    await expect(first).resolves.toBe(1);
    await expect(last).resolves.toBe(3);
    expect(t.started).toEqual(['first', 'failing', 'last']);
    expect(queue.dropped).toBe(0);
  });

  it('accepts new work after it drained', async () => {
    const queue = new AnalysisQueue();
    await expect(queue.submit('visible', async () => 'one')).resolves.toBe('one');
    await settle();
    await expect(queue.submit('background', async () => 'two')).resolves.toBe('two');
  });

  it('counts every drop', async () => {
    const queue = new AnalysisQueue(1);
    const blocker = gate();
    const running = queue.submit('visible', () => blocker.promise.then(() => 'r'));
    const submitted = [1, 2, 3].map((n) => queue.submit('background', async () => n));
    blocker.open();
    const outcomes = await Promise.allSettled([...submitted, running]);
    expect(queue.dropped).toBe(2);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });
});

describe('a job that never ends', () => {
  it('is given up at its time limit and the queue runs the next job', async () => {
    const queue = new AnalysisQueue();
    const hung = queue.submit('visible', () => new Promise<never>(() => undefined), 50);
    const next = queue.submit('visible', () => Promise.resolve('next'));
    await expect(hung).rejects.toBeInstanceOf(JobTimeoutError);
    await expect(next).resolves.toBe('next');
  });
});
