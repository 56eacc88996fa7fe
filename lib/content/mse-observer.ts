/**
 * Runs in the page's own JavaScript world (MAIN), at document_start, before
 * the page's scripts. It watches what streaming players append to Media
 * Source Extensions buffers and hands a copy of each stream's init segment,
 * then of each media segment, to the extension's content script, so the
 * stream's Content Credentials can be checked segment by segment. It never
 * changes what the page appends or when: every wrapper calls the original
 * with the same arguments, and the only work on the append path is walking
 * box headers and one copy of the bytes of the segments handed over.
 *
 * Why page script cannot forge what the content script receives:
 * - The bytes travel over a `MessageChannel` made here, at install. The port
 *   that sends (`port1`) never leaves this closure; the content script holds
 *   the other end (`port2`) and listens to nothing else. Anything that
 *   arrives there was posted by this code.
 * - The other end is handed over at document_start, before any page script
 *   can run, with a synchronously dispatched, cancelable event: no task
 *   boundary, so nothing of the page runs in between. Whichever of the two
 *   scripts runs second completes it (see `offerPort` and `mse-bridge.ts`);
 *   the content script keeps the first port it accepts and stops listening,
 *   so later (forged) handshake events are never looked at, and this side
 *   stops offering once the port was taken (the event came back cancelled).
 * - The page runs in this same world later and can replace any prototype
 *   method; every built-in used after install (posting, typed-array copies,
 *   getters, weak maps) was taken at install and is called through
 *   `Reflect.apply`, so later patches cannot change what is read or sent.
 * - What is sent is copied only after the browser's own `appendBuffer`
 *   accepted the same argument, from the same memory, with no page code in
 *   between: the bytes handed over are the bytes the stream got.
 */

/** Event the MAIN-world observer dispatches on `document`, carrying the receiving port in `ports`. */
export const MSE_PORT_EVENT = 'provenance-lens:mse-port';
/** Event the isolated-world bridge dispatches on `document` to ask for the port (when it runs second). */
export const MSE_HELLO_EVENT = 'provenance-lens:mse-hello';

/** Largest init segment handed over (a manifest with thumbnails is a few hundred kB). */
export const MSE_INIT_LIMIT = 4 * 1024 * 1024;
/** Largest media segment handed over; larger ones are counted as skipped. */
export const MSE_SEGMENT_LIMIT = 16 * 1024 * 1024;
/** Most bytes handed over per stream in all; later segments are counted as skipped. */
export const MSE_STREAM_LIMIT = 512 * 1024 * 1024;
/** Media segments of one stream handed over and not yet answered; segments appended meanwhile are skipped. */
export const MSE_IN_FLIGHT = 2;

/** What crosses from the observer to the content script, over the private port. */
export type MseMessage =
  | { type: 'init'; stream: number; blobUrl: string; mimeType: string; bytes: ArrayBuffer }
  /** `index`: 1-based position of this media segment in the stream; `skipped`: segments not handed over so far. */
  | { type: 'segment'; stream: number; index: number; skipped: number; bytes: ArrayBuffer }
  /** The stream appended another init segment after segment `index`: what follows is not covered by the first one. */
  | { type: 'init-changed'; stream: number; index: number };

/** What the content script answers: one media segment of stream `credit` was dealt with. */
export interface MseCredit {
  credit: number;
}

/** A four-character box type as a 32-bit number, compared without string functions the page could patch. */
function fourCC(type: string): number {
  return (
    ((type.charCodeAt(0) << 24) | (type.charCodeAt(1) << 16) | (type.charCodeAt(2) << 8) | type.charCodeAt(3)) >>> 0
  );
}
const MOOV = fourCC('moov');
const MOOF = fourCC('moof');
const MDAT = fourCC('mdat');
const FTYP = fourCC('ftyp');

/** Where a stream's box walk stands; fed the appended bytes in order. */
export interface BoxWalk {
  /** 'init' until a moov ends; 'media' after; 'stopped' after malformed input or when the stream is dropped. */
  phase: 'init' | 'media' | 'stopped';
  header: Uint8Array;
  headerFill: number;
  /** Bytes of the current box's body still to come; -1 while reading a header. */
  remaining: number;
  type: number;
  /** The unit (init or media segment) in progress has started. */
  open: boolean;
  /** Whether the unit in progress is copied (what `unitStart` answered), kept across appends. */
  copying: boolean;
  sawMoof: boolean;
}

