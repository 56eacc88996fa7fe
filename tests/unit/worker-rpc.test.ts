import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerRpc } from '../../lib/platform/worker-rpc';

interface Req {
  id: number;
  n: number;
}
interface Res {
  id: number;
  doubled: number;
}

/** A worker in the same thread: answers each request on the next turn, counts what happened to it. */
class EchoWorker {
  onmessage: ((event: MessageEvent<Res>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(req: Req): void {
    setTimeout(() => this.onmessage?.({ data: { id: req.id, doubled: req.n * 2 } } as MessageEvent<Res>), 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function rpcWith(idleMs: number | null) {
  const started: EchoWorker[] = [];
  const rpc = new WorkerRpc<Req, Res>(
    () => {
      const w = new EchoWorker();
      started.push(w);
      return w as unknown as Worker;
    },
    'test worker',
    10_000,
    idleMs,
  );
  return { rpc, started };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerRpc', () => {
  it('lets an idle worker go after idleMs, and starts a fresh one on the next request', async () => {
    vi.useFakeTimers();
    const { rpc, started } = rpcWith(1000);
    const first = rpc.call((id) => ({ id, n: 2 }));
    await vi.advanceTimersByTimeAsync(0);
    await expect(first).resolves.toMatchObject({ doubled: 4 });
    expect(rpc.running).toBe(true);
    // Requests inside the idle time keep the same worker.
    await vi.advanceTimersByTimeAsync(900);
    const second = rpc.call((id) => ({ id, n: 3 }));
    await vi.advanceTimersByTimeAsync(0);
    await expect(second).resolves.toMatchObject({ doubled: 6 });
    await vi.advanceTimersByTimeAsync(900);
    expect(started).toHaveLength(1);
    expect(started[0]!.terminated).toBe(false);
    // Then nothing for the idle time: the worker goes.
    await vi.advanceTimersByTimeAsync(200);
    expect(started[0]!.terminated).toBe(true);
    expect(rpc.running).toBe(false);
    const third = rpc.call((id) => ({ id, n: 5 }));
    await vi.advanceTimersByTimeAsync(0);
    await expect(third).resolves.toMatchObject({ doubled: 10 });
    expect(started).toHaveLength(2);
  });

  it('never lets a worker go while a request is in flight', async () => {
    vi.useFakeTimers();
    const { rpc, started } = rpcWith(1000);
    const done = rpc.call((id) => ({ id, n: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    await done;
    // A slow request starts before the idle time ends and outlasts it.
    started[0]!.postMessage = () => undefined;
    const slow = rpc.call((id) => ({ id, n: 1 }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(started[0]!.terminated).toBe(false);
    expect(rpc.inFlight).toBe(1);
    started[0]!.onmessage?.({ data: { id: 2, doubled: 2 } } as MessageEvent<Res>);
    await expect(slow).resolves.toMatchObject({ doubled: 2 });
  });

  it('keeps its worker without idleMs', async () => {
    vi.useFakeTimers();
    const { rpc, started } = rpcWith(null);
    const done = rpc.call((id) => ({ id, n: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    await done;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(started[0]!.terminated).toBe(false);
    expect(rpc.running).toBe(true);
  });
});
