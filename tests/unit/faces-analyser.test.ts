import { describe, expect, it, vi } from 'vitest';
import { FaceAnalyser, type FaceFinder } from '../../lib/analysis/faces/face-analyser';

// MediaPipe's detector needs a browser (tests/e2e/faces.test.ts runs the real one); these cover the
// loading rules, which do not touch pixels.
const bitmap = { width: 256, height: 144, close() {} } as unknown as ImageBitmap;

describe('FaceAnalyser loading', () => {
  it('does not make a frame wait for the detector: the first frame starts loading and goes on unchecked', async () => {
    let resolve!: (f: FaceFinder) => void;
    const load = vi.fn(() => new Promise<FaceFinder>((r) => (resolve = r)));
    const analyser = new FaceAnalyser(load, null);
    expect(await analyser.analyse(bitmap)).toEqual({ faces: null, ms: 0, detectMs: 0 });
    expect(await analyser.analyse(bitmap)).toMatchObject({ faces: null });
    expect(load).toHaveBeenCalledTimes(1);
    resolve({ detect: () => [] });
    await analyser.prepare();
    expect(analyser.ready).toBe(true);
    expect((await analyser.analyse(bitmap)).faces).toEqual([]);
  });

  it('gives up on a detector that failed to load, once, without retrying on every frame', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const load = vi.fn(() => Promise.reject(new Error('wasm missing')));
    const analyser = new FaceAnalyser(load, null);
    await analyser.analyse(bitmap);
    await analyser.prepare();
    await analyser.analyse(bitmap);
    expect(analyser.unavailable).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('reports a frame as unchecked, not as faceless, when detection throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const analyser = new FaceAnalyser(
      async () => ({
        detect: () => {
          throw new Error('graph error');
        },
      }),
      null,
    );
    await analyser.prepare();
    expect((await analyser.analyse(bitmap)).faces).toBeNull();
    warn.mockRestore();
  });
});
