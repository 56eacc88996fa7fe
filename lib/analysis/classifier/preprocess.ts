/**
 * The classifier's input, exactly as `public/models/classifier.json`
 * describes it (and `models/classifier/common.py` trains it): from the
 * sampled frame (long side ≤ 256, as the page sends it), crop 5% from each
 * side, trim dark letterbox rows and columns, resize so the short side is the
 * model's size (bilinear with antialiasing, as Pillow does), centre-crop a
 * square, and lay it out as RGB float NCHW in 0..1.
 */

/** Share of each side cropped away (burnt-in borders, station logos). */
const BORDER = 0.05;
/** Rows or columns darker than this mean luma (0..255) are letterbox. */
const LETTERBOX_LUMA = 24;
/** At most this share of each side is trimmed as letterbox. */
const LETTERBOX_MAX = 0.25;

interface Rgb {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function toRgb(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
): Rgb {
  const data = new Uint8ClampedArray(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((y + y0) * width + (x + x0)) * 4;
      const d = (y * w + x) * 3;
      data[d] = rgba[s]!;
      data[d + 1] = rgba[s + 1]!;
      data[d + 2] = rgba[s + 2]!;
    }
  }
  return { data, width: w, height: h };
}

/** Border crop, then letterbox trim (row and column luma means taken over the border-cropped frame). */
export function cropBordersAndLetterbox(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Rgb {
  const bh = Math.floor(height * BORDER);
  const bw = Math.floor(width * BORDER);
  const cropped = toRgb(rgba, width, height, bw, bh, width - 2 * bw, height - 2 * bh);
  const { data, width: w, height: h } = cropped;
  const rows = new Float64Array(h);
  const cols = new Float64Array(w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const luma = data[i]! * 0.299 + data[i + 1]! * 0.587 + data[i + 2]! * 0.114;
      rows[y] = rows[y]! + luma / w;
      cols[x] = cols[x]! + luma / h;
    }
  }
  const trim = (v: Float64Array, n: number): [number, number] => {
    const limit = Math.floor(n * LETTERBOX_MAX);
    let start = 0;
    while (start < limit && v[start]! < LETTERBOX_LUMA) start++;
    let end = 0;
    while (end < limit && v[n - 1 - end]! < LETTERBOX_LUMA) end++;
    return [start, n - end];
  };
  const [r0, r1] = trim(rows, h);
  const [c0, c1] = trim(cols, w);
  const out = new Uint8ClampedArray((r1 - r0) * (c1 - c0) * 3);
  for (let y = r0; y < r1; y++) {
    out.set(data.subarray((y * w + c0) * 3, (y * w + c1) * 3), (y - r0) * (c1 - c0) * 3);
  }
  return { data: out, width: c1 - c0, height: r1 - r0 };
}

/** Pillow-style bilinear resampling along one axis (triangle filter widened when shrinking), rounded to 8 bits. */
function resampleAxis(src: Rgb, outSize: number, horizontal: boolean): Rgb {
  const inSize = horizontal ? src.width : src.height;
  const other = horizontal ? src.height : src.width;
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const out = new Uint8ClampedArray(outSize * other * 3);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const min = Math.max(Math.trunc(center - support + 0.5), 0);
    const max = Math.min(Math.trunc(center + support + 0.5), inSize);
    const weights: number[] = [];
    let total = 0;
    for (let i = min; i < max; i++) {
      const t = Math.abs((i - center + 0.5) / filterScale);
      const w = t < 1 ? 1 - t : 0;
      weights.push(w);
      total += w;
    }
    for (let k = 0; k < other; k++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let i = min; i < max; i++) {
        const w = weights[i - min]! / total;
        const idx = horizontal ? (k * src.width + i) * 3 : (i * src.width + k) * 3;
        r += src.data[idx]! * w;
        g += src.data[idx + 1]! * w;
        b += src.data[idx + 2]! * w;
      }
      const d = horizontal ? (k * outSize + o) * 3 : (o * src.width + k) * 3;
      out[d] = Math.round(r);
      out[d + 1] = Math.round(g);
      out[d + 2] = Math.round(b);
    }
  }
  return horizontal
    ? { data: out, width: outSize, height: src.height }
    : { data: out, width: src.width, height: outSize };
}

/** The model input for one frame: Float32 NCHW [1, 3, size, size], RGB in 0..1. */
export function classifierInput(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  size: number,
): Float32Array {
  const trimmed = cropBordersAndLetterbox(rgba, width, height);
  const s = size / Math.min(trimmed.width, trimmed.height);
  const nw = Math.max(size, Math.round(trimmed.width * s));
  const nh = Math.max(size, Math.round(trimmed.height * s));
  const resized = resampleAxis(resampleAxis(trimmed, nw, true), nh, false);
  const x0 = Math.floor((nw - size) / 2);
  const y0 = Math.floor((nh - size) / 2);
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s3 = ((y + y0) * nw + (x + x0)) * 3;
      const p = y * size + x;
      out[p] = resized.data[s3]! / 255;
      out[plane + p] = resized.data[s3 + 1]! / 255;
      out[2 * plane + p] = resized.data[s3 + 2]! / 255;
    }
  }
  return out;
}
