import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  installMseObserver,
  type MseSegmentsMessage,
  splitInitAndFirstSegment,
} from '../../../lib/content/mse-observer';

function box(type: string, payload = 0): Uint8Array {
  const b = new Uint8Array(8 + payload);
  new DataView(b.buffer).setUint32(0, 8 + payload);
  b.set(
    [...type].map((c) => c.charCodeAt(0)),
    4,
  );
  return b;
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('splitInitAndFirstSegment', () => {
  it('cuts after moov and after the first mdat', () => {
    const init = join(box('ftyp', 8), box('uuid', 20), box('moov', 40));
    const segment = join(box('styp', 4), box('uuid', 10), box('moof', 30), box('mdat', 100));
    const split = splitInitAndFirstSegment(join(init, segment, box('moof', 30)));
    expect(split).toEqual({ initEnd: init.length, fragmentEnd: init.length + segment.length });
  });

  it('waits while the first media segment is incomplete', () => {
    const bytes = join(box('ftyp', 8), box('moov', 40), box('moof', 30), box('mdat', 100));
    expect(splitInitAndFirstSegment(bytes.subarray(0, bytes.length - 1))).toBeNull();
    expect(splitInitAndFirstSegment(join(box('ftyp', 8), box('moof', 30), box('mdat', 10)))).toBeNull();
  });

  it('refuses malformed sizes instead of looping', () => {
    const bad = box('ftyp', 8);
    new DataView(bad.buffer).setUint32(0, 3);
    expect(splitInitAndFirstSegment(bad)).toBeNull();
  });

  const dash = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs');
  if (!existsSync(`${dash}/dashinit.mp4`)) console.warn(`skipping the reference DASH split: ${dash} is absent`);
  it.skipIf(!existsSync(`${dash}/dashinit.mp4`))('splits the reference DASH fixture back into its two files', () => {
    const init = readFileSync(`${dash}/dashinit.mp4`);
    const segment = readFileSync(`${dash}/dash1.m4s`);
    const split = splitInitAndFirstSegment(join(init, segment));
    expect(split).toEqual({ initEnd: init.length, fragmentEnd: init.length + segment.length });
  });
});

describe('installMseObserver', () => {
  /** A window with just enough of Media Source Extensions for the observer; the browser e2e runs the real one. */
  function fakeWindow() {
    const appended: Uint8Array[] = [];
    const posted: MseSegmentsMessage[] = [];
    class FakeSourceBuffer {
      constructor(readonly type: string) {}
      appendBuffer(data: Uint8Array): void {
        appended.push(data.slice());
      }
    }
    class FakeMediaSource {
      addSourceBuffer(type: string): FakeSourceBuffer {
        return new FakeSourceBuffer(type);
      }
    }
    const win = {
      MediaSource: FakeMediaSource,
      SourceBuffer: FakeSourceBuffer,
      URL: { createObjectURL: (obj: unknown) => (obj ? 'blob:https://example.test/1' : '') },
      location: { origin: 'https://example.test' },
      setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
      postMessage: (message: MseSegmentsMessage) => posted.push(message),
    };
    installMseObserver(win as unknown as Window & typeof globalThis);
    return { win, appended, posted };
  }

  it('passes every append through unchanged, copies before the page reuses its buffer, posts later', async () => {
    const { win, appended, posted } = fakeWindow();
    const source = new win.MediaSource();
    win.URL.createObjectURL(source);
    const buffer = source.addSourceBuffer('video/mp4; codecs="avc1.42E01E"') as unknown as SourceBuffer;
    const init = join(box('ftyp', 8), box('moov', 40));
    const segment = join(box('moof', 30), box('mdat', 100));
    const stream = join(init, segment, box('moof', 30));
    // The page appends through one reused scratch buffer, as players do.
    const scratch = new Uint8Array(64);
    for (let at = 0; at < stream.length; at += scratch.length) {
      const part = stream.subarray(at, at + scratch.length);
      scratch.set(part);
      buffer.appendBuffer(scratch.subarray(0, part.length));
      scratch.fill(0xee);
      // Nothing is handed over on the append path itself.
      expect(posted).toHaveLength(0);
    }
    expect(join(...appended)).toEqual(stream);
    await new Promise((r) => setTimeout(r, 5));
    expect(posted).toHaveLength(1);
    expect(new Uint8Array(posted[0]!.init)).toEqual(init);
    expect(new Uint8Array(posted[0]!.fragment)).toEqual(segment);
  });
});