/** What the walk reports as bytes go by. */
export interface WalkEvents {
  /** A unit (init segment or media segment) starts; return whether to copy its bytes. */
  unitStart(kind: 'init' | 'media'): boolean;
  /** Bytes `start` to `end` of `from` belong to the current unit, in order (only while copying). */
  bytes(from: Uint8Array, start: number, end: number): void;
  /** The current unit is complete. */
  unitEnd(kind: 'init' | 'media'): void;
  /** The bytes are not ISO BMFF boxes this walk can follow (size 0, too small). */
  malformed(): void;
}

/** A fresh walk for a new SourceBuffer. */
export function newBoxWalk(): BoxWalk {
  return {
    phase: 'init',
    header: new Uint8Array(16),
    headerFill: 0,
    remaining: -1,
    type: 0,
    open: false,
    copying: false,
    sawMoof: false,
  };
}

/**
 * Feeds one appended chunk to the walk: finds where the init segment (through
 * `moov`) and each media segment (anything up to the `mdat` after a `moof`)
 * end, across chunk boundaries, reading only box headers. Linear in the bytes.
 * Only typed-array indexing and arithmetic: nothing the page can patch (see
 * the note at the top).
 */
export function walkBoxes(walk: BoxWalk, chunk: Uint8Array, length: number, on: WalkEvents): void {
  let i = 0;
  // A unit the listener declined stays uncopied in later appends too.
  let copying = walk.open && walk.copying;
  while (i < length && walk.phase !== 'stopped') {
    if (!walk.open) {
      walk.open = true;
      walk.sawMoof = false;
      copying = walk.copying = on.unitStart(walk.phase);
    }
    if (walk.remaining < 0) {
      // Reading a header: 8 bytes, or 16 for a 64-bit size.
      const need = walk.headerFill < 8 ? 8 : 16;
      const want = need - walk.headerFill;
      const take = want < length - i ? want : length - i;
      for (let k = 0; k < take; k++) walk.header[walk.headerFill + k] = chunk[i + k]!;
      if (copying) on.bytes(chunk, i, i + take);
      walk.headerFill += take;
      i += take;
      if (walk.headerFill < need) continue;
      const h = walk.header;
      const size32 = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
      const type = ((h[4]! << 24) | (h[5]! << 16) | (h[6]! << 8) | h[7]!) >>> 0;
      if (size32 === 1 && walk.headerFill < 16) continue;
      let size = size32;
      if (size32 === 1) {
        const high = ((h[8]! << 24) | (h[9]! << 16) | (h[10]! << 8) | h[11]!) >>> 0;
        const low = ((h[12]! << 24) | (h[13]! << 16) | (h[14]! << 8) | h[15]!) >>> 0;
        size = high * 2 ** 32 + low;
      }
      const headerSize = size32 === 1 ? 16 : 8;
      if (size32 === 0 || size < headerSize || size > 2 ** 53) {
        walk.phase = 'stopped';
        on.malformed();
        return;
      }
      walk.headerFill = 0;
      walk.type = type;
      walk.remaining = size - headerSize;
      if (walk.phase === 'media' && (type === FTYP || type === MOOV)) {
        // An init segment (a quality switch re-sends one; `changeType` brings a new one): a new init unit.
        walk.phase = 'init';
        copying = walk.copying = on.unitStart('init');
        if (copying) on.bytes(walk.header, 0, headerSize);
      }
      if (type === MOOF) walk.sawMoof = true;
    } else {
      const take = walk.remaining < length - i ? walk.remaining : length - i;
      if (copying) on.bytes(chunk, i, i + take);
      walk.remaining -= take;
      i += take;
    }
    if (walk.remaining === 0) {
      walk.remaining = -1;
      if (walk.phase === 'init' && walk.type === MOOV) {
        walk.open = false;
        walk.phase = 'media';
        on.unitEnd('init');
      } else if (walk.phase === 'media' && walk.type === MDAT && walk.sawMoof) {
        walk.open = false;
        on.unitEnd('media');
      }
    }
  }
}

