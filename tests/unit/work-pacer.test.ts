import { describe, expect, it } from 'vitest';
import { WorkPacer, messageChannelPoster } from '../../lib/content/work-pacer';

/** A task queue the test runs by hand: each `runTask` is one task of the event loop. */
function manualTasks() {
  const tasks: Array<() => void> = [];
  return {
    post: (run: () => void) => tasks.push(run),
    get pending() {
      return tasks.length;
    },
    /** Runs one task, then its microtasks (where the awaited steps continue). */
    async runTask() {
      tasks.shift()?.();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

describe('WorkPacer', () => {
  it('runs one step per task, in order', async () => {
    const tasks = manualTasks();
    const pacer = new WorkPacer(tasks.post);
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) void pacer.turn().then(() => log.push(name));
    // One task is posted at a time, however many steps wait.
    expect(tasks.pending).toBe(1);
    expect(pacer.waiting).toBe(3);
    await tasks.runTask();
    expect(log).toEqual(['a']);
    await tasks.runTask();
    expect(log).toEqual(['a', 'b']);
    await tasks.runTask();
    expect(log).toEqual(['a', 'b', 'c']);
    expect(tasks.pending).toBe(0);
    expect(pacer.waiting).toBe(0);
  });

  it('serves urgent turns first, each queue in its own order', async () => {
    const tasks = manualTasks();
    const pacer = new WorkPacer(tasks.post);
    const log: string[] = [];
    void pacer.turn().then(() => log.push('offscreen 1'));
    void pacer.turn().then(() => log.push('offscreen 2'));
    void pacer.turn(true).then(() => log.push('visible 1'));
    void pacer.turn(true).then(() => log.push('visible 2'));
    while (tasks.pending > 0) await tasks.runTask();
    expect(log).toEqual(['visible 1', 'visible 2', 'offscreen 1', 'offscreen 2']);
  });

  it('keeps the code after a turn in that turn’s task, up to its next await', async () => {
    const tasks = manualTasks();
    const pacer = new WorkPacer(tasks.post);
    const log: string[] = [];
    const step = async (name: string) => {
      await pacer.turn();
      log.push(`${name} start`);
      log.push(`${name} end`);
    };
    void step('a');
    void step('b');
    await tasks.runTask();
    expect(log).toEqual(['a start', 'a end']);
    await tasks.runTask();
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('goes on after a step that throws', async () => {
    const tasks = manualTasks();
    const pacer = new WorkPacer(tasks.post);
    const failed = pacer.turn().then(() => {
      throw new Error('step failed');
    });
    const next = pacer.turn().then(() => 'ran');
    await tasks.runTask();
    await expect(failed).rejects.toThrow('step failed');
    await tasks.runTask();
    await expect(next).resolves.toBe('ran');
  });

  it('posts real tasks through a MessageChannel', async () => {
    const pacer = new WorkPacer(messageChannelPoster());
    const log: number[] = [];
    await Promise.all([1, 2, 3].map((n) => pacer.turn().then(() => log.push(n))));
    expect(log).toEqual([1, 2, 3]);
  });
});
