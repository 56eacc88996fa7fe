import { Builder, ByteBuffer } from 'flatbuffers';

/**
 * Adds TFLite model metadata (the `TFLITE_METADATA` entry of
 * tensorflow/tflite-support's metadata_schema.fbs) to a `.tflite` FlatBuffer.
 *
 * The short-range BlazeFace model inside `@mediapipe/face_detection` carries
 * none, and MediaPipe's FaceDetector refuses a float model whose input has no
 * NormalizationOptions. Rather than re-encode the whole model (the TFLite
 * schema has over a hundred operator option tables), the original bytes are
 * kept untouched at the end of a new buffer and a new root `Model` table in
 * front of them points forward into them (FlatBuffer offsets only point
 * forward), adding one buffer with the metadata and one `metadata` entry.
 */

/** The name TFLite runtimes look up in `Model.metadata`. */
export const TFLITE_METADATA_NAME = 'TFLITE_METADATA';
/** File identifiers of the model and of the metadata schema. */
const MODEL_IDENTIFIER = 'TFL3';
const METADATA_IDENTIFIER = 'M001';
/** tflite schema.fbs requires buffer data aligned to 16 bytes (`force_align: 16`). */
const BUFFER_ALIGN = 16;

/** Field ids of tflite `Model` (schema.fbs). */
const MODEL = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
const MODEL_FIELD_COUNT = 8;
/** tflite `Buffer`: data, then offset and size for data kept outside the FlatBuffer (models over 2 GB). */
const BUFFER = { data: 0, offset: 1, size: 2 } as const;
/** tflite `Metadata`: name and buffer index. */
const METADATA_ENTRY = { name: 0, buffer: 1 } as const;
/** metadata_schema.fbs: union tags. */
const CONTENT_IMAGE_PROPERTIES = 2;
const PROCESS_UNIT_NORMALIZATION = 1;
const COLOR_SPACES = { UNKNOWN: 0, RGB: 1, GRAYSCALE: 2 } as const;

/** What the metadata says about an image input tensor. */
export interface ImageInputMetadata {
  /** Model name written into ModelMetadata. */
  modelName: string;
  /** Input tensor name. */
  tensorName: string;
  /** Per-channel (or one shared) mean and standard deviation: the model sees (pixel − mean) / std. */
  mean: number[];
  std: number[];
  colorSpace: keyof typeof COLOR_SPACES;
}

/** The vtable slot of a field id. */
function slot(id: number): number {
  return 4 + 2 * id;
}

/** Absolute position of a table field's value, or 0 when the field is absent. */
function field(bb: ByteBuffer, table: number, id: number): number {
  const o = bb.__offset(table, slot(id));
  return o ? table + o : 0;
}

/** Absolute position of the table a uoffset at `at` points to. */
function deref(bb: ByteBuffer, at: number): number {
  return at + bb.readUint32(at);
}

/** Element positions of a vector of tables (each resolved to its table) stored at field `at`. */
function tableVector(bb: ByteBuffer, at: number): number[] {
  if (!at) return [];
  const vec = deref(bb, at);
  const n = bb.readUint32(vec);
  return Array.from({ length: n }, (_, i) => deref(bb, vec + 4 + 4 * i));
}

function readString(bb: ByteBuffer, at: number): string | null {
  if (!at) return null;
  const s = deref(bb, at);
  return new TextDecoder().decode(bb.bytes().subarray(s + 4, s + 4 + bb.readUint32(s)));
}

function readFloats(bb: ByteBuffer, at: number): number[] {
  if (!at) return [];
  const vec = deref(bb, at);
  return Array.from({ length: bb.readUint32(vec) }, (_, i) => bb.readFloat32(vec + 4 + 4 * i));
}

