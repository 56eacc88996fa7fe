import { describe, expect, it } from 'vitest';
import {
  BADGE_INSET,
  badgePlacement,
  onScreen,
  readThenWrite,
  samePlacement,
  type VideoLayout,
} from '../../lib/content/badge-placement';

function layout(
  left: number,
  top: number,
  width: number,
  height: number,
  extra: Partial<VideoLayout> = {},
): VideoLayout {
  return {
    rect: { left, top, width, height, right: left + width, bottom: top + height },
    viewport: { width: 1280, height: 800 },
    videoWidth: 0,
    videoHeight: 0,
    objectFit: 'fill',
    ...extra,
  };
}

describe('badgePlacement', () => {
  it('puts the badge inside the top-left corner of a video on screen', () => {
    expect(badgePlacement(layout(100, 50, 480, 270))).toEqual({
      visible: true,
      x: 100 + BADGE_INSET,
      y: 50 + BADGE_INSET,
      compact: false,
    });
  });

  it('anchors to the picture, not the letterbox bars', () => {
    // A 4:3 picture in a 480×270 box with object-fit: contain is 360 wide, centred: 60 px bars each side.
    const placed = badgePlacement(layout(0, 0, 480, 270, { videoWidth: 640, videoHeight: 480, objectFit: 'contain' }));
    expect(placed).toEqual({ visible: true, x: 60 + BADGE_INSET, y: BADGE_INSET, compact: false });
  });

  it('keeps the badge on screen for a video partly scrolled away, in whole pixels', () => {
    expect(badgePlacement(layout(-20.4, -100.6, 480, 270))).toEqual({
      visible: true,
      x: BADGE_INSET,
      y: BADGE_INSET,
      compact: false,
    });
    expect(badgePlacement(layout(10.4, 20.6, 480, 270))).toMatchObject({ x: 18, y: 29 });
  });

  it('hides the badge of a video off screen or without size', () => {
    expect(badgePlacement(layout(0, 900, 480, 270))).toEqual({ visible: false });
    expect(badgePlacement(layout(0, -300, 480, 270))).toEqual({ visible: false });
    expect(badgePlacement(layout(1300, 0, 480, 270))).toEqual({ visible: false });
    expect(badgePlacement(layout(0, 0, 0, 270))).toEqual({ visible: false });
    expect(onScreen(layout(0, 799, 480, 270))).toBe(true);
  });

  it('is compact on narrow videos', () => {
    expect(badgePlacement(layout(0, 0, 200, 360))).toMatchObject({ visible: true, compact: true });
  });
});

describe('samePlacement', () => {
  it('tells an unchanged placement from a changed one', () => {
    const a = badgePlacement(layout(100, 50, 480, 270));
    expect(samePlacement(a, badgePlacement(layout(100.2, 50.1, 480, 270)))).toBe(true);
    expect(samePlacement(a, badgePlacement(layout(100, 60, 480, 270)))).toBe(false);
    expect(samePlacement(a, { visible: false })).toBe(false);
    expect(samePlacement({ visible: false }, { visible: false })).toBe(true);
    expect(samePlacement(null, { visible: false })).toBe(false);
  });
});

describe('readThenWrite', () => {
  it('reads every item before writing any', () => {
    const log: string[] = [];
    readThenWrite(
      ['a', 'b', 'c'],
      (item) => {
        log.push(`read ${item}`);
        return item.toUpperCase();
      },
      (item, measured) => log.push(`write ${item}=${measured}`),
    );
    expect(log).toEqual(['read a', 'read b', 'read c', 'write a=A', 'write b=B', 'write c=C']);
  });
});
