/// <reference lib="webworker" />
import init, { WasmReader } from '@contentauth/c2pa-wasm';
import type { C2paWorkerRequest, C2paWorkerResponse } from './c2pa-worker-protocol';

/**
 * Runs the C2PA reference implementation (c2pa-rs compiled to wasm) off the
 * analysis host's thread. It must run in a worker: the wasm reads blobs with
 * FileReaderSync, which only workers have. It reads only the bytes it is
 * given: remote manifests (a URL named in the file's XMP) and OCSP answers
 * are never fetched, so a page cannot make c2pa-rs call a server of its
 * choosing.
 */
let ready: Promise<unknown> | null = null;

/** Reads run one after another: the wasm engine is not re-entrant across awaits. */
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<C2paWorkerRequest>) => {
  queue = queue.then(() => handle(event.data));
};

async function handle(req: C2paWorkerRequest): Promise<void> {
  const reply = (res: C2paWorkerResponse) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(res);
  try {
    ready ??= init({ module_or_path: req.wasmUrl });
    await ready;
    const settings = req.settings;
    const reader =
      req.op === 'file'
        ? await WasmReader.fromBlob(req.mimeType, req.blob, settings)
        : await WasmReader.fromBlobFragment(req.mimeType, req.init, req.fragment, settings);
    try {
      reply({ id: req.id, store: reader.manifestStore() as unknown });
    } finally {
      reader.free();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // c2pa-rs's way of saying "no Content Credentials here".
    if (message === 'C2pa(JumbfNotFound)') reply({ id: req.id, store: null });
    else reply({ id: req.id, error: message });
  }
}
