type Pending<Res> = {
  resolve: (res: Res) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/**
 * Request and answer over a dedicated worker started on first use: every
 * request carries an id, its answer settles the matching promise. A crash or
 * a request that outlives `timeoutMs` terminates the worker, fails every
 * request in flight, and the next request starts a fresh worker. With
 * `idleMs`, a worker left without requests that long is let go (its memory
 * with it), and the next request starts a fresh one.
 */
export class WorkerRpc<Req extends { id: number }, Res extends { id: number }> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending<Res>>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param create starts the worker; bundlers need the `new Worker(new URL(…, import.meta.url))` call at its site
   * @param name says whose worker failed, in errors
   */
  constructor(
    private readonly create: () => Worker,
    private readonly name: string,
    private readonly timeoutMs: number,
    private readonly idleMs: number | null = null,
  ) {}

  /** Whether a worker is running now (started and not let go). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends the request `build(id)` builds; resolves with the worker's answer. */
  call(build: (id: number) => Req): Promise<Res> {
    const id = this.nextId++;
    this.stopIdleTimer();
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.restart(new Error(`${this.name} timed out`)), this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage(build(id));
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.onmessage = (event: MessageEvent<Res>) => {
      const p = this.pending.get(event.data.id);
      if (!p) return;
      this.pending.delete(event.data.id);
      clearTimeout(p.timer);
      p.resolve(event.data);
      if (this.pending.size === 0) this.startIdleTimer();
    };
    worker.onerror = (event) => this.restart(new Error(`${this.name} crashed: ${event.message || 'unknown error'}`));
    this.worker = worker;
    return worker;
  }

  private startIdleTimer(): void {
    if (this.idleMs === null) return;
    this.stopIdleTimer();
    // Every request stops this timer first, so none is in flight when it fires.
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.worker?.terminate();
      this.worker = null;
    }, this.idleMs);
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private restart(reason: Error): void {
    this.stopIdleTimer();
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }
}
