import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataType, model, node, tensor, valueInfo } from '../../models/frame-stats/onnx-writer.mjs';

const producer = { name: 'unit-test', version: '1' };

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function runModel(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('onnx-writer', { timeout: 120_000 }, () => {
  it('writes a one-node Add model with a float initializer that onnxruntime runs', async () => {
    const bytes = model({
      name: 'add',
      doc: 'y = x + c',
      nodes: [node('Add', ['x', 'c'], ['y'])],
      initializers: [tensor('c', DataType.FLOAT, [3], [1, 2, 3])],
      inputs: [valueInfo('x', DataType.FLOAT, [3])],
      outputs: [valueInfo('y', DataType.FLOAT, [3])],
      producer,
    });
    const out = await runModel(bytes, { x: new ort.Tensor('float32', new Float32Array([10, 20, 30.5]), [3]) });
    expect(out.y?.dims).toEqual([3]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([11, 22, 33.5]);
  });

  it('encodes int, ints and float attributes, negative integers, int64 initializers and symbolic dims', async () => {
    // x: [n, 3] → LeakyRelu(alpha 0.5) → ReduceMean over axis 1 (keepdims) → Concat with itself on axis -1
    // → Reshape by an int64 shape [-1].
    const bytes = model({
      name: 'attrs',
      doc: 'attribute coverage',
      nodes: [
        node('LeakyRelu', ['x'], ['leaky'], { alpha: { float: 0.5 } }),
        node('ReduceMean', ['leaky'], ['mean'], { axes: { ints: [1] }, keepdims: { int: 1 } }),
        node('Concat', ['mean', 'mean'], ['pair'], { axis: { int: -1 } }),
        node('Reshape', ['pair', 'flat_shape'], ['y']),
      ],
      initializers: [tensor('flat_shape', DataType.INT64, [1], [-1])],
      inputs: [valueInfo('x', DataType.FLOAT, ['n', 3])],
      outputs: [valueInfo('y', DataType.FLOAT, ['m'])],
      producer,
    });
    const x = new ort.Tensor('float32', new Float32Array([-6, 0, 3, 3, 6, 9]), [2, 3]);
    const out = await runModel(bytes, { x });
    // Row 1: (-3 + 0 + 3) / 3 = 0; row 2: (3 + 6 + 9) / 3 = 6; each mean appears twice.
    expect(out.y?.dims).toEqual([4]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 0, 6, 6]);
  });
});
