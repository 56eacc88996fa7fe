/**
 * A minimal ONNX (protobuf) writer: just the messages a small hand-built graph
 * needs. Field numbers follow onnx.proto (IR version 7, opset 13).
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_BYTES = 2;

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, BOOL: 9, INT64: 7 };
/** ONNX AttributeProto.AttributeType values used here. */
const AttrType = { FLOAT: 1, INT: 2, INTS: 7 };

function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field, wire) {
  return varint((field << 3) | wire);
}

class Message {
  parts = [];
  int(field, value) {
    this.parts.push(...key(field, WIRE_VARINT), ...varint(value));
    return this;
  }
  float(field, value) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(...key(field, WIRE_FIXED32), ...b);
    return this;
  }
  bytes(field, data) {
    this.parts.push(...key(field, WIRE_BYTES), ...varint(data.length), ...data);
    return this;
  }
  string(field, text) {
    return this.bytes(field, new TextEncoder().encode(text));
  }
  message(field, msg) {
    return this.bytes(field, msg.encode());
  }
  encode() {
    return Uint8Array.from(this.parts);
  }
}

/**
 * A graph node: `op(inputs) -> outputs`. Attributes are tagged by type:
 * `{ ints: [..] }`, `{ int: n }` or `{ float: x }`.
 */
export function node(opType, inputs, outputs, attrs = {}) {
  const m = new Message();
  for (const i of inputs) m.string(1, i);
  for (const o of outputs) m.string(2, o);
  m.string(3, `${opType}_${outputs[0]}`);
  m.string(4, opType);
  for (const [name, value] of Object.entries(attrs)) {
    const a = new Message().string(1, name);
    if ('ints' in value) {
      for (const v of value.ints) a.int(8, v);
      a.int(20, AttrType.INTS);
    } else if ('int' in value) {
      a.int(3, value.int).int(20, AttrType.INT);
    } else {
      a.float(2, value.float).int(20, AttrType.FLOAT);
    }
    m.message(5, a);
  }
  return m;
}

/** A constant tensor (initializer). */
export function tensor(name, dataType, dims, values) {
  const m = new Message();
  for (const d of dims) m.int(1, d);
  m.int(2, dataType);
  m.string(8, name);
  let raw;
  if (dataType === DataType.FLOAT) {
    raw = new Uint8Array(new Float32Array(values).buffer);
  } else if (dataType === DataType.INT64) {
    raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
  } else {
    throw new Error(`Unsupported initializer type ${dataType}`);
  }
  m.bytes(9, raw);
  return m;
}

/** A graph input or output with a shape of numbers (fixed) and strings (symbolic). */
export function valueInfo(name, elemType, shape) {
  const shapeMsg = new Message();
  for (const d of shape) {
    const dim = new Message();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shapeMsg.message(1, dim);
  }
  const tensorType = new Message().int(1, elemType).message(2, shapeMsg);
  const type = new Message().message(1, tensorType);
  return new Message().string(1, name).message(2, type);
}

/** Serialises a whole model. */
export function model({ name, doc, nodes, initializers, inputs, outputs, producer }) {
  const graph = new Message();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, name);
  for (const t of initializers) graph.message(5, t);
  graph.string(10, doc);
  for (const i of inputs) graph.message(11, i);
  for (const o of outputs) graph.message(12, o);
  const opset = new Message().string(1, '').int(2, 13);
  return new Message()
    .int(1, 7)
    .string(2, producer.name)
    .string(3, producer.version)
    .message(7, graph)
    .message(8, opset)
    .encode();
}
