import { downscaledSize } from '../core/geometry';
import { blobToDataUrl } from '../platform/image-io';
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

  /**
   * Lets the canvas go (the next `sized` makes a new one): a video's larger copy is only drawn for its first few
   * frames, and a feed of many videos would otherwise keep a 960-px canvas (about 2 MB) for each in the page.
   */
  release(): void {
    this.canvas = null;
  }

  /** Whether a canvas is held now. */
  get holding(): boolean {
    return this.canvas !== null;
  }
}

/** A frame ready to send: a downscaled JPEG (and a larger one for OCR when asked) and what it cost the page. */
export interface GrabbedFrame {
  jpeg: string;
  ocrJpeg?: string;
  mediaTime: number;
  width: number;
  height: number;
  timings: PageTimings;
}

/** Longer side of the copy the watermark reader gets: corner marks are a few percent of the frame. */
export const OCR_FRAME_SIDE = 960;

/** Media seconds the larger copy may be from the small one's moment (a turn later on a playing video). */
export const OCR_COPY_DRIFT_S = 0.5;

function draw(video: HTMLVideoElement, target: FrameCanvas, maxSide: number): OffscreenCanvas {
  const { width, height } = downscaledSize(video.videoWidth, video.videoHeight, maxSide);
  const canvas = target.sized(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(video, 0, 0, width, height);
  return canvas;
}

async function encode(canvas: OffscreenCanvas, quality: number): Promise<string> {
  try {
    return await blobToDataUrl(await canvas.convertToBlob({ type: 'image/jpeg', quality }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SecurityError') throw new TaintedCanvasError();
    throw error;
  }
}

/**
 * Draws the video's current frame into a small canvas (and, when `ocr` is
 * given, a larger one) and encodes them as JPEG. Only the draws run on the
 * page's main thread; encoding is the browser's asynchronous
 * `convertToBlob`. A tainted canvas rejects the encode, which is how a
 * cross-origin video is recognised without a synchronous `getImageData`
 * read-back.
 *
 * The larger draw waits for `between` (the content script's next paced
 * turn): each draw of a video frame is a synchronous copy, scale and colour
 * conversion, and the two back to back made one of the page's long tasks. The
 * larger copy may then show a frame or two later; it is only read for marks,
 * which stay put, and it is dropped when the video changed source or jumped in
 * the meantime (a page must not get another video's frame read as this one's).
 *
 * Each video brings its own canvases: a canvas once tainted by a
 * cross-origin frame stays tainted, so sharing one would poison every later
 * video.
 */
export async function grabFrame(
  video: HTMLVideoElement,
  canvas: FrameCanvas,
  ocr?: FrameCanvas,
  between: () => Promise<void> = () => Promise.resolve(),
): Promise<GrabbedFrame> {
  const start = performance.now();
  const mediaTime = video.currentTime;
  const source = video.currentSrc;
  const small = draw(video, canvas, SAMPLING.maxFrameSide);
  let drawing = performance.now() - start;
  const encodeStart = performance.now();
  const jpeg = await encode(small, SAMPLING.jpegQuality);
  let encoding = performance.now() - encodeStart;
  let ocrJpeg: string | undefined;
  if (ocr) {
    await between();
    if (video.currentSrc === source && Math.abs(video.currentTime - mediaTime) <= OCR_COPY_DRIFT_S) {
      const t0 = performance.now();
      const large = draw(video, ocr, OCR_FRAME_SIDE);
      drawing += performance.now() - t0;
      const t1 = performance.now();
      ocrJpeg = await encode(large, 0.9);
      encoding += performance.now() - t1;
    }
  }
  return {
    jpeg,
    ...(ocrJpeg ? { ocrJpeg } : {}),
    mediaTime,
    width: small.width,
    height: small.height,
    timings: { capture: drawing, mainThread: drawing, encode: encoding },
  };
}
