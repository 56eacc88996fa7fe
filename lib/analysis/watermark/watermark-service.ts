import type { WatermarkSignal } from '../../core/signals';
import type { OcrRequest, OcrResponse } from './ocr-worker-protocol';
import { WorkerRpc } from '../../platform/worker-rpc';
import { OCR_FRAMES_PER_VIDEO } from './ocr-budget';
import { WatermarkTracker } from './watermark-tracker';

/** Frames waiting for OCR at once; more are dropped, as the frame queue drops while busy. */
const MAX_PENDING = 2;
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
 * signals come back after each frame. Drops frames while the worker is
 * busy and stops after a few frames per video.
 */
export class WatermarkService {
  private readonly rpc = new WorkerRpc<OcrRequest, OcrResponse>(
    () => new Worker(new URL('./ocr-worker.ts', import.meta.url), { type: 'module' }),
    'OCR worker',
    TIMEOUT_MS,
  );
  private readonly trackers = new Map<string, WatermarkTracker>();
  private readonly reads = new Map<string, number>();

  constructor(private readonly modelBase: string) {}

  /** Whether another frame of this video is worth reading now. */
  wants(videoId: string): boolean {
    return (this.reads.get(videoId) ?? 0) < OCR_FRAMES_PER_VIDEO && this.rpc.inFlight < MAX_PENDING;
  }

  /** Reads one frame; null when it was dropped or failed (the video keeps what it had). */
  async read(videoId: string, image: Blob, crop: OcrRequest['crop']): Promise<WatermarkUpdate | null> {
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
    this.trackers.delete(videoId);
    this.reads.delete(videoId);
  }
}
