import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addTfliteMetadata,
  BLAZEFACE_SHORT_RANGE_METADATA,
  buildImageInputMetadata,
  patchBlazeFaceModel,
  readImageInputMetadata,
  readTflite,
  tfliteMetadataOf,
  TFLITE_METADATA_NAME,
} from '../../lib/analysis/faces/tflite-metadata';
import { BLAZEFACE_SOURCE } from '../../scripts/faces/build-assets';

const original = new Uint8Array(readFileSync(resolve(BLAZEFACE_SOURCE)));

describe('TFLite metadata for the BlazeFace model', () => {
  it('starts from a model without metadata, which is why MediaPipe refuses it', () => {
    const summary = readTflite(original);
    expect(summary.subgraphCount).toBe(1);
    expect(summary.metadata.map((m) => m.name)).not.toContain(TFLITE_METADATA_NAME);
    expect(tfliteMetadataOf(original)).toBeNull();
  });

  it('writes a metadata FlatBuffer that reads back as RGB input normalised with mean 127.5 and std 127.5', () => {
    const meta = readImageInputMetadata(buildImageInputMetadata(BLAZEFACE_SHORT_RANGE_METADATA));
    expect(meta).toEqual({ ...BLAZEFACE_SHORT_RANGE_METADATA, minParserVersion: '1.0.0' });
  });

  it('adds the metadata to the model and leaves the graph and every weight buffer as it was', () => {
    const patched = patchBlazeFaceModel(original);
    const before = readTflite(original);
    const after = readTflite(patched);
    expect(new TextDecoder().decode(patched.subarray(4, 8))).toBe('TFL3');
    expect(after.version).toBe(before.version);
    expect(after.subgraphCount).toBe(before.subgraphCount);
    expect(after.operatorCodeCount).toBe(before.operatorCodeCount);
    expect(after.buffers.length).toBe(before.buffers.length + 1);
    before.buffers.forEach((data, i) => expect(Buffer.from(after.buffers[i]!).equals(Buffer.from(data))).toBe(true));
    // Weight buffers keep their alignment: the original bytes sit on a 16-byte boundary of the new file.
    before.bufferPositions.forEach((pos, i) => {
      if (pos >= 0) expect((after.bufferPositions[i]! - pos) % 16).toBe(0);
    });
    expect(after.metadata).toEqual([{ name: TFLITE_METADATA_NAME, buffer: before.buffers.length }]);
    expect(after.bufferPositions.at(-1)! % 16).toBe(0);

    const meta = readImageInputMetadata(tfliteMetadataOf(patched)!);
    expect(meta.mean).toEqual([127.5]);
    expect(meta.std).toEqual([127.5]);
    expect(meta.colorSpace).toBe('RGB');
  });

  it('is reproducible: the same input gives the same bytes', () => {
    expect(Buffer.from(patchBlazeFaceModel(original)).equals(Buffer.from(patchBlazeFaceModel(original)))).toBe(true);
  });

  it('refuses a model that already has metadata, and input that is not a TFLite model', () => {
    const patched = patchBlazeFaceModel(original);
    expect(() => patchBlazeFaceModel(patched)).toThrow(/already has TFLITE_METADATA/);
    expect(() => readTflite(new Uint8Array(16))).toThrow(/file identifier is not "TFL3"/);
    expect(() => readTflite(new Uint8Array(3))).toThrow(/too short/);
    expect(() => addTfliteMetadata(original, original)).toThrow(/file identifier is not "M001"/);
  });

  it('refuses normalisation it cannot express', () => {
    expect(() => buildImageInputMetadata({ ...BLAZEFACE_SHORT_RANGE_METADATA, std: [0] })).toThrow(/positive/);
    expect(() => buildImageInputMetadata({ ...BLAZEFACE_SHORT_RANGE_METADATA, mean: [1, 2, 3] })).toThrow(
      /as many means/,
    );
  });
});
