import { describe, expect, it } from 'vitest';
import {
  isAnalysableSize,
  MIN_VIDEO_SIZE,
  sampleGapSeconds,
  SAMPLING,
  shouldSample,
  type SamplingState,
} from '../../lib/content/sampling-policy';

/** A visible, playing 80 s video with data and nothing taken yet. */
function state(overrides: Partial<SamplingState> = {}): SamplingState {
  return {
    framesTaken: 0,
    blankFrames: 0,
    lastMediaTime: null,
    lastWallTime: null,
    mediaTime: 0,
    duration: 80,
    now: 100_000,
    inFlight: false,
    visible: true,
    seenOnScreen: true,
    readableOffScreen: false,
    pageVisible: true,
    hasData: true,
    ...overrides,
  };
}

/** After the frames of the first verdict, the last at media time 5 s, taken long ago on the wall clock. */
function afterOneFrame(overrides: Partial<SamplingState> = {}): SamplingState {
  return state({ framesTaken: SAMPLING.firstVerdictFrames, lastMediaTime: 5, lastWallTime: 0, ...overrides });
}

/** After one usable frame at media time 5 s, before the first verdict. */
function afterFirstFrame(overrides: Partial<SamplingState> = {}): SamplingState {
  return state({ framesTaken: 1, lastMediaTime: 5, lastWallTime: 0, ...overrides });
}

describe('shouldSample', () => {
  it('takes the first frame at once when the video is visible and has data', () => {
    expect(shouldSample(state())).toBe(true);
  });

  it.each([
    ['the video is not visible and was never seen', { visible: false, seenOnScreen: false }],
    ['the page is hidden', { pageVisible: false }],
    ['the video has no data', { hasData: false }],
    ['a frame is in flight', { inFlight: true }],
  ] as const)('takes nothing while %s', (_, overrides) => {
    expect(shouldSample(state(overrides))).toBe(false);
  });

  it('stops once the per-video budget is reached', () => {
    const gapSatisfied = { lastMediaTime: 0, mediaTime: 70, lastWallTime: 0 };
    expect(shouldSample(state({ framesTaken: SAMPLING.framesPerVideo - 1, ...gapSatisfied }))).toBe(true);
    expect(shouldSample(state({ framesTaken: SAMPLING.framesPerVideo, ...gapSatisfied }))).toBe(false);
  });

  it('spreads frames by media time using the gap for the duration', () => {
    // 80 s over 8 frames: one every 10 s of media time.
    expect(sampleGapSeconds(80)).toBe(10);
    expect(shouldSample(afterOneFrame({ mediaTime: 14.9 }))).toBe(false);
    expect(shouldSample(afterOneFrame({ mediaTime: 15 }))).toBe(true);
  });

  it('takes the frames of the first verdict at the short gap, then spreads the rest', () => {
    expect(shouldSample(afterFirstFrame({ mediaTime: 5 + SAMPLING.firstGapSeconds - 0.01 }))).toBe(false);
    expect(shouldSample(afterFirstFrame({ mediaTime: 5 + SAMPLING.firstGapSeconds }))).toBe(true);
    expect(shouldSample(afterOneFrame({ mediaTime: 5 + SAMPLING.firstGapSeconds }))).toBe(false);
  });

  it('follows a video that scrolled away to its first verdict, where its frames can be read off screen', () => {
    const offScreen = { visible: false, mediaTime: 7 };
    expect(shouldSample(afterFirstFrame({ ...offScreen, readableOffScreen: true }))).toBe(true);
    // A screenshot shows only what is on screen.
    expect(shouldSample(afterFirstFrame({ ...offScreen, readableOffScreen: false }))).toBe(false);
    // Seen on screen, but its first frame was turned away (the host was busy): still followed.
    expect(shouldSample(state({ visible: false, readableOffScreen: true }))).toBe(true);
    // Never seen on screen: nothing taken.
    expect(shouldSample(state({ visible: false, seenOnScreen: false, readableOffScreen: true }))).toBe(false);
    // The first verdict is in: the rest waits for the video to be on screen again.
    expect(shouldSample(afterOneFrame({ visible: false, readableOffScreen: true, mediaTime: 60 }))).toBe(false);
    // A hidden tab does no work at all.
    expect(shouldSample(afterFirstFrame({ ...offScreen, readableOffScreen: true, pageVisible: false }))).toBe(false);
  });

  it('does not sample a paused video again', () => {
    expect(shouldSample(afterOneFrame({ mediaTime: 5 }))).toBe(false);
  });

  it('counts a seek backwards as distance too', () => {
    expect(shouldSample(afterOneFrame({ lastMediaTime: 40, mediaTime: 29 }))).toBe(true);
    expect(shouldSample(afterOneFrame({ lastMediaTime: 40, mediaTime: 31 }))).toBe(false);
  });

  it('keeps a wall-clock floor between samples even when media time jumped far', () => {
    const jumped = { mediaTime: 60, lastWallTime: 10_000 };
    expect(shouldSample(afterOneFrame({ ...jumped, now: 10_000 + SAMPLING.minWallGapMs - 1 }))).toBe(false);
    expect(shouldSample(afterOneFrame({ ...jumped, now: 10_000 + SAMPLING.minWallGapMs }))).toBe(true);
  });

  it('uses the stream gap for a live stream', () => {
    expect(shouldSample(afterOneFrame({ duration: Infinity, mediaTime: 9.9 }))).toBe(false);
    expect(shouldSample(afterOneFrame({ duration: Infinity, mediaTime: 10 }))).toBe(true);
  });

  describe('after blank frames only', () => {
    const blank = { framesTaken: 1, blankFrames: 1, lastMediaTime: 5, lastWallTime: 10_000 };

    it('looks again sooner than the usual media gap once media time moved', () => {
      expect(shouldSample(state({ ...blank, mediaTime: 5.2, now: 10_000 + SAMPLING.blankRetryMs }))).toBe(true);
    });

    it('still waits for the blank-retry delay on the wall clock', () => {
      expect(shouldSample(state({ ...blank, mediaTime: 5.2, now: 10_000 + SAMPLING.blankRetryMs - 1 }))).toBe(false);
    });

    it('does not look again while media time stands still', () => {
      expect(shouldSample(state({ ...blank, mediaTime: 5, now: 60_000 }))).toBe(false);
    });

    it('returns to the normal gap once a frame with picture arrived', () => {
      const mixed = { ...blank, framesTaken: 2, blankFrames: 1, now: 60_000 };
      expect(shouldSample(state({ ...mixed, mediaTime: 5.2 }))).toBe(false);
      expect(shouldSample(state({ ...mixed, mediaTime: 15 }))).toBe(true);
    });
  });
});

