/**
 * Longer side of the frame a page's content script draws from its video and sends (JPEG): the analysis host hashes
 * it from there. A verified file's frame is drawn through the same size before it is hashed, so that the two go
 * through the same downscaling: fine, high-contrast detail aliases differently at each size (measured: a cellular
 * automaton clip hashed 13–25 bits apart from its own file's frames when the file went straight to the hash size).
 */
export const PAGE_FRAME_SIDE = 256;

/** Columns of the grey thumbnail a difference hash compares (one more than the bits per row). */
const HASH_COLUMNS = 9;
/** Rows of the grey thumbnail: 8 rows of 8 comparisons make 64 bits. */
const HASH_ROWS = 8;

/**
 * The 64-bit difference hash of an RGBA frame, as 16 hex digits: the frame is averaged down to a 9x8 grey
 * thumbnail and each bit says whether a cell is brighter than its right-hand neighbour. It survives what differs
 * between two renderings of the same frame (size, JPEG quality, the path the frame took) and changes when the
 * picture does; the verdict cache compares two such hashes before it reuses a judgement.
 */
export function differenceHash(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): string {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError('a frame hash needs a frame with pixels');
  }
  if (rgba.length < width * height * 4) throw new RangeError('the pixel buffer is smaller than the frame');
  const grey = new Float64Array(HASH_COLUMNS * HASH_ROWS);
  for (let row = 0; row < HASH_ROWS; row++) {
    // Each cell averages every pixel that falls in it (at least one), so a large frame is not merely sampled.
    const y0 = Math.floor((row * height) / HASH_ROWS);
    const y1 = Math.max(y0 + 1, Math.floor(((row + 1) * height) / HASH_ROWS));
    for (let col = 0; col < HASH_COLUMNS; col++) {
      const x0 = Math.floor((col * width) / HASH_COLUMNS);
      const x1 = Math.max(x0 + 1, Math.floor(((col + 1) * width) / HASH_COLUMNS));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * 4;
          sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
        }
      }
      grey[row * HASH_COLUMNS + col] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  let hex = '';
  for (let row = 0; row < HASH_ROWS; row++) {
    let byte = 0;
    for (let col = 0; col < HASH_COLUMNS - 1; col++) {
      const left = grey[row * HASH_COLUMNS + col]!;
      const right = grey[row * HASH_COLUMNS + col + 1]!;
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Bits that differ between two 64-bit hashes written as 16 hex digits; 64 when either is malformed. */
export function hexHammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/.test(a) || !/^[0-9a-f]{16}$/.test(b)) return 64;
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x > 0n) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
}
