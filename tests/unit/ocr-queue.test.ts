import { describe, expect, it } from 'vitest';
import { MAX_WAITING_PER_VIDEO } from '../../lib/analysis/watermark/ocr-budget';
import { MAX_WAITING, OcrQueue, type OcrProgress } from '../../lib/analysis/watermark/ocr-queue';

/** A job the test finishes by hand, recording the order jobs start in. */
function gate(started: string[], name: string) {
  let finish!: (v: string) => void;
  const done = new Promise<string>((r) => (finish = r));
  return { job: () => (started.push(name), done), finish: () => finish(name) };
}

describe('OcrQueue', () => {
  it('reads the most promising video next: a mark seen once, then the fewest frames read, then the oldest', async () => {
    const progress = new Map<string, OcrProgress>([
      ['busy', { reads: 0, candidate: false }],
      ['read-twice', { reads: 2, candidate: false }],
      ['fresh', { reads: 0, candidate: false }],
      ['sighted', { reads: 3, candidate: true }],
    ]);
    const queue = new OcrQueue<string>((id) => progress.get(id)!);
    const started: string[] = [];
    const first = gate(started, 'busy');
    const all = [queue.push('busy', first.job)];
    for (const id of ['read-twice', 'fresh', 'sighted']) all.push(queue.push(id, async () => (started.push(id), id)));
    expect(started).toEqual(['busy']);
    first.finish();
    expect(await Promise.all(all)).toEqual(['busy', 'read-twice', 'fresh', 'sighted']);
    expect(started).toEqual(['busy', 'sighted', 'fresh', 'read-twice']);
  });

  it('keeps two waiting frames per video: a newer frame replaces the oldest, which resolves to null', async () => {
    expect(MAX_WAITING_PER_VIDEO).toBe(2);
    const queue = new OcrQueue<string>(() => ({ reads: 0, candidate: false }));
    const started: string[] = [];
    const first = gate(started, 'other');
    const running = queue.push('other', first.job);
    const frames = [1, 2, 3].map((n) => queue.push('v', async () => (started.push(`v-${n}`), `v-${n}`)));
    expect(await frames[0]).toBeNull();
    first.finish();
    expect(await running).toBe('other');
    expect(await Promise.all(frames.slice(1))).toEqual(['v-2', 'v-3']);
    expect(started).toEqual(['other', 'v-2', 'v-3']);
  });

  it('reads one frame of each video before a second frame of any', async () => {
    const started: string[] = [];
    // As the service does: a video's reads count the frames already read.
    const queue = new OcrQueue<string>((id) => ({ reads: started.filter((s) => s === id).length, candidate: false }));
    const first = gate(started, 'x');
    const all = [queue.push('x', first.job)];
    for (const id of ['a', 'a', 'b', 'b']) all.push(queue.push(id, async () => (started.push(id), id)));
    first.finish();
    await Promise.all(all);
    expect(started).toEqual(['x', 'a', 'b', 'a', 'b']);
  });

  it('drops the least promising frame when too many videos wait, and a forgotten video’s frame', async () => {
    const queue = new OcrQueue<string>((id) => ({ reads: Number(id.split('-')[1]), candidate: false }));
    const started: string[] = [];
    const first = gate(started, 'running-0');
    const results = [queue.push('running-0', first.job)];
    for (let i = 1; i <= MAX_WAITING + 1; i++)
      results.push(queue.push(`v-${i}`, async () => (started.push(`v-${i}`), `v-${i}`)));
    expect(queue.size).toBe(MAX_WAITING);
    // The video with the most frames read already lost its place.
    expect(await results.at(-1)).toBeNull();
    queue.forget('v-1');
    expect(await results[1]).toBeNull();
    first.finish();
    await Promise.all(results);
    expect(started).not.toContain('v-1');
    expect(started).toHaveLength(MAX_WAITING);
  });

  it('a failing reading resolves to null and the next frame is still read', async () => {
    const queue = new OcrQueue<string>(() => ({ reads: 0, candidate: false }));
    const bad = queue.push('a', async () => {
      throw new Error('worker died');
    });
    const good = queue.push('b', async () => 'b');
    expect(await bad).toBeNull();
    expect(await good).toBe('b');
  });
});
