import { describe, expect, it, vi } from 'vitest';
import { probeCompute, probeGpu, type GpuLike } from '../../lib/analysis/compute-probe';
import { asComputeDevice } from '../../lib/core/compute';
import { analysedOnLine } from '../../lib/detail/explain';
import { ResultsStore, type SessionArea } from '../../lib/background/results-store';

const gpuGiving = (adapter: Awaited<ReturnType<GpuLike['requestAdapter']>>): GpuLike => ({
  requestAdapter: () => Promise.resolve(adapter),
});

describe('probeGpu: what GPU the browser offers the analysis page', () => {
  it('tells no WebGPU, no adapter, a software adapter and a hardware one apart', async () => {
    await expect(probeGpu(undefined)).resolves.toEqual({ gpu: 'unsupported' });
    await expect(probeGpu(gpuGiving(null))).resolves.toEqual({ gpu: 'no-adapter' });
    await expect(probeGpu(gpuGiving({ info: { vendor: 'google', isFallbackAdapter: true } }))).resolves.toEqual({
      gpu: 'software',
    });
    // Browsers before `GPUAdapterInfo.isFallbackAdapter` said it on the adapter.
    await expect(probeGpu(gpuGiving({ isFallbackAdapter: true }))).resolves.toEqual({ gpu: 'software' });
    await expect(probeGpu(gpuGiving({ info: { vendor: ' nvidia ', isFallbackAdapter: false } }))).resolves.toEqual({
      gpu: 'hardware',
      gpuVendor: 'nvidia',
    });
    await expect(probeGpu(gpuGiving({ info: { vendor: '' } }))).resolves.toEqual({ gpu: 'hardware' });
  });

  it('counts a failing or hanging request as no adapter, and does not wait past its timeout', async () => {
    await expect(probeGpu({ requestAdapter: () => Promise.reject(new Error('lost')) })).resolves.toEqual({
      gpu: 'no-adapter',
    });
    vi.useFakeTimers();
    try {
      const hanging = probeGpu({ requestAdapter: () => new Promise(() => undefined) }, 3000);
      await vi.advanceTimersByTimeAsync(3000);
      await expect(hanging).resolves.toEqual({ gpu: 'no-adapter' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('describes the wasm engine with its threads', async () => {
    await expect(probeCompute(gpuGiving(null), 1)).resolves.toEqual({ engine: 'wasm', threads: 1, gpu: 'no-adapter' });
  });
});

describe('the detail page’s line on where the models ran', () => {
  it('says the processor and its threads, and what became of the GPU', () => {
    expect(analysedOnLine({})).toBeNull();
    expect(analysedOnLine({ analysedOn: { engine: 'wasm', threads: 1, gpu: 'no-adapter' } })).toBe(
      "Models ran on this device's processor (WebAssembly, 1 thread). The browser offered no graphics adapter, so no graphics processor was used.",
    );
    expect(analysedOnLine({ analysedOn: { engine: 'wasm', threads: 2, gpu: 'unsupported' } })).toBe(
      "Models ran on this device's processor (WebAssembly, 2 threads). This browser offers extensions no WebGPU, so no graphics processor was used.",
    );
    expect(analysedOnLine({ analysedOn: { engine: 'wasm', threads: 1, gpu: 'software' } })).toContain(
      'only a software graphics adapter',
    );
    expect(
      analysedOnLine({ analysedOn: { engine: 'wasm', threads: 1, gpu: 'hardware', gpuVendor: 'nvidia' } }),
    ).toContain('A graphics processor (nvidia) is available; this version runs its models on the processor only.');
    expect(analysedOnLine({ analysedOn: { engine: 'wasm', threads: 1, gpu: 'hardware' } })).toContain(
      'A graphics processor is available;',
    );
  });

  it('shows nothing for a damaged record rather than something made up', () => {
    for (const bad of [
      null,
      'wasm',
      { engine: 'webgpu', threads: 1, gpu: 'hardware' },
      { engine: 'wasm', threads: 0, gpu: 'no-adapter' },
      { engine: 'wasm', threads: 1.5, gpu: 'no-adapter' },
      { engine: 'wasm', threads: 1, gpu: 'quantum' },
    ]) {
      expect(asComputeDevice(bad)).toBeNull();
      expect(analysedOnLine({ analysedOn: bad as never })).toBeNull();
    }
    expect(
      asComputeDevice({ engine: 'wasm', threads: 1, gpu: 'hardware', gpuVendor: 'x'.repeat(100) })?.gpuVendor,
    ).toBe('x'.repeat(40));
  });
});

describe('ResultsStore: where a video’s frames were analysed', () => {
  it('keeps the host’s word from the latest frame that carried one', async () => {
    const data = new Map<string, unknown>();
    const area: SessionArea = {
      get: async (key) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
      set: async (items) => void Object.entries(items).forEach(([k, v]) => data.set(k, structuredClone(v))),
      remove: async (key) => void data.delete(key),
    };
    const store = new ResultsStore(area, () => 1000);
    await store.videoSeen(1, 0, {
      id: 'v1',
      src: 'https://cdn.example/a.mp4',
      pageUrl: 'https://example.com/',
      width: 640,
      height: 360,
    });
    const frame = {
      mediaTime: 0.1,
      framePath: 'canvas' as const,
      blank: false,
      timings: { capture: 1, mainThread: 1, encode: 1, transfer: 1, preprocess: 1, inference: 1, classify: 1 },
      transferBytes: 100,
      thumbnail: null,
      sincePlaying: 100,
      aiLogit: null,
    };
    expect((await store.recordFrame(1, 'v1', frame))?.analysedOn).toBeUndefined();
    const cpu = { engine: 'wasm', threads: 1, gpu: 'no-adapter' } as const;
    expect((await store.recordFrame(1, 'v1', { ...frame, mediaTime: 0.8, compute: cpu }))?.analysedOn).toEqual(cpu);
    // A frame analysed before the host's probe answered does not erase what a later one said.
    expect((await store.recordFrame(1, 'v1', { ...frame, mediaTime: 1.5 }))?.analysedOn).toEqual(cpu);
    await store.flush();
  });
});
