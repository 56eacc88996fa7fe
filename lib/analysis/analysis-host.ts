import { cropToImagePixels } from '../core/geometry';
import { differenceHash } from '../core/frame-hash';
import { SHOWN_HASH_TOLERANCE } from '../core/frame-match';
import type { ProvenanceSignal } from '../core/signals';
import type { ComputeDevice } from '../core/compute';
import type { ProvenanceChecker, ProvenanceClaims } from '../provenance/provenance-checker';
import { type TrustChoice, type TrustSet, trustSet } from '../provenance/trust';
import type { ClassifierModel } from './classifier/classifier-model';
import type { FaceAnalyser } from './faces/face-analyser';
import type { WatermarkService } from './watermark/watermark-service';
import type {
  HostEventSink,
  HostFrameResult,
  HostHandlers,
  HostRequest,
  OcrRoom,
  Priority,
  ProvenanceRequest,
} from '../messaging/protocol';
import { AnalysisQueue, DroppedError } from './analysis-queue';
import { isBlankFrame } from './frame-quality';
import { FRAME_STATS_INPUT_SIDE, type FrameStatsModel } from './frame-stats-model';
import { dataUrlByteLength, dataUrlToBlob } from '../platform/image-io';
import type { RemoteVideoReader } from './remote-video-reader';
import { VerifiedFrameReader, type VerifiedFrames } from './verified-frames';

/** Longest the models' first load may hold the queue (a busy machine compiling wasm). */
const WARM_TIMEOUT_MS = 120_000;

/** Width of the thumbnail the popup shows. */
const THUMBNAIL_WIDTH = 160;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The analysis host: everything that runs wasm or decodes media lives here,
 * in the offscreen document (Chrome) or the background page (Firefox), never
 * in a content script. Frames go through one queue; every ImageBitmap is
 * closed on every path. Its public calls are the protocol's `HostCalls`, taking the same request objects.
 */
export class AnalysisHost implements HostHandlers {
  private readonly queue = new AnalysisQueue();

  constructor(
    private readonly frameStats: FrameStatsModel,
    private readonly remote: RemoteVideoReader,
    private readonly provenance: ProvenanceChecker,
    private readonly watermarks: WatermarkService,
    private readonly classifier: ClassifierModel | null = null,
    private readonly faces: FaceAnalyser | null = null,
    /** Turns the user's trust choice into the trust lists a reading uses (the bundled lists are this host's files). */
    private readonly trust: (choice: TrustChoice) => Promise<TrustSet> = (choice) =>
      trustSet({}, choice.lists, choice.userAnchors),
    /** Carries the host's events (the later halves of calls, such as watermark readings) to the background. */
    private readonly emit: HostEventSink = () => undefined,
    /** Decodes and hashes frames of verified bytes (a stand-in in tests). */
    private readonly verifiedFrames: Pick<VerifiedFrameReader, 'hashes'> = new VerifiedFrameReader(),
    /** Where the models run (see lib/core/compute.ts); null until the browser host's probe has answered. */
    private readonly compute: () => ComputeDevice | null = () => null,
  ) {}

  /**
   * Hands a frame's watermark part to the OCR worker's queue (outside the frame queue) and returns the video's room
   * at once; the reading, when it ends, goes to the background as a `watermarkRead` event.
   */
  private queueWatermark(
    part: NonNullable<HostRequest<'analyseImage'>['watermark']>,
    image: Blob,
    crop: { x: number; y: number; width: number; height: number } | null,
  ): OcrRoom {
    const { reply } = part;
    const { videoId } = reply;
    if (this.watermarks.wants(videoId)) {
      void this.watermarks.read(videoId, image, crop).then(
        (update) =>
          this.emit('watermarkRead', {
            reply,
            frame: update?.frame ?? null,
            room: this.watermarks.room(videoId),
            ms: update?.ms ?? 0,
          }),
        () => this.emit('watermarkRead', { reply, frame: null, room: this.watermarks.room(videoId), ms: 0 }),
      );
    }
    return this.watermarks.room(videoId);
  }

