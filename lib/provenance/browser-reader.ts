import type { C2paReadBody, C2paWorkerRequest, C2paWorkerResponse } from './c2pa-worker-protocol';
import type { C2paReader } from './provenance-checker';

/** Longest a single read may take before the worker is restarted. */
const READ_TIMEOUT_MS = 60_000;

type Pending = {
  resolve: (store: unknown | null) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/**
 * The C2PA reader as the analysis host runs it: c2pa-rs compiled to wasm
 * (@contentauth/c2pa-wasm, the engine of @contentauth/c2pa-web) in a worker
 * bundled with the extension. c2pa-web's own loader only accepts https:
 * worker URLs or an inline blob: worker, and an extension can use neither,
 * so the extension hosts the same engine in its own worker. The worker
 * starts lazily and is restarted if a read hangs.
 */
export class BrowserC2paReader implements C2paReader {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly wasmUrl: string) {}

  read(mimeType: string, blob: Blob, trustAnchors: string): Promise<unknown | null> {
    return this.request({ op: 'file', blob, mimeType, trustAnchors });
  }

  readFragment(mimeType: string, init: Blob, fragment: Blob, trustAnchors: string): Promise<unknown | null> {
    return this.request({ op: 'fragment', init, fragment, mimeType, trustAnchors });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./c2pa-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<C2paWorkerResponse>) => {
      const res = event.data;
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      clearTimeout(p.timer);
      if ('error' in res) p.reject(new Error(res.error));
      else p.resolve(res.store);
    };
    worker.onerror = (event) => this.restart(new Error(`C2PA reader crashed: ${event.message || 'unknown error'}`));
    this.worker = worker;
    return worker;
  }

  private restart(reason: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }

  private request(body: C2paReadBody): Promise<unknown | null> {
    const id = this.nextId++;
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.restart(new Error('C2PA reader timed out')), READ_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      const message: C2paWorkerRequest = { ...body, id, wasmUrl: this.wasmUrl };
      worker.postMessage(message);
    });
  }
}
