import { MSE_IN_FLIGHT, MSE_INIT_LIMIT, MSE_SEGMENT_LIMIT, type MseCredit, type MseMessage } from './mse-observer';

/** Streams remembered at once; older ones are dropped (their videos are long gone or never shown). */
const MAX_STREAMS = 8;

/** One thing to tell the background about a stream, in order. */
export type StreamItem =
  | { kind: 'segment'; index: number; skipped: number; bytes: ArrayBuffer }
  | { kind: 'init-changed'; index: number };

/** A stream followed through the observer's port. */
export interface StreamState {
  stream: number;
  blobUrl: string;
  mimeType: string;
  init: ArrayBuffer;
  /** Items not yet taken, oldest first (at most the observer's segments in flight, plus a withdrawal). */
  pending: StreamItem[];
  /** Segments dropped here (more arrived than may be in flight), added to the observer's count. */
  dropped: number;
}

function isBuffer(value: unknown, limit: number): value is ArrayBuffer {
  return value instanceof ArrayBuffer && value.byteLength > 0 && value.byteLength <= limit;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks a message from the port; only the observer posts there, but what crosses is still bounded and typed. */
export function parseMseMessage(data: unknown): MseMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (!isCount(d.stream)) return null;
  if (d.type === 'init') {
    if (typeof d.blobUrl !== 'string' || !d.blobUrl.startsWith('blob:') || d.blobUrl.length > 2048) return null;
    if (typeof d.mimeType !== 'string' || d.mimeType.length > 256 || !isBuffer(d.bytes, MSE_INIT_LIMIT)) return null;
    return { type: 'init', stream: d.stream, blobUrl: d.blobUrl, mimeType: d.mimeType, bytes: d.bytes };
  }
  if (d.type === 'segment') {
    if (!isCount(d.index) || !isCount(d.skipped) || !isBuffer(d.bytes, MSE_SEGMENT_LIMIT)) return null;
    return { type: 'segment', stream: d.stream, index: d.index, skipped: d.skipped, bytes: d.bytes };
  }
  if (d.type === 'init-changed' && isCount(d.index)) return { type: 'init-changed', stream: d.stream, index: d.index };
  return null;
}

/**
 * The content script's side of the stream observer: reads the private port
 * handed over at document_start (see mse-bridge.ts; nothing else is
 * listened to, so page script cannot post into it), keeps each stream's init
 * segment and its pending media segments by blob URL, and tells a listener
 * when something arrives. Each media segment taken must be `settle`d once
 * dealt with: that returns a credit to the observer, which copies no more
 * than a few segments ahead of the checks.
 */
export class StreamSegmentInbox {
  private readonly streams = new Map<number, StreamState>();

  constructor(
    private readonly port: MessagePort | undefined,
    private readonly onArrival: (blobUrl: string) => void,
  ) {
    if (!port) return;
    port.onmessage = (event: MessageEvent) => this.receive(parseMseMessage(event.data));
  }

  private receive(message: MseMessage | null): void {
    if (!message) return;
    if (message.type === 'init') {
      this.streams.delete(message.stream);
      this.streams.set(message.stream, {
        stream: message.stream,
        blobUrl: message.blobUrl,
        mimeType: message.mimeType,
        init: message.bytes,
        pending: [],
        dropped: 0,
      });
      while (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value!);
    } else {
      const state = this.streams.get(message.stream);
      if (!state) return;
      if (message.type === 'segment') {
        const held = state.pending.filter((p) => p.kind === 'segment').length;
        if (held >= MSE_IN_FLIGHT) {
          state.dropped++;
          this.settle(state.stream);
          return;
        }
        const skipped = message.skipped + state.dropped;
        state.pending.push({ kind: 'segment', index: message.index, skipped, bytes: message.bytes });
      } else {
        state.pending.push({ kind: 'init-changed', index: message.index });
      }
    }
    const blobUrl = this.streams.get(message.stream)?.blobUrl;
    if (blobUrl) this.onArrival(blobUrl);
  }

  /** Takes the pending items of the newest stream shown at `blobUrl`, with its init segment. */
  take(blobUrl: string): { state: StreamState; items: StreamItem[] } | undefined {
    let found: StreamState | undefined;
    for (const state of this.streams.values()) if (state.blobUrl === blobUrl) found = state;
    if (!found || found.pending.length === 0) return undefined;
    const items = found.pending;
    found.pending = [];
    return { state: found, items };
  }

  /** One media segment of `stream` was dealt with: the observer may copy another. */
  settle(stream: number): void {
    const credit: MseCredit = { credit: stream };
    this.port?.postMessage(credit);
  }

  /**
   * Stops listening and drops everything; the segments it held are credited back, so that a content script
   * started again in this frame (which takes the same port) still gets the streams' later segments.
   */
  stop(): void {
    if (this.port) this.port.onmessage = null;
    for (const state of this.streams.values())
      for (const item of state.pending) if (item.kind === 'segment') this.settle(state.stream);
    this.streams.clear();
  }
}