  /** Reads a stream's Content Credentials from copies of its init segment and one media segment, timed. */
  async readStreamProvenance(req: HostRequest<'readStreamProvenance'>): Promise<ProvenanceSignal> {
    const [init, fragment] = await Promise.all([dataUrlToBlob(req.init), dataUrlToBlob(req.fragment)]);
    const trust = await this.trust(req.trust);
    const started = performance.now();
    const signal = await this.provenance.checkStream(req.mimeType.split(';')[0]!.trim(), init, fragment, trust);
    return { ...signal, segmentMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  /** Reads what a file's Content Credentials claim from its metadata boxes, before its hash is checked. */
  async readProvenanceClaims(req: ProvenanceRequest): Promise<ProvenanceClaims | null> {
    return this.provenance.checkClaims({ ...req, trust: await this.trust(req.trust) });
  }

  /** Reads a file's Content Credentials (in the C2PA worker, outside the frame queue). */
  async readProvenance(req: ProvenanceRequest): Promise<ProvenanceSignal> {
    return this.provenance.checkFile({ ...req, trust: await this.trust(req.trust) });
  }

  /**
   * Hashes frames of a video file at the page's media times, decoded from the very bytes whose credentials
   * `readProvenance` verified for the same check; null when those bytes are not kept (see
   * `ProvenanceChecker.verifiedBytes`). Outside the frame queue: a few seeks of one file, one file at a time.
   */
  async hashVerifiedFrames(req: HostRequest<'hashVerifiedFrames'>): Promise<VerifiedFrames | null> {
    const { shown, ...check } = req;
    const bytes = this.provenance.verifiedBytes({ ...check, trust: await this.trust(check.trust) });
    if (!bytes) return null;
    return this.verifiedFrames.hashes(bytes, shown, SHOWN_HASH_TOLERANCE);
  }

  /**
   * Analyses a JPEG/PNG data URL, optionally cropped (tab screenshots). A watermark part joins the OCR queue once the
   * frame is analysed, and the answer does not wait for its reading.
   */
  analyseImage(req: HostRequest<'analyseImage'>): Promise<HostFrameResult> {
    return this.guard(req.priority, async () => {
      const t0 = performance.now();
      const blob = await dataUrlToBlob(req.image);
      let bitmap = await createImageBitmap(blob);
      let box: { x: number; y: number; width: number; height: number } | null = null;
      if (req.crop) {
        const full = bitmap;
        try {
          box = cropToImagePixels(req.crop.rect, req.crop.viewport, full);
          if (!box) throw new Error('the video is not inside the captured tab');
          bitmap = await createImageBitmap(full, box.x, box.y, box.width, box.height);
        } finally {
          full.close();
        }
      }
      const result = await this.analyseBitmap(bitmap, req.wantThumbnail, t0, dataUrlByteLength(req.image));
      if (!req.watermark || result.status !== 'analysed') return result;
      // A larger copy of a canvas frame is read whole; a screenshot is read at full size, cropped as the frame was.
      // A copy that does not decode costs the reading, never the frame's own answer.
      const copy = req.watermark.image ? await dataUrlToBlob(req.watermark.image).catch(() => null) : blob;
      const ocr = copy
        ? this.queueWatermark(req.watermark, copy, req.watermark.image ? null : box)
        : this.watermarks.room(req.watermark.reply.videoId);
      return { ...result, ocr };
    });
  }

  /** Fetches the video file itself and analyses the frame at the page's media time. */
  async analyseRemote(req: HostRequest<'analyseRemote'>): Promise<HostFrameResult> {
    // The download runs outside the frame queue: a slow or stalling server delays only its own video.
    try {
      await this.remote.prepare(req.videoId, req.src);
    } catch (error) {
      return { status: 'failed', error: errorMessage(error) };
    }
    return this.guard(req.priority, async () => {
      const t0 = performance.now();
      const bitmap = await this.remote.frameAt(req.videoId, req.src, req.mediaTime);
      return this.analyseBitmap(bitmap, req.wantThumbnail, t0, 0);
    });
  }

  /** Prepares the models ahead of the first frame; failures surface later, per frame. */
  warm(): Promise<void> {
    return this.queue
      .submit(
        'visible',
        async () => {
          await this.frameStats.warm();
          await this.classifier?.warm();
        },
        WARM_TIMEOUT_MS,
      )
      .catch(() => undefined);
  }

  /** The classifier's logit for a frame at the size the page sent it; null when it fails (no guess). */
  private async classify(bitmap: ImageBitmap): Promise<number | null> {
    try {
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) return null;
      ctx.drawImage(bitmap, 0, 0);
      const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      return await this.classifier!.run(pixels, bitmap.width, bitmap.height);
    } catch (error) {
      console.warn('[provenance-lens] classifier failed on a frame', error);
      return null;
    }
  }

  /** Releases what the host keeps for a video that left the page. */
  forget({ videoId }: HostRequest<'forget'>): void {
    this.remote.forget(videoId);
    this.provenance.cancel(videoId);
    this.watermarks.forget(videoId);
  }

  private async guard(priority: Priority, work: () => Promise<HostFrameResult>): Promise<HostFrameResult> {
    try {
      return await this.queue.submit(priority, work);
    } catch (error) {
      if (error instanceof DroppedError) return { status: 'dropped', reason: 'busy' };
      return { status: 'failed', error: errorMessage(error) };
    }
  }

  private async analyseBitmap(
    bitmap: ImageBitmap,
    wantThumbnail: boolean,
    t0: number,
    bytes: number,
  ): Promise<HostFrameResult> {
    try {
      if (bitmap.width === 0 || bitmap.height === 0) throw new Error('the frame has no pixels');
      const side = FRAME_STATS_INPUT_SIDE;
      const canvas = new OffscreenCanvas(side, side);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('2D canvas unavailable in the analysis host');
      ctx.drawImage(bitmap, 0, 0, side, side);
      const pixels = ctx.getImageData(0, 0, side, side).data;
      const t1 = performance.now();
      const stats = await this.frameStats.run(pixels, side, side);
      const t2 = performance.now();
      const blank = isBlankFrame(stats);
      // From the pixels already drawn for the statistics: a blank frame looks like every other blank frame.
      const frameHash = blank ? null : differenceHash(pixels, side, side);
      const aiLogit = blank || !this.classifier ? null : await this.classify(bitmap);
      const t3 = performance.now();
      const faces = blank || !this.faces ? null : await this.faces.analyse(bitmap);
      const thumbnail = wantThumbnail ? makeThumbnail(bitmap) : null;
      const compute = this.compute();
      return {
        status: 'analysed',
        stats,
        blank,
        aiLogit,
        thumbnail,
        frameHash,
        faces: faces?.faces ?? null,
        timings: {
          preprocess: t1 - t0,
          inference: t2 - t1,
          classify: t3 - t2,
          faces: faces?.ms ?? 0,
          faceDetect: faces?.detectMs ?? 0,
        },
        bytes,
        ...(compute ? { compute } : {}),
      };
    } finally {
      bitmap.close();
    }
  }
}

/**
 * A small JPEG of the frame for the popup. Encoded synchronously with a DOM
 * canvas: in the hidden offscreen document, the asynchronous
 * `convertToBlob` waits for idle time that rarely comes and added about a
 * second to every first verdict (measured).
 */
function makeThumbnail(bitmap: ImageBitmap): string {
  const width = Math.min(THUMBNAIL_WIDTH, bitmap.width);
  const height = Math.max(1, Math.round((bitmap.height / bitmap.width) * width));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
  return canvas.toDataURL('image/jpeg', 0.7);
}
