import { STANDARD_FRAME_BUDGET, type TabFrameAllowance } from '../core/frame-budget';
import type { FrameBudgetName } from './preferences';

/** How many frames one tab may have analysed: a first burst, then a steady rate. */
export type TabAllowance = TabFrameAllowance;

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
  standard: {
    framesPerVideo: STANDARD_FRAME_BUDGET.framesPerVideo,
    maxFramesPerVideo: STANDARD_FRAME_BUDGET.maxFramesPerVideo,
    tab: { ...STANDARD_FRAME_BUDGET.tab },
  },
  'battery-saver': { framesPerVideo: 4, maxFramesPerVideo: 6, tab: { burst: 40, perMinute: 20 } },
};

/**
 * The budget a page uses now: the user's choice, or battery saver while the device runs on battery (where the
 * browser tells: `navigator.getBattery`), since a feed on battery should cost as little as the setting allows.
 */
export function effectiveFrameBudget(choice: FrameBudgetName, onBattery: boolean): FrameBudget {
  return FRAME_BUDGETS[onBattery ? 'battery-saver' : choice];
}
