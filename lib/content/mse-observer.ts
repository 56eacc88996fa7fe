/**
 * Runs in the page's own JavaScript world (MAIN), at document_start, before
 * the page's scripts. It watches what streaming players append to Media
 * Source Extensions buffers and hands a copy of each stream's init segment
 * and first media segment to the extension's content script, so the
 * stream's Content Credentials can be read. It never changes what the page
 * appends or when: every wrapper calls the original at once with the same
 * arguments, the only work on the append path is one copy of the bytes, and
 * copying stops after the first media segment.
 */

/** `postMessage` channel between the MAIN-world observer and the content script. */
export const MSE_CHANNEL = 'provenance-lens:mse-segments';

/** Most bytes copied per SourceBuffer before giving up (a huge first segment is not worth holding). */
export const MSE_CAPTURE_LIMIT = 8 * 1024 * 1024;

/** What the observer posts for one stream. */
export interface MseSegmentsMessage {
  channel: typeof MSE_CHANNEL;
  blobUrl: string;
  mimeType: string;
  init: ArrayBuffer;
  fragment: ArrayBuffer;
}

interface Capture {
  source: MediaSource;
  mimeType: string;
  /** The bytes appended so far, in a buffer that doubles as it fills (one copy per byte). */
  buffer: Uint8Array;
  size: number;
  done: boolean;
  /** A look for the segment boundaries is due. */
  scheduled: boolean;
}

/**
 * Where the init segment ends and the first media segment (through its
 * `mdat`) ends, in a buffer that starts with the init segment; null until
 * both are complete.
 */
export function splitInitAndFirstSegment(bytes: Uint8Array): { initEnd: number; fragmentEnd: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let initEnd = -1;
  while (offset + 8 <= bytes.length) {
    let size = view.getUint32(offset);
    const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    if (size === 1) {
      if (offset + 16 > bytes.length) return null;
      size = Number(view.getBigUint64(offset + 8));
    } else if (size === 0) {
      return null;
    }
    if (size < 8) return null;
    const end = offset + size;
    if (type === 'moov') initEnd = end;
    if (type === 'mdat' && initEnd >= 0) return end <= bytes.length ? { initEnd, fragmentEnd: end } : null;
    offset = end;
  }
  return null;
}

function append(capture: Capture, bytes: Uint8Array): void {
  const needed = capture.size + bytes.length;
  if (needed > capture.buffer.length) {
    const grown = new Uint8Array(Math.min(MSE_CAPTURE_LIMIT, Math.max(needed, capture.buffer.length * 2)));
    grown.set(capture.buffer.subarray(0, capture.size));
    capture.buffer = grown;
  }
  capture.buffer.set(bytes, capture.size);
  capture.size = needed;
}

function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** Installs the observer on a window; safe to call once per window. */
export function installMseObserver(win: Window & typeof globalThis): void {
  const MS = win.MediaSource;
  const SB = win.SourceBuffer;
  if (!MS || !SB || (win as unknown as Record<string, unknown>).__provenanceLensMse) return;
  Object.defineProperty(win, '__provenanceLensMse', { value: true });
  const urls = new WeakMap<MediaSource, string>();
  const captures = new WeakMap<SourceBuffer, Capture>();

  const createObjectURL = win.URL.createObjectURL;
  win.URL.createObjectURL = function (this: typeof URL, obj: Blob | MediaSource): string {
    const url = createObjectURL.call(this, obj);
    try {
      if (obj instanceof MS) urls.set(obj, url);
    } catch {
      // Never let bookkeeping disturb the page.
    }
    return url;
  } as typeof URL.createObjectURL;

  const addSourceBuffer = MS.prototype.addSourceBuffer;
  MS.prototype.addSourceBuffer = function (this: MediaSource, type: string): SourceBuffer {
    const buffer = addSourceBuffer.call(this, type);
    try {
      if (/^video\//i.test(type)) {
        captures.set(buffer, {
          source: this,
          mimeType: type,
          buffer: new Uint8Array(64 * 1024),
          size: 0,
          done: false,
          scheduled: false,
        });
      }
    } catch {
      // As above.
    }
    return buffer;
  };

  const appendBuffer = SB.prototype.appendBuffer;
  SB.prototype.appendBuffer = function (this: SourceBuffer, data: BufferSource): void {
    try {
      observe(this, data);
    } catch {
      // As above.
    }
    return appendBuffer.call(this, data);
  };

  // Taken now: the page may replace its own timers later.
  const defer = win.setTimeout.bind(win);

  /**
   * The only work on the page's append path: one copy of the bytes, which
   * must happen before appendBuffer returns since the page may reuse its
   * buffer. Finding the segment boundaries and posting wait for a task of
   * their own, after the page's append.
   */
  function observe(buffer: SourceBuffer, data: BufferSource): void {
    const capture = captures.get(buffer);
    if (!capture || capture.done) return;
    const bytes = bytesOf(data);
    if (!bytes) return;
    if (capture.size + bytes.length > MSE_CAPTURE_LIMIT) {
      capture.done = true;
      capture.buffer = new Uint8Array(0);
      return;
    }
    append(capture, bytes);
    if (!capture.scheduled) {
      capture.scheduled = true;
      defer(() => settle(capture), 0);
    }
  }

  /** Hands the init segment and first media segment over once both are in; drops the copy. */
  function settle(capture: Capture): void {
    capture.scheduled = false;
    if (capture.done) return;
    const all = capture.buffer.subarray(0, capture.size);
    const split = splitInitAndFirstSegment(all);
    if (!split) return;
    capture.done = true;
    capture.buffer = new Uint8Array(0);
    const blobUrl = urls.get(capture.source);
    if (!blobUrl) return;
    const init = all.slice(0, split.initEnd).buffer;
    const fragment = all.slice(split.initEnd, split.fragmentEnd).buffer;
    const message: MseSegmentsMessage = { channel: MSE_CHANNEL, blobUrl, mimeType: capture.mimeType, init, fragment };
    win.postMessage(message, win.location.origin === 'null' ? '*' : win.location.origin, [init, fragment]);
  }
}
