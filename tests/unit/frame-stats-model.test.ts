import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { isBlankFrame, referenceFrameStats } from '../../lib/analysis/frame-quality';
import { FRAME_STATS_INPUT_SIDE, FrameStatsModel } from '../../lib/analysis/frame-stats-model';
import type { FrameStats } from '../../lib/core/signals';
import { flat, makeImage, noise, type RgbaImage } from './frame-images';

const MODEL_PATH = fileURLToPath(new URL('../../public/models/frame-stats.onnx', import.meta.url));
const TOLERANCE = 1e-4;
const SIDE = FRAME_STATS_INPUT_SIDE;

let modelBytes: Uint8Array;

beforeAll(() => {
  // Node has no cross-origin isolation; the single-threaded wasm build is what runs here.
  ort.env.wasm.numThreads = 1;
  modelBytes = new Uint8Array(readFileSync(MODEL_PATH));
});

const images: RgbaImage[] = [
  noise('random noise', SIDE, SIDE, 1234),
  noise('dark noise (night footage)', SIDE, SIDE, 99, 40),
  flat('black', SIDE, SIDE, 0),
  flat('flat grey', SIDE, SIDE, 128),
  makeImage('diagonal gradient', SIDE, SIDE, (x, y) => [x * 4, y * 4, (x + y) * 2]),
  makeImage('checkerboard', SIDE, SIDE, (x, y) =>
    (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? [250, 250, 250] : [5, 5, 5],
  ),
  // Non-square: a swapped width and height in the tensor shape would change the edge statistics.
  makeImage('horizontal stripes 64×48', SIDE, 48, (_, y) => (y % 2 ? [200, 180, 160] : [20, 30, 40])),
];

function expectClose(actual: FrameStats, expected: FrameStats): void {
  for (const key of ['meanLuma', 'lumaStd', 'edgeEnergy', 'darkFraction'] as const) {
    expect(Math.abs(actual[key] - expected[key]), `${key}: ${actual[key]} vs ${expected[key]}`).toBeLessThanOrEqual(
      TOLERANCE,
    );
  }
}

describe('frame-stats.onnx parity with referenceFrameStats', { timeout: 120_000 }, () => {
  const model = () => new FrameStatsModel(ort, async () => modelBytes);
  let shared: FrameStatsModel;

  beforeAll(() => {
    shared = model();
  });

  it.each(images.map((image) => [image.name, image] as const))('matches on %s', async (_, image) => {
    const fromModel = await shared.run(image.data, image.width, image.height);
    const reference = referenceFrameStats(image.data, image.width, image.height);
    expectClose(fromModel, reference);
    expect(isBlankFrame(fromModel)).toBe(isBlankFrame(reference));
  });

  it('agrees on which of the test images are blank', async () => {
    // Guards the parity cases themselves: both kinds of frame must be among them.
    const blank: string[] = [];
    for (const image of images) {
      if (isBlankFrame(await shared.run(image.data, image.width, image.height))) blank.push(image.name);
    }
    expect(blank).toEqual(['black', 'flat grey']);
  });
});

describe('FrameStatsModel loading', { timeout: 120_000 }, () => {
  it('rejects a run when loading fails, then retries the load on the next run', async () => {
    let loads = 0;
    const model = new FrameStatsModel(ort, async () => {
      loads++;
      if (loads === 1) throw new Error('model fetch failed');
      return modelBytes;
    });
    const image = flat('grey', 8, 8, 128);

    await expect(model.run(image.data, image.width, image.height)).rejects.toThrow('model fetch failed');
    const stats = await model.run(image.data, image.width, image.height);
    expect(stats.meanLuma).toBeCloseTo(128 / 255, 4);
    expect(loads).toBe(2);
  });

  it('retries after the bytes were not a model at all', async () => {
    let loads = 0;
    const model = new FrameStatsModel(ort, async () => (++loads === 1 ? new Uint8Array([1, 2, 3, 4]) : modelBytes));
    const image = flat('black', 8, 8, 0);
    await expect(model.run(image.data, image.width, image.height)).rejects.toThrow();
    await expect(model.run(image.data, image.width, image.height)).resolves.toMatchObject({ darkFraction: 1 });
    expect(loads).toBe(2);
  });

  it('loads the model once and reuses the session, also for concurrent first frames', async () => {
    let loads = 0;
    const model = new FrameStatsModel(ort, async () => {
      loads++;
      return modelBytes;
    });
    const image = noise('n', 16, 16, 5);
    await Promise.all([1, 2, 3].map(() => model.run(image.data, image.width, image.height)));
    await model.run(image.data, image.width, image.height);
    expect(loads).toBe(1);
  });
});