function rootTable(bytes: Uint8Array, identifier: string, what: string): { bb: ByteBuffer; root: number } {
  if (bytes.length < 8) throw new Error(`${what}: too short to be a FlatBuffer (${bytes.length} bytes)`);
  const bb = new ByteBuffer(bytes);
  if (bb.getBufferIdentifier() !== identifier)
    throw new Error(`${what}: file identifier is not "${identifier}" (got "${bb.getBufferIdentifier()}")`);
  const root = bb.readUint32(0);
  if (root < 8 || root >= bytes.length) throw new Error(`${what}: root table offset ${root} is out of range`);
  return { bb, root };
}

/** A metadata FlatBuffer (`M001`) describing one RGB image input with its normalisation. */
export function buildImageInputMetadata(meta: ImageInputMetadata): Uint8Array {
  if (meta.mean.length === 0 || meta.mean.length !== meta.std.length)
    throw new Error('normalisation needs as many means as standard deviations (one, or one per channel)');
  if (meta.std.some((s) => !(s > 0))) throw new Error('normalisation standard deviations must be positive');
  const b = new Builder(512);
  const floats = (values: number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
    return b.endVector();
  };
  const tables = (offsets: number[]) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
    return b.endVector();
  };

  const mean = floats(meta.mean);
  const std = floats(meta.std);
  b.startObject(2);
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const normalization = b.endObject();

  b.startObject(2);
  b.addFieldInt8(0, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(1, normalization, 0);
  const processUnit = b.endObject();

  b.startObject(2);
  b.addFieldInt8(0, COLOR_SPACES[meta.colorSpace], 0);
  const imageProperties = b.endObject();

  b.startObject(3);
  b.addFieldInt8(0, CONTENT_IMAGE_PROPERTIES, 0);
  b.addFieldOffset(1, imageProperties, 0);
  const content = b.endObject();

  const tensorName = b.createString(meta.tensorName);
  const processUnits = tables([processUnit]);
  b.startObject(7);
  b.addFieldOffset(0, tensorName, 0);
  b.addFieldOffset(3, content, 0);
  b.addFieldOffset(4, processUnits, 0);
  const tensor = b.endObject();

  const inputs = tables([tensor]);
  b.startObject(4);
  b.addFieldOffset(2, inputs, 0);
  const subgraph = b.endObject();

  const modelName = b.createString(meta.modelName);
  const subgraphs = tables([subgraph]);
  // Only fields of metadata schema 1.0.0 are used.
  const minParser = b.createString('1.0.0');
  b.startObject(8);
  b.addFieldOffset(0, modelName, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(7, minParser, 0);
  const root = b.endObject();
  b.finish(root, METADATA_IDENTIFIER);
  return b.asUint8Array().slice();
}

/** The image input described by a metadata FlatBuffer (its first subgraph's first input). */
export function readImageInputMetadata(metadata: Uint8Array): ImageInputMetadata & { minParserVersion: string | null } {
  const { bb, root } = rootTable(metadata, METADATA_IDENTIFIER, 'TFLite metadata');
  const [subgraph] = tableVector(bb, field(bb, root, 3));
  if (subgraph === undefined) throw new Error('TFLite metadata has no subgraph');
  const [tensor] = tableVector(bb, field(bb, subgraph, 2));
  if (tensor === undefined) throw new Error('TFLite metadata has no input tensor');
  const contentAt = field(bb, tensor, 3);
  let colorSpace: ImageInputMetadata['colorSpace'] = 'UNKNOWN';
  if (contentAt) {
    const content = deref(bb, contentAt);
    const typeAt = field(bb, content, 0);
    if (typeAt && bb.readUint8(typeAt) === CONTENT_IMAGE_PROPERTIES) {
      const props = deref(bb, field(bb, content, 1));
      const csAt = field(bb, props, 0);
      const code = csAt ? bb.readInt8(csAt) : 0;
      colorSpace = (Object.keys(COLOR_SPACES) as (keyof typeof COLOR_SPACES)[]).find((k) => COLOR_SPACES[k] === code)!;
    }
  }
  let mean: number[] = [];
  let std: number[] = [];
  for (const unit of tableVector(bb, field(bb, tensor, 4))) {
    const typeAt = field(bb, unit, 0);
    if (!typeAt || bb.readUint8(typeAt) !== PROCESS_UNIT_NORMALIZATION) continue;
    const options = deref(bb, field(bb, unit, 1));
    mean = readFloats(bb, field(bb, options, 0));
    std = readFloats(bb, field(bb, options, 1));
  }
  return {
    modelName: readString(bb, field(bb, root, 0)) ?? '',
    tensorName: readString(bb, field(bb, tensor, 0)) ?? '',
    mean,
    std,
    colorSpace,
    minParserVersion: readString(bb, field(bb, root, 7)),
  };
}

/** A tflite model's buffers (data views) and metadata entries, enough to check a patched model. */
export interface TfliteSummary {
  version: number;
  subgraphCount: number;
  operatorCodeCount: number;
  buffers: Uint8Array[];
  /** Absolute byte position of each buffer's data in the file (−1 for empty buffers). */
  bufferPositions: number[];
  metadata: { name: string; buffer: number }[];
}

/** Reads the parts of a `.tflite` FlatBuffer this module touches. */
export function readTflite(model: Uint8Array): TfliteSummary {
  const { bb, root } = rootTable(model, MODEL_IDENTIFIER, 'TFLite model');
  const versionAt = field(bb, root, MODEL.version);
  const count = (id: number) => {
    const at = field(bb, root, id);
    return at ? bb.readUint32(deref(bb, at)) : 0;
  };
  const buffers: Uint8Array[] = [];
  const bufferPositions: number[] = [];
  for (const buffer of tableVector(bb, field(bb, root, MODEL.buffers))) {
    const offsetAt = field(bb, buffer, BUFFER.offset);
    if (offsetAt && bb.readUint64(offsetAt) > 1n)
      throw new Error('TFLite model keeps buffer data outside the FlatBuffer; this reader does not support that');
    const dataAt = field(bb, buffer, BUFFER.data);
    if (!dataAt) {
      buffers.push(new Uint8Array(0));
      bufferPositions.push(-1);
      continue;
    }
    const vec = deref(bb, dataAt);
    const len = bb.readUint32(vec);
    buffers.push(model.subarray(vec + 4, vec + 4 + len));
    bufferPositions.push(len ? vec + 4 : -1);
  }
  const metadata = tableVector(bb, field(bb, root, MODEL.metadata)).map((entry) => {
    const bufferAt = field(bb, entry, METADATA_ENTRY.buffer);
    return {
      name: readString(bb, field(bb, entry, METADATA_ENTRY.name)) ?? '',
      buffer: bufferAt ? bb.readUint32(bufferAt) : 0,
    };
  });
  return {
    version: versionAt ? bb.readUint32(versionAt) : 0,
    subgraphCount: count(MODEL.subgraphs),
    operatorCodeCount: count(MODEL.operatorCodes),
    buffers,
    bufferPositions,
    metadata,
  };
}

/** The `TFLITE_METADATA` FlatBuffer of a model, or null when it has none. */
export function tfliteMetadataOf(model: Uint8Array): Uint8Array | null {
  const summary = readTflite(model);
  const entry = summary.metadata.find((m) => m.name === TFLITE_METADATA_NAME);
  if (!entry) return null;
  const data = summary.buffers[entry.buffer];
  if (!data) throw new Error(`TFLite model metadata points at buffer ${entry.buffer}, which does not exist`);
  return data;
}

/**
 * A copy of `model` with `metadata` as its `TFLITE_METADATA`. The original
 * bytes stay byte-for-byte (and 16-byte aligned) inside the result; existing
 * metadata entries are kept. Refuses a model that already has metadata.
 */
export function addTfliteMetadata(model: Uint8Array, metadata: Uint8Array): Uint8Array {
  const summary = readTflite(model);
  if (summary.metadata.some((m) => m.name === TFLITE_METADATA_NAME))
    throw new Error('TFLite model already has TFLITE_METADATA');
  rootTable(metadata, METADATA_IDENTIFIER, 'TFLite metadata');
  const { bb, root } = rootTable(model, MODEL_IDENTIFIER, 'TFLite model');

  const b = new Builder(model.length + metadata.length + 1024);
  // The original model goes in first, so it ends up last in the file: everything built
  // afterwards lies in front of it and can point forward into it. Padded to the buffer
  // alignment, it starts on a 16-byte boundary of the finished file.
  const padded = new Uint8Array(Math.ceil(model.length / BUFFER_ALIGN) * BUFFER_ALIGN);
  padded.set(model);
  b.prep(BUFFER_ALIGN, padded.length);
  const blob = b.createByteVector(padded);
  // Builder offsets count from the end of the buffer: byte k of the model is at `start - k`.
  const start = blob - 4;
  const old = (position: number) => start - position;
  const oldField = (id: number) => {
    const at = field(bb, root, id);
    return at ? old(deref(bb, at)) : 0;
  };

  b.prep(BUFFER_ALIGN, metadata.length);
  const metadataData = b.createByteVector(metadata);
  b.startObject(3);
  b.addFieldOffset(BUFFER.data, metadataData, 0);
  const metadataBuffer = b.endObject();

  const oldBuffers = tableVector(bb, field(bb, root, MODEL.buffers));
  const newBufferIndex = oldBuffers.length;
  b.startVector(4, oldBuffers.length + 1, 4);
  b.addOffset(metadataBuffer);
  for (let i = oldBuffers.length - 1; i >= 0; i--) b.addOffset(old(oldBuffers[i]!));
  const buffers = b.endVector();

  const entryName = b.createString(TFLITE_METADATA_NAME);
  b.startObject(2);
  b.addFieldOffset(METADATA_ENTRY.name, entryName, 0);
  b.addFieldInt32(METADATA_ENTRY.buffer, newBufferIndex, 0);
  const entry = b.endObject();
  const oldEntries = tableVector(bb, field(bb, root, MODEL.metadata));
  b.startVector(4, oldEntries.length + 1, 4);
  b.addOffset(entry);
  for (let i = oldEntries.length - 1; i >= 0; i--) b.addOffset(old(oldEntries[i]!));
  const entries = b.endVector();

  b.startObject(MODEL_FIELD_COUNT);
  b.addFieldInt32(MODEL.version, summary.version, 0);
  b.addFieldOffset(MODEL.operatorCodes, oldField(MODEL.operatorCodes), 0);
  b.addFieldOffset(MODEL.subgraphs, oldField(MODEL.subgraphs), 0);
  b.addFieldOffset(MODEL.description, oldField(MODEL.description), 0);
  b.addFieldOffset(MODEL.buffers, buffers, 0);
  b.addFieldOffset(MODEL.metadataBuffer, oldField(MODEL.metadataBuffer), 0);
  b.addFieldOffset(MODEL.metadata, entries, 0);
  b.addFieldOffset(MODEL.signatureDefs, oldField(MODEL.signatureDefs), 0);
  const newRoot = b.endObject();
  b.finish(newRoot, MODEL_IDENTIFIER);
  return b.asUint8Array().slice();
}

/** BlazeFace short-range: 128×128 RGB input scaled to −1..1, as MediaPipe's own graph feeds it. */
export const BLAZEFACE_SHORT_RANGE_METADATA: ImageInputMetadata = {
  modelName: 'BlazeFace short-range face detector',
  tensorName: 'input',
  mean: [127.5],
  std: [127.5],
  colorSpace: 'RGB',
};

/** The short-range BlazeFace model with the metadata MediaPipe's FaceDetector needs. */
export function patchBlazeFaceModel(model: Uint8Array): Uint8Array {
  return addTfliteMetadata(model, buildImageInputMetadata(BLAZEFACE_SHORT_RANGE_METADATA));
}
