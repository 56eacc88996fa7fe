import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptMsePort, msePort } from '../../../lib/content/mse-bridge';
import {
  installMseObserver,
  MSE_HELLO_EVENT,
  MSE_IN_FLIGHT,
  MSE_PORT_EVENT,
  type MseMessage,
  newBoxWalk,
  walkBoxes,
} from '../../../lib/content/mse-observer';
import { parseMseMessage } from '../../../lib/content/stream-segments';

function box(type: string, payload = 0): Uint8Array {
  const b = new Uint8Array(8 + payload);
  new DataView(b.buffer).setUint32(0, 8 + payload);
  b.set(
    [...type].map((c) => c.charCodeAt(0)),
    4,
  );
  for (let i = 8; i < b.length; i++) b[i] = i & 0xff;
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

/** Runs the walk over `bytes` cut into `chunk`-sized appends; returns each unit's bytes. */
function units(bytes: Uint8Array, chunk: number): { kind: string; bytes: Uint8Array }[] {
  const walk = newBoxWalk();
  const out: { kind: string; bytes: Uint8Array }[] = [];
  let current: number[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    const part = bytes.slice(at, at + chunk);
    walkBoxes(walk, part, part.length, {
      unitStart: () => {
        current = [];
        return true;
      },
      bytes: (from, start, end) => {
        for (let k = start; k < end; k++) current.push(from[k]!);
      },
      unitEnd: (kind) => out.push({ kind, bytes: Uint8Array.from(current) }),
      malformed: () => out.push({ kind: 'malformed', bytes: new Uint8Array(0) }),
    });
  }
  return out;
}

const init = join(box('ftyp', 8), box('uuid', 20), box('moov', 40));
const segment = join(box('styp', 4), box('uuid', 10), box('moof', 30), box('mdat', 100));
const segment2 = join(box('moof', 30), box('mdat', 60));

describe('walkBoxes', () => {
  it('cuts the init segment after moov and each media segment after the mdat that follows a moof', () => {
    for (const chunk of [1, 3, 7, 16, 64, 10_000]) {
      expect(units(join(init, segment, segment2), chunk)).toEqual([
        { kind: 'init', bytes: init },
        { kind: 'media', bytes: segment },
        { kind: 'media', bytes: segment2 },
      ]);
    }
  });

  it('stops at malformed sizes instead of looping', () => {
    const bad = box('moof', 8);
    new DataView(bad.buffer).setUint32(0, 3);
    expect(units(join(init, bad), 5).map((u) => u.kind)).toEqual(['init', 'malformed']);
    const open = box('mdat', 8);
    new DataView(open.buffer).setUint32(0, 0);
    expect(units(join(init, open), 64).map((u) => u.kind)).toEqual(['init', 'malformed']);
  });

  it('reads 64-bit box sizes', () => {
    const large = new Uint8Array(16 + 20);
    const view = new DataView(large.buffer);
    view.setUint32(0, 1);
    large.set([0x6d, 0x64, 0x61, 0x74], 4);
    view.setUint32(12, large.length);
    expect(units(join(init, box('moof', 4), large), 5).map((u) => u.bytes.length)).toEqual([init.length, 12 + 36]);
  });

  it('hands over no bytes of a declined segment, in later appends either (found by the fuzz test)', () => {
    const walk = newBoxWalk();
    const handed: string[] = [];
    const events = {
      unitStart: (kind: 'init' | 'media') => kind === 'init',
      bytes: (_from: Uint8Array, start: number, end: number) => handed.push(`${start}-${end}`),
      unitEnd: () => undefined,
      malformed: () => undefined,
    };
    walkBoxes(walk, init, init.length, events);
    const copiedInit = handed.length;
    // A media segment the observer declined (out of credits), appended in three pieces.
    for (const piece of [segment.subarray(0, 10), segment.subarray(10, 60), segment.subarray(60)])
      walkBoxes(walk, piece, piece.length, events);
    expect(copiedInit).toBeGreaterThan(0);
    expect(handed.length).toBe(copiedInit);
  });

  const dash = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs');
  if (!existsSync(`${dash}/dashinit.mp4`)) console.warn(`skipping the reference DASH split: ${dash} is absent`);
  it.skipIf(!existsSync(`${dash}/dashinit.mp4`))('splits the reference DASH fixture back into its files', () => {
    const dashInit = new Uint8Array(readFileSync(`${dash}/dashinit.mp4`));
    const dashSegment = new Uint8Array(readFileSync(`${dash}/dash1.m4s`));
    const split = units(join(dashInit, dashSegment, dashSegment), 4096);
    expect(split.map((u) => u.kind)).toEqual(['init', 'media', 'media']);
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    expect([
      same(split[0]!.bytes, dashInit),
      same(split[1]!.bytes, dashSegment),
      same(split[2]!.bytes, dashSegment),
    ]).toEqual([true, true, true]);
  });
});

/**
 * Node's events ignore `cancelable` on a MessageEvent; the handshake relies on it, so the document here is a
 * minimal synchronous event target whose `dispatchEvent` answers as the DOM's does.
 */
class FakeTarget {
  private readonly listeners = new Map<string, Array<(e: Event) => void>>();
  addEventListener(type: string, listener: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: (e: Event) => void): void {
    this.listeners.set(
      type,
      (this.listeners.get(type) ?? []).filter((l) => l !== listener),
    );
  }
  dispatchEvent(event: Event): boolean {
    for (const listener of this.listeners.get(event.type) ?? []) listener(event);
    return !(event as unknown as PortEvent).prevented;
  }
}

const NodeMessageEvent: new (type: string, init?: MessageEventInit) => MessageEvent = MessageEvent;

class PortEvent extends NodeMessageEvent {
  prevented = false;
  override preventDefault(): void {
    this.prevented = true;
  }
}

/** A window with just enough of Media Source Extensions for the observer; the browser e2e runs the real one. */
function fakeWindow() {
  const appended: Uint8Array[] = [];
  class FakeSourceBuffer {
    constructor(readonly type: string) {}
    appendBuffer(data: Uint8Array): void {
      appended.push(data.slice());
    }
    abort(): void {}
  }
  class FakeMediaSource {
    get readyState(): string {
      return 'open';
    }
    addSourceBuffer(type: string): FakeSourceBuffer {
      return new FakeSourceBuffer(type);
    }
  }
  const doc = new FakeTarget();
  const win = {
    MediaSource: FakeMediaSource,
    SourceBuffer: FakeSourceBuffer,
    URL: { createObjectURL: (_source: unknown) => 'blob:https://example.test/1' },
    Uint8Array,
    DataView,
    ArrayBuffer,
    MessageChannel,
    MessagePort,
    MessageEvent: PortEvent,
    EventTarget: FakeTarget,
    document: doc,
  };
  return { win, doc: doc as unknown as Document, appended };
}

/** A MediaSource with a blob URL, as a player makes one. */
function stream(win: ReturnType<typeof fakeWindow>['win']) {
  const source = new win.MediaSource();
  win.URL.createObjectURL(source);
  return source;
}

function install(win: ReturnType<typeof fakeWindow>['win']): void {
  installMseObserver(win as unknown as Window & typeof globalThis);
}

/** Collects what arrives on the port the bridge took. */
function listen(port: MessagePort | undefined): MseMessage[] {
  const got: MseMessage[] = [];
  if (port) port.onmessage = (e: MessageEvent) => got.push(parseMseMessage(e.data)!);
  return got;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the observer’s channel', () => {
  it('is handed over whichever side runs first, once, and no forged port is taken after', async () => {
    for (const observerFirst of [true, false]) {
      const { win, doc } = fakeWindow();
      const scope = {};
      if (observerFirst) install(win);
      acceptMsePort(doc, scope);
      if (!observerFirst) install(win);
      const port = msePort(scope);
      expect(port).toBeInstanceOf(MessagePort);
      // A page's later forgeries: its own port, and a request for the real one.
      const forged = new MessageChannel();
      expect(doc.dispatchEvent(new PortEvent(MSE_PORT_EVENT, { ports: [forged.port2] }))).toBe(true);
      let stolen: MessagePort | undefined;
      doc.addEventListener(MSE_PORT_EVENT, (e) => (stolen = (e as MessageEvent).ports[0]));
      doc.dispatchEvent(new Event(MSE_HELLO_EVENT));
      expect(stolen).toBeUndefined();
      expect(msePort(scope)).toBe(port);
      port!.close();
      forged.port1.close();
    }
  });

  it('hands over the init segment once and every media segment, copied before the page reuses its buffer', async () => {
    const { win, doc, appended } = fakeWindow();
    install(win);
    const scope = {};
    acceptMsePort(doc, scope);
    const got = listen(msePort(scope));
    const buffer = stream(win).addSourceBuffer('video/mp4; codecs="avc1.42E01E"');
    const bytes = join(init, segment, init, segment2);
    const scratch = new Uint8Array(50);
    for (let at = 0; at < bytes.length; at += scratch.length) {
      const part = bytes.subarray(at, at + scratch.length);
      scratch.set(part);
      buffer.appendBuffer(scratch.subarray(0, part.length));
      scratch.fill(0xee);
    }
    expect(join(...appended)).toEqual(bytes);
    await settle();
    expect(got.map((m) => m.type)).toEqual(['init', 'segment', 'segment']);
    expect(new Uint8Array((got[0] as { bytes: ArrayBuffer }).bytes)).toEqual(init);
    expect(got[1]).toMatchObject({ index: 1, skipped: 0 });
    expect(new Uint8Array((got[1] as { bytes: ArrayBuffer }).bytes)).toEqual(segment);
    expect(new Uint8Array((got[2] as { bytes: ArrayBuffer }).bytes)).toEqual(segment2);
    msePort(scope)!.close();
  });

  it('copies no more segments than may be in flight, counts the rest, and goes on when credited', async () => {
    const { win, doc } = fakeWindow();
    install(win);
    const scope = {};
    acceptMsePort(doc, scope);
    const port = msePort(scope)!;
    const got = listen(port);
    const buffer = stream(win).addSourceBuffer('video/mp4');
    buffer.appendBuffer(init);
    for (let k = 0; k < MSE_IN_FLIGHT + 3; k++) buffer.appendBuffer(segment2);
    await settle();
    expect(got.filter((m) => m.type === 'segment')).toHaveLength(MSE_IN_FLIGHT);
    port.postMessage({ credit: got[0]!.stream });
    await settle();
    buffer.appendBuffer(segment2);
    await settle();
    expect(got.at(-1)).toMatchObject({ type: 'segment', index: MSE_IN_FLIGHT + 4, skipped: 3 });
    port.close();
  });

  it('sends the bytes appended even when the page patches built-ins after install', async () => {
    const { win, doc } = fakeWindow();
    install(win);
    const scope = {};
    acceptMsePort(doc, scope);
    const port = msePort(scope)!;
    const got = listen(port);
    const fake = new Uint8Array([1, 2, 3]).buffer;
    // Made before the patches: the test's own helpers use the built-ins it breaks.
    const bytes = join(init, segment);
    const typed = Object.getPrototypeOf(Uint8Array.prototype) as Record<string, unknown>;
    const saved = {
      post: MessagePort.prototype.postMessage,
      set: typed.set,
      subarray: typed.subarray,
      get: WeakMap.prototype.get,
    };
    try {
      MessagePort.prototype.postMessage = function (this: MessagePort, message: MseMessage) {
        saved.post.call(this, { ...message, bytes: fake });
      } as typeof MessagePort.prototype.postMessage;
      typed.set = function () {};
      typed.subarray = function () {
        return new Uint8Array(fake);
      };
      WeakMap.prototype.get = function () {
        return undefined;
      };
      const buffer = stream(win).addSourceBuffer('video/mp4');
      buffer.appendBuffer(bytes);
    } finally {
      MessagePort.prototype.postMessage = saved.post;
      typed.set = saved.set;
      typed.subarray = saved.subarray;
      WeakMap.prototype.get = saved.get;
    }
    await settle();
    expect(new Uint8Array((got[0] as { bytes: ArrayBuffer }).bytes)).toEqual(init);
    expect(new Uint8Array((got[1] as { bytes: ArrayBuffer }).bytes)).toEqual(segment);
    port.close();
  });

  it('follows no stream of a MediaSource with two video buffers (the page picks which one is shown)', async () => {
    const { win, doc } = fakeWindow();
    install(win);
    const scope = {};
    acceptMsePort(doc, scope);
    const got = listen(msePort(scope));
    const source = stream(win);
    const signed = source.addSourceBuffer('video/mp4');
    signed.appendBuffer(join(init, segment));
    source.addSourceBuffer('video/mp4').appendBuffer(join(init, segment2));
    signed.appendBuffer(segment2);
    await settle();
    expect(got.map((m) => m.type)).toEqual(['init', 'segment', 'init-changed']);
    msePort(scope)!.close();
  });

  it('withdraws a stream that appends a different init segment', async () => {
    const { win, doc } = fakeWindow();
    install(win);
    const scope = {};
    acceptMsePort(doc, scope);
    const got = listen(msePort(scope));
    const buffer = stream(win).addSourceBuffer('video/mp4');
    buffer.appendBuffer(join(init, segment, join(box('ftyp', 8), box('moov', 41)), segment2));
    await settle();
    expect(got.map((m) => m.type)).toEqual(['init', 'segment', 'init-changed']);
    expect(got[2]).toMatchObject({ index: 1 });
    msePort(scope)!.close();
  });
});
