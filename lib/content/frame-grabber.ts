import { downscaledSize } from '../core/geometry';
import { blobToDataUrl } from '../analysis/image-io';
import type { PageTimings } from '../messaging/protocol';
import { SAMPLING } from './sampling-policy';

/** The video's pixels cannot be read back: a cross-origin file served without CORS. */
export class TaintedCanvasError extends Error {
  constructor() {
    super('the video is cross-origin without CORS: its pixels cannot be read on the page');
    this.name = 'TaintedCanvasError';
  }
}

/** One video's drawing surface, recreated only when the frame size changes. */
export class FrameCanvas {
  private canvas: OffscreenCanvas | null = null;

  /** The canvas at the given size. */
  sized(width: number, height: number): OffscreenCanvas {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
    }
    return this.canvas;
  }
}

/** A frame ready to send: a downscaled JPEG and what it cost the page. */
export interface GrabbedFrame {
  jpeg: string;
  mediaTime: number;
  width: number;
  height: number;
  timings: PageTimings;
}

/**
 * Draws the video's current frame into a small canvas and encodes it as
 * JPEG. Only the draw runs on the page's main thread; the encode is the
 * browser's asynchronous `convertToBlob`. A tainted canvas rejects the
 * encode, which is how a cross-origin video is recognised without a
 * synchronous `getImageData` read-back.
 *
 * Each video brings its own canvas: a canvas once tainted by a cross-origin
 * frame stays tainted, so sharing one would poison every later video.
 */
export async function grabFrame(video: HTMLVideoElement, canvas: FrameCanvas): Promise<GrabbedFrame> {
  const start = performance.now();
  const { width, height } = downscaledSize(video.videoWidth, video.videoHeight, SAMPLING.maxFrameSide);
  const target = canvas.sized(width, height);
  const ctx = target.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  const mediaTime = video.currentTime;
  ctx.drawImage(video, 0, 0, width, height);
  const drawn = performance.now();
  let blob: Blob;
  const encodeStart = performance.now();
  try {
    blob = await target.convertToBlob({ type: 'image/jpeg', quality: SAMPLING.jpegQuality });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SecurityError') throw new TaintedCanvasError();
    throw error;
  }
  const jpeg = await blobToDataUrl(blob);
  const encoded = performance.now();
  return {
    jpeg,
    mediaTime,
    width,
    height,
    timings: { capture: drawn - start, mainThread: drawn - start, encode: encoded - encodeStart },
  };
}
