import type { FrameBudgetName } from './preferences';

/** How many frames one choice of the frame budget allows. */
export interface FrameBudget {
  /** Frames the page takes of each video, spread over its playback. */
  framesPerVideo: number;
  /** Frames the background analyses of one video at most (room for blank frames and retries). */
  maxFramesPerVideo: number;
  /** Frames analysed in one tab in any minute, so a fast feed cannot keep the device busy. */
  maxFramesPerTabPerMinute: number;
}

/**
 * The budgets behind the "frame budget" setting. Standard is what the
 * extension always did; battery saver takes half the frames per video (still
 * the four the classifier needs before it speaks) and far fewer per minute in
 * a tab, so a long feed costs a fraction of the work.
 */
export const FRAME_BUDGETS: Record<FrameBudgetName, FrameBudget> = {
  standard: { framesPerVideo: 8, maxFramesPerVideo: 12, maxFramesPerTabPerMinute: 64 },
  'battery-saver': { framesPerVideo: 4, maxFramesPerVideo: 6, maxFramesPerTabPerMinute: 20 },
};
