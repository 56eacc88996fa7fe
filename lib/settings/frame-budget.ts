import type { FrameBudgetName } from './preferences';

/** How many frames one tab may have analysed: a first burst, then a steady rate. */
export interface TabAllowance {
  /** Frames a tab may use at once (a page full of videos gets judged without waiting). */
  burst: number;
  /** Frames per minute after that (a long feed keeps being judged, no faster than this). */
  perMinute: number;
}

/** How many frames one choice of the frame budget allows. */
export interface FrameBudget {
  /** Frames the page takes of each video, spread over its playback. */
  framesPerVideo: number;
  /** Frames the background analyses of one video at most (room for blank frames and retries). */
  maxFramesPerVideo: number;
  /** Frames one tab may have analysed: a first burst, then so many a minute, so a fast feed cannot keep the device busy. */
  tab: TabAllowance;
}

/**
 * The budgets behind the "frame budget" setting. Standard is what the
 * extension always did; battery saver takes half the frames per video (still
 * the four the classifier needs before it speaks) and far fewer per tab, so a
 * long feed costs a fraction of the work.
 */
export const FRAME_BUDGETS: Record<FrameBudgetName, FrameBudget> = {
  standard: { framesPerVideo: 8, maxFramesPerVideo: 12, tab: { burst: 150, perMinute: 64 } },
  'battery-saver': { framesPerVideo: 4, maxFramesPerVideo: 6, tab: { burst: 40, perMinute: 20 } },
};
