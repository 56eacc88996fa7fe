import { describe, expect, it } from 'vitest';
import { compareShown, SHOWN_FRAMES_COMPARED, SHOWN_HASH_TOLERANCE, shownFrames } from '../../lib/core/frame-match';
import type { FrameRecord } from '../../lib/core/report';

const HASH = '9f3a5c7e1b2d4f60';
/** `hash` with its lowest `bits` bits flipped. */
const flip = (hash: string, bits: number) =>
  (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0');

function frame(mediaTime: number, over: Partial<FrameRecord> = {}): FrameRecord {
  return {
    mediaTime,
    framePath: 'canvas',
    blank: false,
    aiLogit: null,
    timings: { capture: 0, mainThread: 0, encode: 0, transfer: 0, preprocess: 0, inference: 0, classify: 0 },
    transferBytes: 0,
    analysedAt: 0,
    faces: null,
    hash: HASH,
    shown: true,
    ...over,
  };
}

describe('compareShown', () => {
  it('matches on two of three frames within the tolerance, each at its own media time', () => {
    const page = [frame(1), frame(2), frame(3)];
    const file = [
      { mediaTime: 1, hashes: [flip(HASH, SHOWN_HASH_TOLERANCE)] },
      { mediaTime: 2, hashes: [flip(HASH, 40)] },
      { mediaTime: 3, hashes: [HASH] },
    ];
    expect(compareShown(page, file)).toEqual({ state: 'matched', compared: 3, matched: 2, wanted: [] });
  });

  it('matches a moment when any frame decoded around it is within the tolerance', () => {
    const file = [1, 2].map((mediaTime) => ({ mediaTime, hashes: [flip(HASH, 30), flip(HASH, 3)] }));
    expect(compareShown([frame(1), frame(2)], file).state).toBe('matched');
  });

  it('says the file differs as soon as two of three cannot match, counting an undecodable time as a difference', () => {
    const page = [frame(1), frame(2), frame(3)];
    const file = [
      { mediaTime: 1, hashes: [flip(HASH, SHOWN_HASH_TOLERANCE + 1)] },
      { mediaTime: 2, hashes: [] },
    ];
    expect(compareShown(page, file)).toMatchObject({ state: 'differs', compared: 2, matched: 0, wanted: [] });
  });

  it('waits, naming the times still wanted, while neither can be said', () => {
    const page = [frame(1), frame(2)];
    expect(compareShown(page, [])).toEqual({
      state: 'unconfirmed',
      compared: 0,
      matched: 0,
      wanted: [
        { mediaTime: 1, hash: HASH },
        { mediaTime: 2, hash: HASH },
      ],
    });
    expect(compareShown(page, [{ mediaTime: 1, hashes: [HASH] }])).toMatchObject({
      state: 'unconfirmed',
      wanted: [{ mediaTime: 2, hash: HASH }],
    });
    // One match and one miss of three: the third decides.
    const three = [...page, frame(3)];
    const file = [
      { mediaTime: 1, hashes: [HASH] },
      { mediaTime: 2, hashes: [flip(HASH, 30)] },
    ];
    expect(compareShown(three, file)).toMatchObject({ state: 'unconfirmed', wanted: [{ mediaTime: 3, hash: HASH }] });
  });

  it('takes only frames the user saw, with picture, one per moment, a handful at most', () => {
    const page = [
      frame(0.5, { shown: false }),
      frame(0.6, { framePath: 'offscreen-fetch', shown: false }),
      frame(0.7, { blank: true, hash: null }),
      frame(1),
      frame(1.02),
      frame(2),
      frame(3),
      frame(4),
    ];
    expect(shownFrames(page).map((f) => f.mediaTime)).toEqual([1, 2, 3]);
    expect(shownFrames(page).length).toBe(SHOWN_FRAMES_COMPARED);
    // A single moment, however often sampled, can never confirm a file.
    const paused = [frame(1), frame(1), frame(1)];
    expect(compareShown(paused, [{ mediaTime: 1, hashes: [HASH] }]).state).toBe('unconfirmed');
  });
});