describe('sampleGapSeconds', () => {
  it.each([Infinity, NaN, 0, -1])('uses the stream gap for a duration of %s', (duration) => {
    expect(sampleGapSeconds(duration)).toBe(SAMPLING.streamGapSeconds);
  });

  it('spreads the per-video frames over the duration', () => {
    expect(sampleGapSeconds(40)).toBe(40 / SAMPLING.framesPerVideo);
  });

  it('never goes below the minimum gap for short clips', () => {
    expect(sampleGapSeconds(4)).toBe(SAMPLING.minGapSeconds);
  });

  it('never goes above the maximum gap for long videos', () => {
    expect(sampleGapSeconds(3600)).toBe(SAMPLING.maxGapSeconds);
  });
});

describe('isAnalysableSize', () => {
  it('accepts exactly the minimum size and larger', () => {
    expect(isAnalysableSize(MIN_VIDEO_SIZE.width, MIN_VIDEO_SIZE.height)).toBe(true);
    expect(isAnalysableSize(96, 72)).toBe(true);
    expect(isAnalysableSize(1920, 1080)).toBe(true);
  });

  it('rejects anything just under the threshold', () => {
    expect(isAnalysableSize(95, 72)).toBe(false);
    expect(isAnalysableSize(96, 71)).toBe(false);
  });

  it('accepts portrait videos of the same size', () => {
    expect(isAnalysableSize(72, 96)).toBe(true);
    expect(isAnalysableSize(1080, 1920)).toBe(true);
    expect(isAnalysableSize(71, 96)).toBe(false);
  });

  it('rejects tiny elements such as trackers and icons', () => {
    expect(isAnalysableSize(1, 1)).toBe(false);
    expect(isAnalysableSize(0, 0)).toBe(false);
    expect(isAnalysableSize(300, 20)).toBe(false);
  });
});
