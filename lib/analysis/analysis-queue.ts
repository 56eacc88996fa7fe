import type { Priority } from '../messaging/protocol';

/** Thrown to a job's caller when the queue dropped it. */
export class DroppedError extends Error {
  constructor() {
    super('analysis host busy: frame dropped');
    this.name = 'DroppedError';
  }
}

/** Thrown to a job's caller when it ran past its time limit; the queue moved on without it. */
export class JobTimeoutError extends Error {
  constructor(ms: number) {
    super(`analysis took longer than ${Math.round(ms / 1000)} s and was given up`);
    this.name = 'JobTimeoutError';
  }
}

/**
 * Longest one job may hold the queue. A frame takes well under a second; a
 * job past this is hung (a decoder that never answers) and must not stop
 * every other tab's frames.
 */
export const JOB_TIMEOUT_MS = 30_000;

interface Job<T> {
  priority: Priority;
  timeoutMs: number;
  run: () => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

const RANK: Record<Priority, number> = { visible: 0, background: 1 };

/**
 * Runs one analysis at a time (wasm here is single-threaded) with a short
 * waiting line: visible videos go first, and when the line is full the
 * least urgent, oldest frame is dropped rather than letting work pile up
 * behind a slow model. Dropped frames are retried by the sampler later.
 */
export class AnalysisQueue {
  private readonly waiting: Job<unknown>[] = [];
  private busy = false;
  /** Frames dropped since start, for diagnostics and benchmarks. */
  dropped = 0;

  constructor(private readonly maxWaiting = 3) {}

  /**
   * Queues a job; resolves with its result or rejects with {@link DroppedError},
   * or {@link JobTimeoutError} when it runs past `timeoutMs` (the queue then
   * goes on to the next job).
   */
  submit<T>(priority: Priority, run: () => Promise<T>, timeoutMs = JOB_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job<T> = { priority, run, resolve, reject, timeoutMs };
      if (this.waiting.length >= this.maxWaiting) {
        const victim = this.pickVictim(job as Job<unknown>);
        this.dropped++;
        if (victim === job) {
          reject(new DroppedError());
          return;
        }
        this.waiting.splice(this.waiting.indexOf(victim), 1);
        victim.reject(new DroppedError());
      }
      this.waiting.push(job as Job<unknown>);
      this.waiting.sort((a, b) => RANK[a.priority] - RANK[b.priority]);
      void this.pump();
    });
  }

  /** Jobs waiting, not counting the one running. */
  get length(): number {
    return this.waiting.length;
  }

  private pickVictim(incoming: Job<unknown>): Job<unknown> {
    // The last waiting job is the least urgent and, among equals, the newest; prefer dropping
    // the oldest of the lowest priority so fresher frames of the same video win.
    const worstRank = Math.max(...this.waiting.map((j) => RANK[j.priority]));
    if (RANK[incoming.priority] > worstRank) return incoming;
    return this.waiting.find((j) => RANK[j.priority] === worstRank)!;
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.busy = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new JobTimeoutError(job.timeoutMs)), job.timeoutMs);
    });
    try {
      job.resolve(await Promise.race([job.run(), limit]));
    } catch (error) {
      job.reject(error);
    } finally {
      clearTimeout(timer);
      this.busy = false;
      void this.pump();
    }
  }
}
