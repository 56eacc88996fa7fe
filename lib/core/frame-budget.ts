/**
 * The standard frame budget, in one place: the page's sampling (lib/content/sampling-policy.ts), the background's
 * caps (lib/background/results-store.ts) and the frame budget setting's "standard" choice read these numbers.
 */

/** How many frames one tab may have analysed: a first burst, then a steady rate. */
export interface TabFrameAllowance {
  /** Frames a tab may use at once (a page full of videos gets judged without waiting). */
  burst: number;
  /** Frames per minute after that (a long feed keeps being judged, no faster than this). */
  perMinute: number;
}

/** The standard budget's numbers. */
export interface StandardFrameBudget {
  /** Frames the page takes of each video over its playback; a judgement is settled then. */
  readonly framesPerVideo: number;
  /**
   * Frames of a first verdict (the classifier's `minFramesForVerdict`): the page samples closer until it has them,
   * and stops there when the verdict reads "AI-generated".
   */
  readonly firstVerdictFrames: number;
  /** Frames the background analyses of one video at most (room for blank frames and retries). */
  readonly maxFramesPerVideo: number;
  /** Frame records kept per video, whose logits the classifier signal is computed from. */
  readonly frameLogLimit: number;
  /**
   * Frames one tab may have analysed: 150 at once (a page full of videos), then 64 a minute, so a fast feed cannot
   * keep the host busy while a long scroll keeps being judged.
   */
  readonly tab: Readonly<TabFrameAllowance>;
}

/** The budget the extension uses unless the user chose another (and the one `scan` mirrors). */
export const STANDARD_FRAME_BUDGET: StandardFrameBudget = {
  framesPerVideo: 8,
  firstVerdictFrames: 4,
  maxFramesPerVideo: 12,
  frameLogLimit: 12,
  tab: { burst: 150, perMinute: 64 },
};
