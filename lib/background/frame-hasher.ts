import { isBlankFrame, referenceFrameStats } from '../analysis/frame-quality';
import { FRAME_STATS_INPUT_SIDE } from '../analysis/frame-stats-model';
import { differenceHash } from '../core/frame-hash';

/**
 * The difference hash of a page's small frame JPEG (a data URL), computed in the background before the frame goes
 * to the analysis host, so that a clip the verdict cache remembers is recognised without waiting for the models.
 * Drawn at the size the host draws it for its statistics, so both give the same hash for the same frame. Null for
 * a blank frame (a flat or black picture looks like every other one) and for an image that cannot be decoded.
 */
export async function hashFrameJpeg(dataUrl: string): Promise<string | null> {
  const comma = dataUrl.indexOf(',');
  if (!/^data:image\/(jpeg|png|webp);base64,/i.test(dataUrl.slice(0, comma + 1))) return null;
  let bitmap: ImageBitmap;
  try {
    const bytes = Uint8Array.from(atob(dataUrl.slice(comma + 1)), (c) => c.charCodeAt(0));
    bitmap = await createImageBitmap(new Blob([bytes]));
  } catch {
    return null;
  }
  try {
    const side = FRAME_STATS_INPUT_SIDE;
    const ctx = new OffscreenCanvas(side, side).getContext('2d', { willReadFrequently: true });
    if (!ctx || bitmap.width === 0 || bitmap.height === 0) return null;
    ctx.drawImage(bitmap, 0, 0, side, side);
    const pixels = ctx.getImageData(0, 0, side, side).data;
    if (isBlankFrame(referenceFrameStats(pixels, side, side))) return null;
    return differenceHash(pixels, side, side);
  } finally {
    bitmap.close();
  }
}
