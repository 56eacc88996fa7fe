import type { WatermarkSignal } from '../../core/signals';
import type { OcrRequest, OcrResponse } from './ocr-worker-protocol';
import { WorkerRpc } from '../../platform/worker-rpc';
import { OCR_FRAMES_PER_VIDEO, OCR_FRAMES_WITHOUT_SIGHTING } from './ocr-budget';
import { OcrQueue } from './ocr-queue';
import { WatermarkTracker } from '../../core/watermark-tracker';

const TIMEOUT_MS = 30_000;

/** What one OCR reading changed for a video. */
export interface WatermarkUpdate {
  signals: WatermarkSignal[];
  framesRead: number;
  ms: number;
}

/**
 * The analysis host's watermark reader: sends frames to the OCR worker, one
 * tracker per video applies the multi-frame rule, and the video's watermark
 * signals come back after each frame. Frames wait in an {@link OcrQueue}
 * (one per video, the most promising first); a video stops being read once
 * its mark is confirmed or after a few frames.
 */
export class WatermarkService {
  private readonly rpc = new WorkerRpc<OcrRequest, OcrResponse>(
    () => new Worker(new URL('./ocr-worker.ts', import.meta.url), { type: 'module' }),
    'OCR worker',
    TIMEOUT_MS,
  );
  private readonly trackers = new Map<string, WatermarkTracker>();
  private readonly reads = new Map<string, number>();
  private readonly queue = new OcrQueue<WatermarkUpdate | null>((videoId) => ({
    reads: this.reads.get(videoId) ?? 0,
    candidate: this.trackers.get(videoId)?.sighted ?? false,
  }));

  constructor(private readonly modelBase: string) {}

  /**
   * Whether another frame of this video is worth reading: its mark is not confirmed yet, and it has frames left
   * (fewer when no mark was seen on any frame read).
   */
  wants(videoId: string): boolean {
    const reads = this.reads.get(videoId) ?? 0;
    const tracker = this.trackers.get(videoId);
    if (reads >= (tracker?.sighted ? OCR_FRAMES_PER_VIDEO : OCR_FRAMES_WITHOUT_SIGHTING)) return false;
    return (tracker?.signals().length ?? 0) === 0;
  }

  /** Reads one frame, in its turn; null when it was replaced by a newer frame, dropped or failed. */
  async read(videoId: string, image: Blob, crop: OcrRequest['crop']): Promise<WatermarkUpdate | null> {
    if (!this.wants(videoId)) return null;
    return this.queue.push(videoId, () => this.readNow(videoId, image, crop));
  }

  private async readNow(videoId: string, image: Blob, crop: OcrRequest['crop']): Promise<WatermarkUpdate | null> {
    // The video may have been confirmed or left the page while this frame waited.
    if (!this.wants(videoId)) return null;
    this.reads.set(videoId, (this.reads.get(videoId) ?? 0) + 1);
    let res: OcrResponse;
    try {
      res = await this.rpc.call((id) => ({ id, modelBase: this.modelBase, image, crop }));
    } catch {
      return null;
    }
    if ('error' in res) return null;
    let tracker = this.trackers.get(videoId);
    if (!tracker) {
      tracker = new WatermarkTracker();
      this.trackers.set(videoId, tracker);
    }
    tracker.addFrame({ width: res.width, height: res.height, lines: res.lines, logos: res.logos });
    return { signals: tracker.signals(), framesRead: tracker.framesChecked, ms: res.ms };
  }

  /** Forgets a video that left the page. */
  forget(videoId: string): void {
    this.queue.forget(videoId);
    this.trackers.delete(videoId);
    this.reads.delete(videoId);
  }
}