interface Capture {
  id: number;
  blobUrl: string;
  mimeType: string;
  walk: BoxWalk;
  /** Copy of the unit in progress (null when it is not copied). */
  copy: Uint8Array | null;
  size: number;
  /** The first init segment, to tell a re-sent copy from a different one. */
  init: Uint8Array | null;
  segments: number;
  skipped: number;
  credits: number;
  sent: number;
  done: boolean;
}

/** Installs the observer on a window; safe to call once per window. */
export function installMseObserver(win: Window & typeof globalThis): void {
  const MS = win.MediaSource;
  const SB = win.SourceBuffer;
  if (!MS || !SB || (win as unknown as Record<string, unknown>).__provenanceLensMse) return;
  Object.defineProperty(win, '__provenanceLensMse', { value: true });

  // Every built-in used after install, taken now (see the note at the top). Typed arrays are made with
  // the constructor taken here and an explicit buffer, never `subarray`/`slice`, which consult the
  // page-writable `constructor` property.
  const apply = Reflect.apply;
  const U8 = win.Uint8Array;
  const typedProto = Object.getPrototypeOf(U8.prototype) as object;
  const getter = (proto: object, name: string): ((this: unknown) => unknown) => {
    for (let p: object | null = proto; p; p = Object.getPrototypeOf(p) as object | null) {
      const get = Object.getOwnPropertyDescriptor(p, name)?.get;
      if (get) return get;
    }
    throw new Error(`no ${name} getter`);
  };
  const taBuffer = getter(typedProto, 'buffer');
  const taOffset = getter(typedProto, 'byteOffset');
  const taLength = getter(typedProto, 'byteLength');
  const dvBuffer = getter(win.DataView.prototype, 'buffer');
  const dvOffset = getter(win.DataView.prototype, 'byteOffset');
  const dvLength = getter(win.DataView.prototype, 'byteLength');
  const abLength = getter(win.ArrayBuffer.prototype, 'byteLength');
  const isView = win.ArrayBuffer.isView;
  const taSet = (typedProto as { set: Uint8Array['set'] }).set;
  const charCodeAt = String.prototype.charCodeAt;
  const wmGet = WeakMap.prototype.get;
  const wmSet = WeakMap.prototype.set;
  const msReadyState = getter(MS.prototype, 'readyState');
  const portPost = win.MessagePort.prototype.postMessage;
  const eventData = getter(win.MessageEvent.prototype, 'data');
  const addListener = win.EventTarget.prototype.addEventListener;
  const removeListener = win.EventTarget.prototype.removeEventListener;
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const MessageEventCtor = win.MessageEvent;
  const doc = win.document;

  const channel = new win.MessageChannel();
  const port = channel.port1;
  /** Live captures by id (a prototype-less object: no Map method for the page to replace). */
  const captures = Object.create(null) as Record<number, Capture>;
  const byBuffer = new WeakMap<SourceBuffer, Capture>();
  const urls = new WeakMap<MediaSource, string>();
  const videoBuffers = new WeakMap<MediaSource, number>();
  let nextId = 1;

  /** A view of bytes `start` to `end` of `u8`, without `subarray`. */
  function part(u8: Uint8Array, start: number, end: number): Uint8Array {
    return new U8(apply(taBuffer, u8, []) as ArrayBuffer, (apply(taOffset, u8, []) as number) + start, end - start);
  }

  // The content script returns a credit per media segment it dealt with.
  port.onmessage = (event: MessageEvent) => {
    const data: unknown = apply(eventData, event, []);
    if (typeof data !== 'object' || data === null) return;
    const id = (data as Partial<MseCredit>).credit;
    if (typeof id !== 'number') return;
    const capture = captures[id];
    if (capture && capture.credits < MSE_IN_FLIGHT) capture.credits++;
  };

  /** Offers the receiving port to the isolated world; done once the event came back cancelled (taken). */
  let handedOver = false;
  function offerPort(): void {
    if (handedOver || !doc) return;
    const event = new MessageEventCtor(MSE_PORT_EVENT, { ports: [channel.port2], cancelable: true });
    if (!apply(dispatch, doc, [event])) {
      handedOver = true;
      apply(removeListener, doc, [MSE_HELLO_EVENT, offerPort, true]);
    }
  }
  if (doc) {
    apply(addListener, doc, [MSE_HELLO_EVENT, offerPort, true]);
    offerPort();
  }

  function post(message: MseMessage, transfer: ArrayBuffer[]): void {
    apply(portPost, port, [message, transfer]);
  }

  function isMediaSource(value: unknown): value is MediaSource {
    try {
      apply(msReadyState, value, []);
      return true;
    } catch {
      return false;
    }
  }

  /** `video/…`, read without RegExp or String methods the page could have replaced. */
  function isVideoType(type: unknown): type is string {
    if (typeof type !== 'string' || type.length < 6) return false;
    const prefix = [0x76, 0x69, 0x64, 0x65, 0x6f];
    for (let k = 0; k < 5; k++) if (((apply(charCodeAt, type, [k]) as number) | 0x20) !== prefix[k]) return false;
    return apply(charCodeAt, type, [5]) === 0x2f;
  }

  /** The bytes a BufferSource covers, read with the getters taken at install; null for anything else. */
  function viewOf(data: unknown): Uint8Array | null {
    if (typeof data !== 'object' || data === null) return null;
    try {
      if (apply(isView, undefined, [data])) {
        try {
          return new U8(
            apply(taBuffer, data, []) as ArrayBuffer,
            apply(taOffset, data, []) as number,
            apply(taLength, data, []) as number,
          );
        } catch {
          return new U8(
            apply(dvBuffer, data, []) as ArrayBuffer,
            apply(dvOffset, data, []) as number,
            apply(dvLength, data, []) as number,
          );
        }
      }
      return new U8(data as ArrayBuffer, 0, apply(abLength, data, []) as number);
    } catch {
      return null;
    }
  }

  const createObjectURL = win.URL.createObjectURL;
  win.URL.createObjectURL = function (this: typeof URL, obj: Blob | MediaSource): string {
    const url = apply(createObjectURL, this, [obj]) as string;
    try {
      if (isMediaSource(obj)) apply(wmSet, urls, [obj, url]);
    } catch {
      // Never let bookkeeping disturb the page.
    }
    return url;
  } as typeof URL.createObjectURL;

  const addSourceBuffer = MS.prototype.addSourceBuffer;
  MS.prototype.addSourceBuffer = function (this: MediaSource, type: string): SourceBuffer {
    const buffer = apply(addSourceBuffer, this, [type]) as SourceBuffer;
    try {
      if (isVideoType(type)) {
        const count = ((apply(wmGet, videoBuffers, [this]) as number | undefined) ?? 0) + 1;
        apply(wmSet, videoBuffers, [this, count]);
        const blobUrl = apply(wmGet, urls, [this]) as string | undefined;
        if (count > 1) {
          // Two video buffers in one MediaSource: which one is shown is the page's choice, so neither is followed.
          for (const key in captures) if (captures[key]!.blobUrl === blobUrl) stop(captures[key]!, true);
        } else if (blobUrl !== undefined) {
          const capture: Capture = {
            id: nextId++,
            blobUrl,
            mimeType: type,
            walk: newBoxWalk(),
            copy: null,
            size: 0,
            init: null,
            segments: 0,
            skipped: 0,
            credits: MSE_IN_FLIGHT,
            sent: 0,
            done: false,
          };
          captures[capture.id] = capture;
          apply(wmSet, byBuffer, [buffer, capture]);
        }
      }
    } catch {
      // As above.
    }
    return buffer;
  };

  const appendBuffer = SB.prototype.appendBuffer;
  SB.prototype.appendBuffer = function (this: SourceBuffer, data: BufferSource): void {
    // The browser's own append first: it checks `this` and the data and copies them; only what it took is read.
    apply(appendBuffer, this, [data]);
    try {
      const capture = apply(wmGet, byBuffer, [this]) as Capture | undefined;
      if (capture) observe(capture, data);
    } catch {
      // As above.
    }
  };

  // `abort()` resets the browser's segment parser: the walk starts again at a box boundary too.
  const abort = SB.prototype.abort;
  SB.prototype.abort = function (this: SourceBuffer): void {
    apply(abort, this, []);
    try {
      const capture = apply(wmGet, byBuffer, [this]) as Capture | undefined;
      if (capture && !capture.done) {
        if (capture.walk.open && capture.walk.phase === 'media') capture.skipped++;
        const phase = capture.walk.phase;
        capture.walk = newBoxWalk();
        capture.walk.phase = phase;
        capture.copy = null;
      }
    } catch {
      // As above.
    }
  };

  function stop(capture: Capture, withdraw: boolean): void {
    if (capture.done) return;
    capture.done = true;
    capture.copy = null;
    capture.walk.phase = 'stopped';
    delete captures[capture.id];
    if (withdraw && capture.init) post({ type: 'init-changed', stream: capture.id, index: capture.segments }, []);
  }

  /** A fresh copy of the `size` bytes collected so far, in a buffer of its own (to transfer). */
  function finished(copy: Uint8Array, size: number): Uint8Array {
    const bytes = new U8(size);
    apply(taSet, bytes, [part(copy, 0, size)]);
    return bytes;
  }

  function observe(capture: Capture, data: BufferSource): void {
    if (capture.done) return;
    const chunk = viewOf(data);
    if (!chunk) return;
    walkBoxes(capture.walk, chunk, apply(taLength, chunk, []) as number, {
      unitStart(kind) {
        capture.size = 0;
        capture.copy = null;
        if (kind === 'media' && (capture.credits <= 0 || capture.sent >= MSE_STREAM_LIMIT)) return false;
        capture.copy = new U8(64 * 1024);
        return true;
      },
      bytes(from, start, end) {
        if (!capture.copy) return;
        const limit = capture.walk.phase === 'init' ? MSE_INIT_LIMIT : MSE_SEGMENT_LIMIT;
        const needed = capture.size + (end - start);
        if (needed > limit) {
          capture.copy = null;
          return;
        }
        const capacity = apply(taLength, capture.copy, []) as number;
        if (needed > capacity) {
          const doubled = capacity * 2;
          const grown = new U8(needed > doubled ? needed : doubled > limit ? limit : doubled);
          apply(taSet, grown, [part(capture.copy, 0, capture.size)]);
          capture.copy = grown;
        }
        apply(taSet, capture.copy, [part(from, start, end), capture.size]);
        capture.size = needed;
      },
      unitEnd(kind) {
        const copy = capture.copy;
        capture.copy = null;
        if (kind === 'init') {
          if (!copy) return stop(capture, capture.init !== null);
          const bytes = finished(copy, capture.size);
          if (capture.init) {
            // The same init segment again (players re-send it on seeks and quality switches): nothing changes.
            if (!sameBytes(capture.init, bytes, capture.size)) stop(capture, true);
            return;
          }
          capture.init = bytes;
          const buffer = apply(taBuffer, finished(bytes, capture.size), []) as ArrayBuffer;
          capture.sent += capture.size;
          const { id: stream, blobUrl, mimeType } = capture;
          post({ type: 'init', stream, blobUrl, mimeType, bytes: buffer }, [buffer]);
          return;
        }
        capture.segments++;
        if (!copy || !capture.init) {
          capture.skipped++;
          return;
        }
        const buffer = apply(taBuffer, finished(copy, capture.size), []) as ArrayBuffer;
        capture.credits--;
        capture.sent += capture.size;
        const { id: stream, segments: index, skipped } = capture;
        post({ type: 'segment', stream, index, skipped, bytes: buffer }, [buffer]);
      },
      malformed() {
        stop(capture, false);
      },
    });
  }
}

/** Whether `b` (of `size` bytes) equals `a`; indexing only (out of range reads undefined, never page code). */
function sameBytes(a: Uint8Array, b: Uint8Array, size: number): boolean {
  if (a[size] !== undefined || a[size - 1] === undefined) return false;
  for (let i = 0; i < size; i++) if (a[i] !== b[i]) return false;
  return true;
}
