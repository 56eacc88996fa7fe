import type { ComputeDevice } from './compute';
import type { Box, Signal } from './signals';
import type { ReportVerdict } from './verdict';
import type { WatermarkFrame } from './watermark-tracker';

/** How a frame reached the analysis host. */
export type FramePath = 'canvas' | 'tab-capture' | 'offscreen-fetch';

/**
 * What happened to one sampled frame, kept for the detail view and for benchmarks. The frame's small JPEG, where
 * kept, lies apart under `frames:<tabId>:<videoId>` (lib/background/frame-images.ts), matched by `mediaTime`.
 */
export interface FrameRecord {
  /** Media time of the frame in seconds. */
  mediaTime: number;
  framePath: FramePath;
  blank: boolean;
  /** The AI-frame classifier's raw logit for this frame (null when it did not run). */
  aiLogit: number | null;
  /** Per-stage cost in milliseconds, measured where each stage ran. */
  timings: StageTimings;
  /** Size of the encoded frame as it crossed contexts, in bytes. */
  transferBytes: number;
  analysedAt: number;
  /**
   * The frame's difference hash (lib/core/frame-hash.ts), which a later viewing must match before the verdict
   * cache reuses this video's judgement; null or absent for blank frames and frames analysed before it existed.
   */
  hash?: string | null;
  /**
   * Whether this frame is what the user saw: a crop of a screenshot where the video is. False or absent for canvas
   * frames (what the element decoded, which page script can cover or restyle) and frames the extension decoded from
   * its own download, which say nothing about what the screen shows.
   */
  shown?: boolean;
  /**
   * Faces found on the frame, largest first; null where the face detector did
   * not run on it (blank frame, detector still loading or unavailable).
   */
  faces: FaceRecord[] | null;
}

/**
 * One face the detector found on a sampled frame. Face scores are evidence
 * shown in the detail view; they do not change the verdict (see
 * models/faces/MODEL_CARD.md).
 */
export interface FaceRecord {
  /** The face's box in fractions (0..1) of the frame. */
  box: Box;
  /** The face detector's confidence, 0..1. */
  detectorScore: number;
  /** The AI-frame classifier's raw logit on the crop around the face; null when the crop was too small to score. */
  aiLogit: number | null;
  /** A small JPEG data URL of the crop, for the popup. */
  crop: string | null;
}

/** Milliseconds spent on one frame in each stage of the pipeline. */
export interface StageTimings {
  /** Content script: drawing the video into the downscaled canvas (main thread). */
  capture: number;
  /** Content script: synchronous main-thread work for the frame, capture included. */
  mainThread: number;
  /** Content script: JPEG encoding (off the main thread where the browser allows). */
  encode: number;
  /** Content script to analysis host and back, minus the host's own work. */
  transfer: number;
  /** Analysis host: decoding and resizing into the model's tensor. */
  preprocess: number;
  /** Analysis host: model inference. */
  inference: number;
  /** Analysis host: the AI-frame classifier, its preprocessing included. */
  classify: number;
  /** Analysis host: face detection and scoring of the face crops (0 or absent when it did not run). */
  faces?: number;
  /** Analysis host: the face detector alone (part of `faces`). */
  faceDetect?: number;
}

/**
 * The results contract: what the background keeps for each video of a tab in
 * `storage.session` under `tab:<tabId>` (see README), read by the popup,
 * the tests and any automation.
 */
export interface VideoReport {
  id: string;
  /** The video's `currentSrc`; for streams, the page's `blob:` URL. */
  src: string;
  frameId: number;
  pageUrl: string;
  verdict: ReportVerdict;
  /** Calibrated probability of AI, or null where no model gave one. */
  score: number | null;
  reasons: string[];
  signals: Signal[];
  framesAnalysed: number;
  /** The path that produced the latest frame, or null before any frame. */
  framePath: FramePath | null;
  /** A small JPEG data URL of an analysed frame, for the popup. */
  thumbnail: string | null;
  frames: FrameRecord[];
  /**
   * The frames read for visible watermarks on this viewing, oldest first, with the marks seen on each: the
   * frame-signal builder makes the watermark signals from them. Absent before the first reading.
   */
  watermarkFrames?: WatermarkFrame[];
  /** Milliseconds from the video's first `playing` (or first data) to its first verdict. */
  firstVerdictMs: number | null;
  width: number;
  height: number;
  /** The site adapter that recognised the video's post, with the platform's report link for it. */
  platform: { adapter: string; platform: string; reportUrl: string | null } | null;
  /** When the background first heard of the video (ms since epoch). */
  firstSeenAt: number;
  updatedAt: number;
  /**
   * Set when the media evidence was not gathered on this viewing but restored from the verdict cache, because a
   * frame rendered now matched a frame of the same moment judged earlier; absent otherwise.
   */
  fromCache?: CacheOrigin;
  /** Where the models ran for this video's latest frame (see lib/core/compute.ts); absent before one was analysed. */
  analysedOn?: ComputeDevice;
}

/** Where a restored judgement came from. */
export interface CacheOrigin {
  /** When the clip was judged (ms since epoch). */
  judgedAt: number;
  /** Media time (s) of the frame rendered now whose hash matched. */
  matchedAt: number;
  /** When the judgement was restored (ms since epoch). */
  restoredAt: number;
  /** Milliseconds from the video's first `playing` (or first data) to the restored verdict, as `firstVerdictMs`. */
  restoredMs: number;
}

/** The value stored under `tab:<tabId>`. */
export interface TabResults {
  url: string;
  videos: VideoReport[];
}

/** The `storage.session` key for a tab's results. */
export function tabResultsKey(tabId: number): `tab:${number}` {
  return `tab:${tabId}`;
}

/** One sampled frame's small JPEG, kept for the detail view and for reports. */
export interface StoredFrameImage {
  mediaTime: number;
  /** JPEG data URL, at most 256 px on its longer side. */
  jpeg: string;
}

/** The `storage.session` key of a video's frame images. */
export function frameImagesKey(tabId: number, videoId: string): string {
  return `frames:${tabId}:${videoId}`;
}
