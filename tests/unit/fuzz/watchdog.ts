import { Worker } from 'node:worker_threads';

/**
 * A wall-clock guard for the fuzz loop that still works when the code under
 * test hangs synchronously (a parser looping forever blocks the test's own
 * thread, and with it every timer there, vitest's timeout included). A
 * separate thread watches a counter the loop bumps before each case; when
 * one case has run longer than `limitMs`, it writes the case's name (module,
 * run seed, case number, so it can be replayed) straight to stderr and ends
 * the test process, which vitest reports as a failed file. The bound is
 * per case and generous: a slow machine makes the run longer, never fails it.
 */
export class Watchdog {
  private readonly shared = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly label = new Uint8Array(new SharedArrayBuffer(512));
  private readonly worker: Worker;

  constructor(limitMs: number) {
    const source = `
      const { workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      const { shared, label, limitMs } = workerData;
      let seen = -1;
      let since = Date.now();
      for (;;) {
        Atomics.wait(shared, 1, 0, 250);
        if (Atomics.load(shared, 1) !== 0) break;
        const now = Date.now();
        const bumped = Atomics.load(shared, 0);
        if (bumped !== seen) { seen = bumped; since = now; continue; }
        if (Atomics.load(shared, 2) === 1 && now - since > limitMs) {
          const end = label.indexOf(0);
          const name = Buffer.from(label.slice(0, end < 0 ? label.length : end)).toString('utf8');
          fs.writeSync(2, '\\nFUZZ HANG: ' + name + ' has run for over ' + limitMs + ' ms\\n');
          process.kill(process.pid, 'SIGKILL');
        }
      }
    `;
    this.worker = new Worker(source, {
      eval: true,
      workerData: { shared: this.shared, label: this.label, limitMs },
    });
    this.worker.unref();
  }

  /** A case starts: `name` says how to replay it. */
  enter(name: string): void {
    const bytes = new TextEncoder().encode(name.slice(0, 500));
    this.label.fill(0);
    this.label.set(bytes);
    Atomics.store(this.shared, 2, 1);
    Atomics.add(this.shared, 0, 1);
  }

  /** The case is over: nothing runs until the next `enter`. */
  leave(): void {
    Atomics.store(this.shared, 2, 0);
    Atomics.add(this.shared, 0, 1);
  }

  /** Stops the watching thread. */
  async stop(): Promise<void> {
    Atomics.store(this.shared, 1, 1);
    Atomics.notify(this.shared, 1);
    await this.worker.terminate();
  }
}
