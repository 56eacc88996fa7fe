import { STANDARD_FRAME_BUDGET } from '../core/frame-budget';
import { PAGE_FRAME_SIDE } from '../core/frame-hash';

/** How many frames to take of each video, and how to spread them. */
export const SAMPLING = {
  /** Frames per video over its playback (the background also caps per video and per tab). */
  framesPerVideo: STANDARD_FRAME_BUDGET.framesPerVideo,
  /** Longer side of the frame sent for analysis; the page downscales before transfer. */
  maxFrameSide: PAGE_FRAME_SIDE,
  /** JPEG quality of the transferred frame. */
  jpegQuality: 0.85,
  /**
   * Frames the classifier needs before it gives a score (`minFramesForVerdict` in public/models/classifier.json).
   * Until a video has this many, its samples come closer together ({@link SAMPLING.firstGapSeconds}), and a video
   * that was on screen with a picture is followed to this count after it scrolls away (where its frames can be
   * read off screen), so a feed scrolled past still gets a verdict for every video the reader saw.
   */
  firstVerdictFrames: STANDARD_FRAME_BUDGET.firstVerdictFrames,
  /**
   * Media seconds between the samples before the first verdict. At 0.7 s instead of 1 s the fourth frame comes
   * 0.9 s sooner; on the shared clips (4 frames from 0.1 s, Node) the classifier's scores moved by 0.012 at the median
   * and no real clip came near a threshold, and every generator mark was first seen on the same frame as at 1 s
   * (BENCHMARKS.md, "Feed benchmark").
   */
  firstGapSeconds: 0.7,
  /** Media seconds between samples never go below this (after the first verdict)… */
  minGapSeconds: 1.5,
  /** …nor above this, for long videos. */
  maxGapSeconds: 30,
  /** Gap for live streams and videos of unknown length. */
  streamGapSeconds: 5,
  /** Wall-clock floor between two samples of one video (below the first verdict's gap at normal speed). */
  minWallGapMs: 650,
  /** A blank frame (fade-in, loading screen) is followed by another look this soon. */
  blankRetryMs: 700,
  /** A visible video with no data after this long is reported as not loading. */
  loadTimeoutMs: 8000,
} as const;

let framesPerVideo: number = SAMPLING.framesPerVideo;

/** Sets the frames taken per video on this page from now on (the frame budget setting). */
export function setFramesPerVideo(frames: number): void {
  framesPerVideo = Math.max(1, Math.round(frames));
}

/** What the policy needs to know about a video at one moment. */
export interface SamplingState {
  framesTaken: number;
  /** Frames that came back blank, counted within `framesTaken`. */
  blankFrames: number;
  lastMediaTime: number | null;
  lastWallTime: number | null;
  mediaTime: number;
  duration: number;
  now: number;
  inFlight: boolean;
  visible: boolean;
  /** Whether the video has been on screen with a picture (the reader saw it). */
  seenOnScreen: boolean;
  /** Whether this video's frames can be read while it is off screen (its own canvas or a fetched copy, not a screenshot). */
  readableOffScreen: boolean;
  pageVisible: boolean;
  hasData: boolean;
}

/** Media seconds between samples for a video of this duration. */
export function sampleGapSeconds(duration: number): number {
  if (!Number.isFinite(duration) || duration <= 0) return SAMPLING.streamGapSeconds;
  const spread = duration / framesPerVideo;
  return Math.min(SAMPLING.maxGapSeconds, Math.max(SAMPLING.minGapSeconds, spread));
}

/** Whether a video still lacks the frames of its first verdict. */
function beforeFirstVerdict(framesTaken: number): boolean {
  return framesTaken < Math.min(SAMPLING.firstVerdictFrames, framesPerVideo);
}

/**
 * Decides whether a frame should be taken now. The first frame goes as soon
 * as the video is visible with data; the next ones, up to the first verdict,
 * follow at a short media gap, even off screen where the frames can be read
 * there; later ones are spread over playback by media time and only while
 * visible, so a paused video is not sampled again and a seek does not flood
 * the host; after a blank frame the next look comes sooner.
 */
export function shouldSample(s: SamplingState): boolean {
  if (s.inFlight || !s.pageVisible || !s.hasData) return false;
  if (s.framesTaken >= framesPerVideo) return false;
  const followed = s.seenOnScreen && s.readableOffScreen && beforeFirstVerdict(s.framesTaken);
  if (!s.visible && !followed) return false;
  const allBlankSoFar = s.blankFrames === s.framesTaken;
  const wallGap = allBlankSoFar ? SAMPLING.blankRetryMs : SAMPLING.minWallGapMs;
  if (s.lastWallTime !== null && s.now - s.lastWallTime < wallGap) return false;
  if (s.lastMediaTime === null) return true;
  if (allBlankSoFar) return s.mediaTime !== s.lastMediaTime;
  const gap = beforeFirstVerdict(s.framesTaken)
    ? Math.min(SAMPLING.firstGapSeconds, sampleGapSeconds(s.duration))
    : sampleGapSeconds(s.duration);
  return Math.abs(s.mediaTime - s.lastMediaTime) >= gap;
}

/** Smallest rendered size that can be a real clip (smaller ones are icons, previews, trackers). */
export const MIN_VIDEO_SIZE = { width: 96, height: 72 } as const;

/** Whether a rendered video is big enough to be worth analysing. */
export function isAnalysableSize(width: number, height: number): boolean {
  const [long, short] = width >= height ? [width, height] : [height, width];
  return long >= MIN_VIDEO_SIZE.width && short >= MIN_VIDEO_SIZE.height;
}
