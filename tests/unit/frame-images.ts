/** Synthetic RGBA test images, shared by the frame-quality and model parity tests. */

export interface RgbaImage {
  name: string;
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** mulberry32: a tiny seeded PRNG, so "random" images are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeImage(
  name: string,
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return { name, width, height, data };
}

export function noise(name: string, width: number, height: number, seed: number, max = 255): RgbaImage {
  const rand = seededRandom(seed);
  const level = () => Math.floor(rand() * (max + 1));
  return makeImage(name, width, height, () => [level(), level(), level()]);
}

export function flat(name: string, width: number, height: number, value: number): RgbaImage {
  return makeImage(name, width, height, () => [value, value, value]);
}
