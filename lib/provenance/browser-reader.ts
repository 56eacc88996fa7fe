import { WorkerRpc } from '../platform/worker-rpc';
import type { C2paReadBody, C2paWorkerRequest, C2paWorkerResponse } from './c2pa-worker-protocol';
import type { C2paReader } from './provenance-checker';
import { c2paSettings, type C2paReading, TrustAttribution, type TrustSet, type TrustSource } from './trust';

/** c2pa-rs's settings for one reading (its own names), as the worker passes them to the wasm reader. */
export function settingsJson(sources: readonly TrustSource[]): string {
  const settings = c2paSettings(sources);
  return JSON.stringify({ ...settings, verify: { ...settings.verify, verify_after_reading: true } });
}

/** Longest a single read may take before the worker is restarted. */
const READ_TIMEOUT_MS = 60_000;
/**
 * The worker is let go after this long without a reading: the wasm memory it grew to hold the largest file read so
 * far stays taken until then. Starting it again costs one compile of the reader, when the next signed file comes.
 */
const IDLE_MS = 20_000;

/**
 * The C2PA reader as the analysis host runs it: c2pa-rs compiled to wasm
 * (@contentauth/c2pa-wasm, the engine of @contentauth/c2pa-web) in a worker
 * bundled with the extension. c2pa-web's own loader only accepts https:
 * worker URLs or an inline blob: worker, and an extension can use neither,
 * so the extension hosts the same engine in its own worker. The worker
 * starts lazily, is restarted if a read hangs, and is let go when idle.
 */
export class BrowserC2paReader implements C2paReader {
  private readonly rpc = new WorkerRpc<C2paWorkerRequest, C2paWorkerResponse>(
    () => new Worker(new URL('./c2pa-worker.ts', import.meta.url), { type: 'module' }),
    'C2PA reader',
    READ_TIMEOUT_MS,
    IDLE_MS,
  );

  private readonly attribution = new TrustAttribution();

  constructor(private readonly wasmUrl: string) {}

  read(mimeType: string, blob: Blob, trust: TrustSet): Promise<C2paReading | null> {
    return this.attribution.read(trust, (sources) =>
      this.request({ op: 'file', blob, mimeType, settings: settingsJson(sources) }),
    );
  }

  readFragment(mimeType: string, init: Blob, fragment: Blob, trust: TrustSet): Promise<C2paReading | null> {
    return this.attribution.read(trust, (sources) =>
      this.request({ op: 'fragment', init, fragment, mimeType, settings: settingsJson(sources) }),
    );
  }

  private async request(body: C2paReadBody): Promise<unknown | null> {
    const res = await this.rpc.call((id): C2paWorkerRequest => ({ ...body, id, wasmUrl: this.wasmUrl }));
    if ('error' in res) throw new Error(res.error);
    return res.store;
  }
}
