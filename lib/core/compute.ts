/**
 * Where the extension's models ran for a video: the engine, its threads, and what GPU the browser offered the
 * analysis page. Every model runs in onnxruntime-web's WebAssembly engine on one thread today: an extension page is
 * not cross-origin isolated, so it has no shared memory for threads, and on the 2-core machines this is measured on a
 * second thread would compete with the page being read. The GPU offer is recorded so that the detail view says
 * plainly that a GPU was not used, and whether one was there.
 */

/** What `navigator.gpu` offered: no WebGPU at all, no adapter, a software (fallback) adapter, or a hardware one. */
export type GpuOffer = 'unsupported' | 'no-adapter' | 'software' | 'hardware';

/** See the module's note. */
export interface ComputeDevice {
  engine: 'wasm';
  threads: number;
  gpu: GpuOffer;
  /** The hardware adapter's vendor as the browser names it (`GPUAdapterInfo.vendor`), where it names one. */
  gpuVendor?: string;
}

const GPU_OFFERS: readonly GpuOffer[] = ['unsupported', 'no-adapter', 'software', 'hardware'];

/**
 * The value as a {@link ComputeDevice}, or null when it is not one: reports come back from storage, so a damaged or
 * older one shows nothing rather than something made up.
 */
export function asComputeDevice(value: unknown): ComputeDevice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.engine !== 'wasm' || typeof v.threads !== 'number' || !Number.isInteger(v.threads) || v.threads < 1)
    return null;
  if (!GPU_OFFERS.includes(v.gpu as GpuOffer)) return null;
  const vendor = typeof v.gpuVendor === 'string' && v.gpuVendor.trim() ? v.gpuVendor.trim().slice(0, 40) : undefined;
  return { engine: 'wasm', threads: v.threads, gpu: v.gpu as GpuOffer, ...(vendor ? { gpuVendor: vendor } : {}) };
}
