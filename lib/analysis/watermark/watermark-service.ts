import type { WatermarkSignal } from '../../core/signals';
import type { OcrRequest, OcrResponse } from './ocr-worker-protocol';
import { WatermarkTracker } from './watermark-tracker';

/** OCR frames read per video: enough for the multi-frame rule, few enough to stay cheap. */
export const OCR_FRAMES_PER_VIDEO = 4;
/** Frames waiting for OCR at once; more are dropped, as the frame queue drops while busy. */
const MAX_PENDING = 2;
const TIMEOUT_MS = 30_000;

/** What one OCR reading changed for a video. */
export interface WatermarkUpdate {
  signals: WatermarkSignal[];
  framesRead: number;
  ms: number;
}

type Pending = { resolve: (r: OcrResponse) => void; timer: ReturnType<typeof setTimeout> };

/**
 * The analysis host's watermark reader: sends frames to the OCR worker, one
 * tracker per video applies the multi-frame rule, and the video's watermark
 * signals come back after each frame. Drops frames while the worker is
 * busy and stops after a few frames per video.
 */
export class WatermarkService {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly trackers = new Map<string, WatermarkTracker>();
  private readonly reads = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly modelBase: string) {}

  /** Whether another frame of this video is worth reading now. */
  wants(videoId: string): boolean {
    return (this.reads.get(videoId) ?? 0) < OCR_FRAMES_PER_VIDEO && this.pending.size < MAX_PENDING;
  }

  /** Reads one frame; null when it was dropped or failed (the video keeps what it had). */
  async read(videoId: string, image: Blob, crop: OcrRequest['crop']): Promise<WatermarkUpdate | null> {
    if (!this.wants(videoId)) return null;
    this.reads.set(videoId, (this.reads.get(videoId) ?? 0) + 1);
    const res = await this.request(image, crop);
    if ('error' in res) return null;
    let tracker = this.trackers.get(videoId);
    if (!tracker) {
      tracker = new WatermarkTracker();
      this.trackers.set(videoId, tracker);
    }
    tracker.addFrame({ width: res.width, height: res.height, lines: res.lines });
    return { signals: tracker.signals(), framesRead: tracker.framesChecked, ms: res.ms };
  }

  /** Forgets a video that left the page. */
  forget(videoId: string): void {
    this.trackers.delete(videoId);
    this.reads.delete(videoId);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./ocr-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<OcrResponse>) => {
      const p = this.pending.get(event.data.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(event.data.id);
      p.resolve(event.data);
    };
    worker.onerror = (event) => this.fail(`OCR worker crashed: ${event.message || 'unknown error'}`);
    this.worker = worker;
    return worker;
  }

  private fail(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ id, error: message });
    }
    this.pending.clear();
  }

  private request(image: Blob, crop: OcrRequest['crop']): Promise<OcrResponse> {
    const id = this.nextId++;
    const worker = this.start();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail('OCR timed out'), TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      const req: OcrRequest = { id, modelBase: this.modelBase, image, crop };
      worker.postMessage(req);
    });
  }
}
