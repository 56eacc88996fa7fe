import type { FaceRecord } from '../../core/report';
import { faceCropRect, MIN_SCORED_CROP, type PixelFace, relativeBox, selectFaces } from './face-geometry';

/** Finds faces on one image, in pixels of that image. */
export interface FaceFinder {
  detect(image: ImageBitmap): PixelFace[];
}

/** Scores a crop of RGBA pixels with the AI-frame classifier; resolves to its raw logit. */
export type CropScorer = (rgba: Uint8ClampedArray, width: number, height: number) => Promise<number>;

/** What face analysis gave for one frame. */
export interface FaceAnalysis {
  /** Null where the detector did not run (still loading, or failed to load). */
  faces: FaceRecord[] | null;
  /** Milliseconds in all: detection, crops and their scores. */
  ms: number;
  /** Milliseconds in the detector alone. */
  detectMs: number;
}

/** Side of the face crop image kept for the popup. */
const CROP_THUMBNAIL = 48;

/**
 * Face detection and face-crop scoring for the analysis host. The detector
 * (wasm and model, about 13 MB) loads lazily, on the first frame with
 * picture, and in the background: frames that arrive before it is ready go
 * on without faces rather than wait, so loading it does not hold up a first
 * verdict. A detector that fails to load is not
 * retried for every frame; the failure is logged once.
 */
export class FaceAnalyser {
  private finder: FaceFinder | null = null;
  private loading: Promise<void> | null = null;
  private failed = false;

  constructor(
    private readonly load: () => Promise<FaceFinder>,
    private readonly score: CropScorer | null,
    private readonly encodeCrop: ((canvas: OffscreenCanvas) => string | null) | null = null,
  ) {}

  /** Starts loading the detector if it is not loaded or loading yet. */
  prepare(): Promise<void> {
    this.loading ??= this.load().then(
      (finder) => {
        this.finder = finder;
      },
      (error: unknown) => {
        this.failed = true;
        console.warn('[provenance-lens] face detector unavailable', error);
      },
    );
    return this.loading;
  }

  /** Whether the detector has loaded. */
  get ready(): boolean {
    return this.finder !== null;
  }

  /** Whether the detector failed to load. */
  get unavailable(): boolean {
    return this.failed;
  }

  /** Faces on a frame with their crop scores; the bitmap stays open (the caller owns it). */
  async analyse(bitmap: ImageBitmap): Promise<FaceAnalysis> {
    const t0 = performance.now();
    if (!this.finder) {
      void this.prepare();
      return { faces: null, ms: 0, detectMs: 0 };
    }
    const { width, height } = bitmap;
    let found: PixelFace[];
    try {
      found = selectFaces(this.finder.detect(bitmap), width, height);
    } catch (error) {
      console.warn('[provenance-lens] face detection failed on a frame', error);
      return { faces: null, ms: performance.now() - t0, detectMs: performance.now() - t0 };
    }
    const detectMs = performance.now() - t0;
    const faces: FaceRecord[] = [];
    for (const face of found) {
      const crop = faceCropRect(face, width, height);
      let aiLogit: number | null = null;
      let cropImage: string | null = null;
      const canvas = new OffscreenCanvas(crop.width, crop.height);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (ctx) {
        ctx.drawImage(bitmap, crop.x, crop.y, crop.width, crop.height, 0, 0, crop.width, crop.height);
        if (this.score && crop.width >= MIN_SCORED_CROP) {
          try {
            aiLogit = await this.score(ctx.getImageData(0, 0, crop.width, crop.height).data, crop.width, crop.height);
          } catch (error) {
            console.warn('[provenance-lens] classifier failed on a face crop', error);
          }
        }
        cropImage = this.encodeCrop?.(canvas) ?? null;
      }
      faces.push({
        box: relativeBox(face, width, height),
        detectorScore: Math.round(face.score * 1000) / 1000,
        aiLogit,
        crop: cropImage,
      });
    }
    return { faces, ms: performance.now() - t0, detectMs };
  }
}

/**
 * A small JPEG of a face crop, encoded synchronously with a DOM canvas (the
 * asynchronous `convertToBlob` waits for idle time the hidden offscreen
 * document rarely has).
 */
export function encodeCropThumbnail(source: OffscreenCanvas): string | null {
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = CROP_THUMBNAIL;
  canvas.height = CROP_THUMBNAIL;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, CROP_THUMBNAIL, CROP_THUMBNAIL);
  return canvas.toDataURL('image/jpeg', 0.7);
}
