import { frameSightings, type WatermarkFrame, WatermarkTracker } from '../../core/watermark-tracker';
import type { OcrRequest, OcrResponse } from './ocr-worker-protocol';
import { WorkerRpc } from '../../platform/worker-rpc';
import { ocrBudget, ocrDone, ocrRoom, readsText, type OcrStanding } from './ocr-budget';
import { OcrQueue } from './ocr-queue';

const TIMEOUT_MS = 30_000;
/**
 * The OCR worker is let go after this long without a frame: its two models and the wasm memory their runs grew to
 * are the largest part of the extension's memory, and a page scrolled no further needs none of it. Starting it
 * again costs about a second of loading, once, when new videos come.
 */
export const OCR_IDLE_MS = 20_000;

/** What one OCR reading found on a frame. */
export interface WatermarkUpdate {
  /** The marks seen on the frame, before the multi-frame rule (the background's frame-signal builder applies it). */
  frame: WatermarkFrame;
  framesRead: number;
  ms: number;
}

/**
 * Reads one frame (an encoded image, optionally a crop of it in image pixels) with the OCR models, or with `text`
 * false only matches it against the logo templates.
 */
export type OcrRead = (image: Blob, crop: OcrRequest['crop'], text: boolean) => Promise<OcrResponse>;

/** The OCR reader of the analysis host: PaddleOCR and the logo matcher in a worker, models from `modelBase`. */
export function workerOcr(modelBase: string): OcrRead {
  const rpc = new WorkerRpc<OcrRequest, OcrResponse>(
    () => new Worker(new URL('./ocr-worker.ts', import.meta.url), { type: 'module' }),
    'OCR worker',
    TIMEOUT_MS,
    OCR_IDLE_MS,
  );
  return (image, crop, text) => rpc.call((id) => ({ id, modelBase, image, crop, text }));
}

/**
 * The analysis host's watermark reader: sends frames to the OCR worker and reports each frame's sightings. One
 * tracker per video applies the multi-frame rule here only to decide how many frames to read; the signals the
 * verdict uses are built from the sightings by the background. Frames wait in an {@link OcrQueue} (two per video,
 * the most promising first); a video stops being read once its mark is confirmed or after a few frames, and
 * {@link room} says so ahead, so that the background sends no frame that would not be read.
 */
export class WatermarkService {
  private readonly trackers = new Map<string, WatermarkTracker>();
  private readonly reads = new Map<string, number>();
  /** Per video, the text boxes near the edges found on each frame read for text (see `readsText`). */
  private readonly candidates = new Map<string, number[]>();
  /** Videos with a frame in the reader now. */
  private readonly reading = new Set<string>();
  private readonly queue = new OcrQueue<WatermarkUpdate | null>((videoId) => ({
    reads: this.reads.get(videoId) ?? 0,
    candidate: this.trackers.get(videoId)?.sighted ?? false,
  }));
  private version = 0;

  constructor(private readonly ocr: OcrRead) {}

  /**
   * Whether another frame of this video is worth reading: its mark is not confirmed yet, and it has frames left
   * (fewer when no mark was seen on any frame read).
   */
  wants(videoId: string): boolean {
    const reads = this.reads.get(videoId) ?? 0;
    const tracker = this.trackers.get(videoId);
    if (reads >= ocrBudget(tracker?.sighted ?? false)) return false;
    return (tracker?.signals().length ?? 0) === 0;
  }

  /**
   * How many more frames of this video the reader takes now (see `ocrRoom`), whether it is done with the video for
   * good (see `ocrDone`), with a version that grows per word.
   */
  room(videoId: string): { frames: number; done: boolean; version: number } {
    const tracker = this.trackers.get(videoId);
    const standing: OcrStanding = {
      // A frame being read counts in `reads` from its start.
      reads: this.reads.get(videoId) ?? 0,
      waiting: this.queue.waitingFor(videoId),
      sighted: tracker?.sighted ?? false,
      confirmed: (tracker?.signals().length ?? 0) > 0,
      reading: this.reading.has(videoId),
    };
    // From the clock, so that a host started again (a new offscreen document) still speaks later than the last one.
    this.version = Math.max(this.version + 1, Date.now() * 1000);
    return { frames: ocrRoom(standing), done: ocrDone(standing), version: this.version };
  }

  /** Reads one frame, in its turn; null when it was replaced by a newer frame, dropped, failed or not wanted. */
  async read(videoId: string, image: Blob, crop: OcrRequest['crop']): Promise<WatermarkUpdate | null> {
    if (!this.wants(videoId)) return null;
    // Queued (or started) before this returns: the room the host reports right after it leaves this frame out.
    return this.queue.push(videoId, () => this.readNow(videoId, image, crop));
  }

  private async readNow(videoId: string, image: Blob, crop: OcrRequest['crop']): Promise<WatermarkUpdate | null> {
    // The video may have been confirmed or left the page while this frame waited.
    if (!this.wants(videoId)) return null;
    this.reads.set(videoId, (this.reads.get(videoId) ?? 0) + 1);
    const text = readsText(this.candidates.get(videoId) ?? [], this.trackers.get(videoId)?.sighted ?? false);
    let res: OcrResponse;
    this.reading.add(videoId);
    try {
      res = await this.ocr(image, crop, text);
    } catch {
      return null;
    } finally {
      this.reading.delete(videoId);
    }
    if ('error' in res) return null;
    if (res.candidates !== null)
      this.candidates.set(videoId, [...(this.candidates.get(videoId) ?? []), res.candidates]);
    let tracker = this.trackers.get(videoId);
    if (!tracker) {
      tracker = new WatermarkTracker();
      this.trackers.set(videoId, tracker);
    }
    const frame = {
      sightings: frameSightings({ width: res.width, height: res.height, lines: res.lines, logos: res.logos }),
    };
    tracker.addSightings(frame.sightings);
    return { frame, framesRead: tracker.framesChecked, ms: res.ms };
  }

  /** Forgets a video that left the page. */
  forget(videoId: string): void {
    this.queue.forget(videoId);
    this.trackers.delete(videoId);
    this.reads.delete(videoId);
    this.candidates.delete(videoId);
    this.reading.delete(videoId);
  }
}
