/**
 * Builds `public/models/frame-stats.onnx`, the project's own tiny model that
 * proves the on-device inference path end to end. It computes four
 * statistics of a frame — mean luma, luma standard deviation, edge energy
 * (mean absolute difference between neighbouring pixels) and the fraction of
 * near-black pixels — from which `lib/analysis/frame-quality.ts` decides
 * whether a frame is black or blank. It knows nothing about AI and never
 * informs an AI verdict. Run: `npm run model:frame-stats`.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, model, node, tensor, valueInfo } from './onnx-writer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../../public/models/frame-stats.onnx');

/** Pixels darker than this (16/255, video black level) count as black. */
const DARK_LEVEL = 16 / 255;
const ALL = { ints: [1, 2, 3] };
const KEEP = { int: 1 };
const INT64_MAX = 2n ** 63n - 1n;

const nodes = [
  // ITU-R BT.601 luma as a 1×1 convolution over RGB in 0..1.
  node('Conv', ['frame', 'luma_weights'], ['luma']),
  node('ReduceMean', ['luma'], ['mean'], { axes: ALL, keepdims: KEEP }),
  node('Sub', ['luma', 'mean'], ['centred']),
  node('Mul', ['centred', 'centred'], ['squared']),
  node('ReduceMean', ['squared'], ['variance'], { axes: ALL, keepdims: KEEP }),
  node('Sqrt', ['variance'], ['std']),
  node('Slice', ['luma', 'one', 'max', 'axis_w'], ['right']),
  node('Slice', ['luma', 'zero', 'minus_one', 'axis_w'], ['left']),
  node('Sub', ['right', 'left'], ['dx']),
  node('Abs', ['dx'], ['adx']),
  node('ReduceMean', ['adx'], ['edge_x'], { axes: ALL, keepdims: KEEP }),
  node('Slice', ['luma', 'one', 'max', 'axis_h'], ['below']),
  node('Slice', ['luma', 'zero', 'minus_one', 'axis_h'], ['above']),
  node('Sub', ['below', 'above'], ['dy']),
  node('Abs', ['dy'], ['ady']),
  node('ReduceMean', ['ady'], ['edge_y'], { axes: ALL, keepdims: KEEP }),
  node('Add', ['edge_x', 'edge_y'], ['edge_sum']),
  node('Mul', ['edge_sum', 'half'], ['edge']),
  node('Less', ['luma', 'dark_level'], ['is_dark']),
  node('Cast', ['is_dark'], ['dark_float'], { to: { int: DataType.FLOAT } }),
  node('ReduceMean', ['dark_float'], ['dark'], { axes: ALL, keepdims: KEEP }),
  node('Concat', ['mean', 'std', 'edge', 'dark'], ['stats4d'], { axis: { int: 1 } }),
  node('Reshape', ['stats4d', 'stats_shape'], ['stats']),
];

const initializers = [
  tensor('luma_weights', DataType.FLOAT, [1, 3, 1, 1], [0.299, 0.587, 0.114]),
  tensor('zero', DataType.INT64, [1], [0]),
  tensor('one', DataType.INT64, [1], [1]),
  tensor('minus_one', DataType.INT64, [1], [-1]),
  tensor('max', DataType.INT64, [1], [INT64_MAX]),
  tensor('axis_w', DataType.INT64, [1], [3]),
  tensor('axis_h', DataType.INT64, [1], [2]),
  tensor('half', DataType.FLOAT, [1], [0.5]),
  tensor('dark_level', DataType.FLOAT, [1], [DARK_LEVEL]),
  tensor('stats_shape', DataType.INT64, [2], [1, 4]),
];

const bytes = model({
  name: 'frame_stats',
  doc: 'Frame statistics: [mean luma, luma std, edge energy, dark fraction] of an RGB frame in 0..1 (NCHW).',
  nodes,
  initializers,
  inputs: [valueInfo('frame', DataType.FLOAT, [1, 3, 'height', 'width'])],
  outputs: [valueInfo('stats', DataType.FLOAT, [1, 4])],
  producer: { name: 'provenance-lens', version: '1' },
});

writeFileSync(out, bytes);
console.log(`wrote ${out} (${bytes.length} bytes)`);
