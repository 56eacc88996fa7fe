import type { Box } from './signals';

/**
 * Maps a rectangle in CSS pixels of the viewport onto a screenshot of that
 * viewport. The scale comes from the screenshot itself (image width over
 * viewport width), which already folds in devicePixelRatio and page zoom.
 * Returns null when nothing of the rectangle is inside the image.
 */
export function cropToImagePixels(
  rect: Box,
  viewport: { width: number; height: number },
  image: { width: number; height: number },
): Box | null {
  if (viewport.width <= 0 || viewport.height <= 0) return null;
  const sx = image.width / viewport.width;
  const sy = image.height / viewport.height;
  const left = Math.max(0, Math.floor(rect.x * sx));
  const top = Math.max(0, Math.floor(rect.y * sy));
  const right = Math.min(image.width, Math.ceil((rect.x + rect.width) * sx));
  const bottom = Math.min(image.height, Math.ceil((rect.y + rect.height) * sy));
  if (right - left < 2 || bottom - top < 2) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The part of `rect` inside the viewport, or null when none is. */
export function visiblePart(rect: Box, viewport: { width: number; height: number }): Box | null {
  const x = Math.max(0, rect.x);
  const y = Math.max(0, rect.y);
  const right = Math.min(viewport.width, rect.x + rect.width);
  const bottom = Math.min(viewport.height, rect.y + rect.height);
  if (right <= x || bottom <= y) return null;
  return { x, y, width: right - x, height: bottom - y };
}

/** Size of a frame scaled so its longer side is at most `maxSide`, never upscaled. */
export function downscaledSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Where the picture sits inside a `<video>` box: `object-fit: contain` (the
 * default) letterboxes it, `none` shows it at natural size, centred (and
 * clipped to the box), `scale-down` is the smaller of the two; `cover` and
 * `fill` use the whole box.
 */
export function videoContentRect(box: Box, videoWidth: number, videoHeight: number, objectFit: string): Box {
  const fits = ['contain', 'scale-down', 'none'];
  if (videoWidth <= 0 || videoHeight <= 0 || !fits.includes(objectFit)) return box;
  const scale = Math.min(box.width / videoWidth, box.height / videoHeight);
  const effective = objectFit === 'contain' ? scale : objectFit === 'none' ? 1 : Math.min(1, scale);
  const width = Math.min(box.width, videoWidth * effective);
  const height = Math.min(box.height, videoHeight * effective);
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}
