import { videoContentRect, visiblePart } from '../core/geometry';

/** Gap between the video's corner and the badge, in CSS pixels. */
export const BADGE_INSET = 8;
/** Below this video width the badge shows only its glyph. */
export const COMPACT_BELOW = 220;

/** What the layout says about one video, read before any badge is moved. */
export interface VideoLayout {
  /** The video's border box in the viewport (getBoundingClientRect). */
  rect: { left: number; top: number; width: number; height: number; right: number; bottom: number };
  viewport: { width: number; height: number };
  videoWidth: number;
  videoHeight: number;
  objectFit: string;
}

/** Where a badge goes, or that it is hidden. */
export type BadgePlacement = { visible: false } | { visible: true; x: number; y: number; compact: boolean };

/** Whether any part of the rectangle is inside the viewport. */
export function onScreen({ rect, viewport }: Pick<VideoLayout, 'rect' | 'viewport'>): boolean {
  return visiblePart({ x: rect.left, y: rect.top, width: rect.width, height: rect.height }, viewport) !== null;
}

/**
 * The badge's position for a video on screen: anchored to the picture, not
 * the letterbox bars, and kept inside the visible part of a video that is
 * partly scrolled away. Whole pixels, so an unchanged layout gives an equal
 * placement and the badge is not written again.
 */
export function badgePlacement(layout: VideoLayout): BadgePlacement {
  if (!onScreen(layout)) return { visible: false };
  const { rect } = layout;
  const picture = videoContentRect(
    { x: rect.left, y: rect.top, width: rect.width, height: rect.height },
    layout.videoWidth,
    layout.videoHeight,
    layout.objectFit,
  );
  return {
    visible: true,
    x: Math.round(Math.max(picture.x, 0) + BADGE_INSET),
    y: Math.round(Math.max(picture.y, 0) + BADGE_INSET),
    compact: rect.width < COMPACT_BELOW,
  };
}

/** Whether two placements put the badge in the same state. */
export function samePlacement(a: BadgePlacement | null, b: BadgePlacement): boolean {
  if (!a || a.visible !== b.visible) return false;
  if (!a.visible || !b.visible) return true;
  return a.x === b.x && a.y === b.y && a.compact === b.compact;
}

/**
 * Runs every read before any write: measuring all items first costs one
 * layout, where measuring and moving them in turn would force a layout for
 * each (the write invalidates what the next read needs).
 */
export function readThenWrite<T, M>(
  items: Iterable<T>,
  read: (item: T) => M,
  write: (item: T, measured: M) => void,
): void {
  const measured: Array<[T, M]> = [];
  for (const item of items) measured.push([item, read(item)]);
  for (const [item, m] of measured) write(item, m);
}
