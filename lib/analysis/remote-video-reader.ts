import { expectOk, mediaRequest, readBlobCapped, WHOLE_FILE_TIMEOUT_MS, withTimeout } from '../provenance/capped-fetch';
import { once } from './media-events';

/** Files larger than this are not fetched for frame reading (the download stops there). */
export const REMOTE_VIDEO_MAX_BYTES = 200 * 1024 * 1024;
const LOAD_TIMEOUT_MS = 20_000;

interface Entry {
  src: string;
  controller: AbortController;
  video: Promise<HTMLVideoElement>;
  objectUrl: string | null;
}

/**
 * Reads frames of a video file the page's canvas could not give us (a
 * cross-origin file without CORS). The file is fetched from the extension's
 * own context, without cookies, into a blob so the canvas stays readable,
 * then seeked to the page's media time. One entry per video; forgetting a
 * video cancels its download. Downloads are limited in time and bytes, and
 * run outside the host's frame queue (see {@link prepare}), so a server that
 * drips its bytes holds up nothing but its own video.
 */
export class RemoteVideoReader {
  private readonly entries = new Map<string, Entry>();

  /** Downloads and opens the video's file (or waits for that already under way). */
  async prepare(videoId: string, src: string): Promise<void> {
    await this.videoFor(videoId, src);
  }

  /** Returns an ImageBitmap of the frame at `mediaTime`; the caller must `close()` it. */
  async frameAt(videoId: string, src: string, mediaTime: number): Promise<ImageBitmap> {
    const video = await this.videoFor(videoId, src);
    const duration = Number.isFinite(video.duration) ? video.duration : mediaTime;
    const target = Math.max(0, Math.min(mediaTime, duration - 0.05));
    // Frames of an element that has never seeked read black, so always seek, even to 0.
    const seeked = once(video, 'seeked', LOAD_TIMEOUT_MS, 'seeking the fetched video');
    video.currentTime = target;
    await seeked;
    return createImageBitmap(video);
  }

  /** Cancels any download for the video and releases its memory. */
  forget(videoId: string): void {
    const entry = this.entries.get(videoId);
    if (!entry) return;
    this.entries.delete(videoId);
    entry.controller.abort();
    void entry.video
      .then((v) => {
        v.removeAttribute('src');
        v.load();
      })
      .catch(() => undefined);
    if (entry.objectUrl) URL.revokeObjectURL(entry.objectUrl);
  }

  private videoFor(videoId: string, src: string): Promise<HTMLVideoElement> {
    const existing = this.entries.get(videoId);
    if (existing && existing.src === src) return existing.video;
    if (existing) this.forget(videoId);
    const controller = new AbortController();
    const entry: Entry = { src, controller, objectUrl: null, video: Promise.resolve(null as never) };
    entry.video = this.load(src, controller.signal, entry);
    entry.video.catch(() => this.entries.get(videoId) === entry && this.entries.delete(videoId));
    this.entries.set(videoId, entry);
    return entry.video;
  }

  private async load(src: string, signal: AbortSignal, entry: Entry): Promise<HTMLVideoElement> {
    if (!/^https?:/i.test(src)) throw new Error('only web files can be fetched to read their frames');
    let blob: Blob;
    try {
      const response = await fetch(src, mediaRequest(withTimeout(signal, WHOLE_FILE_TIMEOUT_MS)));
      expectOk(response);
      blob = await readBlobCapped(response, REMOTE_VIDEO_MAX_BYTES, response.headers.get('content-type') ?? '');
    } catch (error) {
      // Said in words of our own: nothing the server chose (status, address) goes back towards the page.
      const name = error instanceof Error ? error.name : '';
      if (name === 'TooLargeError') throw new Error('the video file is too large to fetch');
      if (name === 'TimeoutError') throw new Error('fetching the video took too long');
      if (name === 'AbortError') throw new Error('cancelled');
      throw new Error('the video file could not be fetched');
    }
    entry.objectUrl = URL.createObjectURL(blob);
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    const loaded = once(video, 'loadeddata', LOAD_TIMEOUT_MS, 'loading the fetched video');
    video.src = entry.objectUrl;
    await loaded;
    return video;
  }
}
