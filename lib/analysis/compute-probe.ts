import type { ComputeDevice, GpuOffer } from '../core/compute';

/** The part of `navigator.gpu` the probe uses (the DOM typings of this project do not include WebGPU). */
export interface GpuLike {
  requestAdapter(): Promise<{
    info?: { vendor?: string; isFallbackAdapter?: boolean };
    isFallbackAdapter?: boolean;
  } | null>;
}

/** How long the probe waits for an adapter: a browser whose GPU process is starting or stuck must not hold it up. */
export const GPU_PROBE_TIMEOUT_MS = 3000;

/**
 * Finds out what GPU the browser offers this page, once: no WebGPU, no adapter, a software adapter (SwiftShader and
 * the like: a GPU drawn by the CPU), or a hardware one with its vendor. The adapter is only asked
 * for, never used; a probe that fails or takes longer than {@link GPU_PROBE_TIMEOUT_MS} counts as no adapter.
 */
export async function probeGpu(
  gpu: GpuLike | undefined,
  timeoutMs = GPU_PROBE_TIMEOUT_MS,
): Promise<{ gpu: GpuOffer; gpuVendor?: string }> {
  if (!gpu || typeof gpu.requestAdapter !== 'function') return { gpu: 'unsupported' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const adapter = await Promise.race([gpu.requestAdapter().catch(() => null), late]);
    if (!adapter) return { gpu: 'no-adapter' };
    if (adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true) return { gpu: 'software' };
    const vendor = adapter.info?.vendor?.trim();
    return { gpu: 'hardware', ...(vendor ? { gpuVendor: vendor } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/** The {@link ComputeDevice} of an analysis page whose models run in WebAssembly on `threads` threads. */
export async function probeCompute(gpu: GpuLike | undefined, threads: number): Promise<ComputeDevice> {
  return { engine: 'wasm', threads, ...(await probeGpu(gpu)) };
}
