import { MSE_CHANNEL, type MseSegmentsMessage } from './mse-observer';

/** Streams remembered at once; older ones are dropped (their videos are long gone or never shown). */
const MAX_STREAMS = 8;

/** A stream's copied init segment and first media segment. */
export interface StreamSegments {
  mimeType: string;
  init: ArrayBuffer;
  fragment: ArrayBuffer;
}

function isSegmentsMessage(data: unknown): data is MseSegmentsMessage {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    d.channel === MSE_CHANNEL &&
    typeof d.blobUrl === 'string' &&
    d.blobUrl.startsWith('blob:') &&
    typeof d.mimeType === 'string' &&
    d.init instanceof ArrayBuffer &&
    d.fragment instanceof ArrayBuffer
  );
}

/**
 * The content script's side of the stream observer: keeps the segments the
 * MAIN-world observer posted, by blob URL, bounded in count, and tells a
 * listener when a stream's segments arrive. Messages are accepted only from
 * this same window.
 */
export class StreamSegmentInbox {
  private readonly streams = new Map<string, StreamSegments>();
  private readonly onMessage = (event: MessageEvent) => {
    if (event.source !== this.win || !isSegmentsMessage(event.data)) return;
    const { blobUrl, mimeType, init, fragment } = event.data;
    this.streams.delete(blobUrl);
    this.streams.set(blobUrl, { mimeType, init, fragment });
    while (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value!);
    this.onArrival(blobUrl);
  };

  constructor(
    private readonly win: Window,
    private readonly onArrival: (blobUrl: string) => void,
  ) {
    win.addEventListener('message', this.onMessage);
  }

  /** Hands over (and forgets) a stream's segments. */
  take(blobUrl: string): StreamSegments | undefined {
    const s = this.streams.get(blobUrl);
    this.streams.delete(blobUrl);
    return s;
  }

  /** Stops listening and drops everything. */
  stop(): void {
    this.win.removeEventListener('message', this.onMessage);
    this.streams.clear();
  }
}
