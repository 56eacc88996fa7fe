import { differenceHash, hexHammingDistance, PAGE_FRAME_SIDE } from '../core/frame-hash';
import { downscaledSize } from '../core/geometry';
import type { FileFrameHash } from '../core/signals';
import { FRAME_STATS_INPUT_SIDE } from './frame-stats-model';
import { once } from './media-events';

/** Longest the decoder may take to open a file's first frame. */
const OPEN_TIMEOUT_MS = 10_000;
/** Longest one seek may take to show its frame. */
const SEEK_TIMEOUT_MS = 5_000;
/**
 * Where around each of the page's media times the file is decoded (seconds), nearest first; decoding stops at the
 * first frame within the tolerance. The frames compared are crops of screenshots, whose `currentTime` is read
 * before the capture: the screen shows a later frame, by the time the background takes to capture the tab. A
 * page's drawn frame and its `currentTime` are also up to two frames apart, and in fast-moving video neighbouring
 * frames hash far apart (measured in Chromium on the project's clips at 25 fps: at 0 alone a cellular automaton
 * clip's frames were up to 11 bits off its file's).
 */
export const NEIGHBOURS_S = [0, 0.04, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3, -0.04];
/** Media times decoded per file at most, whatever is asked: the comparison needs a handful. */
export const MAX_FRAMES_PER_FILE = 4;

function canvasOf(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** A frame the page rendered: its media time (seconds) and difference hash. */
export interface ShownHash {
  mediaTime: number;
  hash: string;
}

/** What decoding a verified file's frames cost, for the record. */
export interface VerifiedFrames {
  frames: FileFrameHash[];
  /** Milliseconds from opening the file to the last hash. */
  ms: number;
}

/**
 * Decodes frames of a file the extension verified, from the very bytes it verified, and hashes them the way the
 * analysis host hashes a frame the page sent (drawn to the frame-statistics square, then the difference hash), so
 * the two can be compared (`lib/core/frame-match.ts`). The bytes go into a muted, detached `<video>` of this
 * document (the offscreen document, or Firefox's background page) through a blob URL: never the page's thread.
 * An element that has never seeked reads black, so every frame is a seek followed by its `seeked` event, even to 0.
 * One file at a time; each open and seek has its own time limit, and a time that cannot be decoded hashes as null.
 */
export class VerifiedFrameReader {
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * Hashes of the file's frames around the media times of `shown` (at most {@link MAX_FRAMES_PER_FILE}), in their
   * order; around each time, decoding stops at the first frame within `tolerance` bits of the page's hash there.
   */
  hashes(file: Blob, shown: readonly ShownHash[], tolerance: number): Promise<VerifiedFrames> {
    const next = this.chain.catch(() => undefined).then(() => this.decode(file, shown, tolerance));
    this.chain = next;
    return next;
  }

  private async decode(file: Blob, shown: readonly ShownHash[], tolerance: number): Promise<VerifiedFrames> {
    const started = performance.now();
    const times = shown.slice(0, MAX_FRAMES_PER_FILE);
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    try {
      const opened = once(video, 'loadeddata', OPEN_TIMEOUT_MS, 'opening the verified file');
      video.src = url;
      await opened;
      // The page's path: its content script draws the frame at most PAGE_FRAME_SIDE on a side, the host draws that
      // to the statistics square and hashes it. The same two steps here, so both alias alike.
      const { width, height } = downscaledSize(video.videoWidth, video.videoHeight, PAGE_FRAME_SIDE);
      const page = canvasOf(width, height);
      const square = canvasOf(FRAME_STATS_INPUT_SIDE, FRAME_STATS_INPUT_SIDE);
      const ctx = { page: page.getContext('2d'), square: square.getContext('2d', { willReadFrequently: true }) };
      if (!ctx.page || !ctx.square) throw new Error('2D canvas unavailable');
      const frames: FileFrameHash[] = [];
      for (const { mediaTime, hash: seen } of times) {
        const hashes: string[] = [];
        for (const offset of NEIGHBOURS_S) {
          const hash = await this.hashAt(video, ctx.page, ctx.square, mediaTime + offset);
          if (hash === null) continue;
          hashes.push(hash);
          if (hexHammingDistance(hash, seen) <= tolerance) break;
        }
        frames.push({ mediaTime, hashes });
      }
      return { frames, ms: Math.round(performance.now() - started) };
    } catch {
      // The file does not open here: no frame of it can vouch for what plays.
      return { frames: times.map(({ mediaTime }) => ({ mediaTime, hashes: [] })), ms: performance.now() - started };
    } finally {
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
    }
  }

  private async hashAt(
    video: HTMLVideoElement,
    page: CanvasRenderingContext2D,
    square: CanvasRenderingContext2D,
    mediaTime: number,
  ): Promise<string | null> {
    const duration = Number.isFinite(video.duration) ? video.duration : 0;
    // A time past the file's end has no frame of this file: the page played something longer.
    if (!(mediaTime >= -0.5) || mediaTime > duration + 0.05) return null;
    try {
      const seeked = once(video, 'seeked', SEEK_TIMEOUT_MS, 'seeking the verified file');
      video.currentTime = Math.max(0, Math.min(mediaTime, duration - 0.001));
      await seeked;
      page.drawImage(video, 0, 0, page.canvas.width, page.canvas.height);
      const side = square.canvas.width;
      square.drawImage(page.canvas, 0, 0, side, side);
      return differenceHash(square.getImageData(0, 0, side, side).data, side, side);
    } catch {
      return null;
    }
  }
}
