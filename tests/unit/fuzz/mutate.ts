/**
 * Seeded mutation of ISO BMFF files for the fuzz test: a small PRNG, a
 * tolerant box scan of the seed files (so that mutations can aim at box
 * headers, where the parsers make their decisions), and mutators that
 * produce what a hostile page or server could serve: flipped and random
 * bytes, lying 32- and 64-bit sizes, truncations, deletions, duplicated
 * runs, spliced files, renamed boxes, zero-size boxes, deep nesting and
 * runs of tiny boxes.
 */

/** A seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
}

/** A per-case seed from the run's seed, the module's name and the case's number, so one case replays alone. */
export function caseSeed(runSeed: number, module: string, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${module}:${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** Where a box sits in a file: its header's offset, the header's and the whole box's size, its type. */
export interface BoxSite {
  at: number;
  header: number;
  size: number;
  type: string;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'dinf', 'edts', 'udta', 'mvex', 'moof', 'traf']);

/** Most boxes one scan lists: enough to aim at, and a box bomb's tens of thousands are not walked for each case. */
const MAX_SITES = 2048;

/** The boxes of a well-formed seed file, nested ones included (a tolerant scan: it stops at anything odd). */
export function scanBoxes(bytes: Uint8Array, from = 0, to = bytes.length, depth = 0, out: BoxSite[] = []): BoxSite[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = from;
  while (at + 8 <= to && out.length < MAX_SITES) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    out.push({ at, header, size, type });
    if (CONTAINERS.has(type) && depth < 8) scanBoxes(bytes, at + header, at + size, depth + 1, out);
    at += size;
  }
  return out;
}

/** Sizes a hostile file would lie with. */
const SIZES = [0, 1, 2, 7, 8, 9, 15, 16, 17, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff];
/** Types that steer the parsers: containers they descend into, hollow ones they skip, the manifest's own. */
const TYPES = [
  'moov',
  'moof',
  'mdat',
  'meta',
  'uuid',
  'ftyp',
  'free',
  'trak',
  'traf',
  'skip',
  'wide',
  'mfra',
  '\0\0\0\0',
];
/** The C2PA manifest box's UUID (see bmff-layout.ts), so mutated manifests keep being looked at. */
const C2PA_UUID = [0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81];

function u32be(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function box(type: string, payload: Uint8Array | number[] = []): number[] {
  return [...u32be(8 + payload.length), ...Array.from(type, (c) => c.charCodeAt(0) & 0xff), ...payload];
}

/** `inner` wrapped in one container box per type of `types`, the last one outermost, built in one buffer. */
function nest(types: string[], inner: number[]): Uint8Array {
  const out = new Uint8Array(types.length * 8 + inner.length);
  const view = new DataView(out.buffer);
  out.set(inner, types.length * 8);
  types.forEach((type, k) => {
    const at = (types.length - 1 - k) * 8;
    view.setUint32(at, out.length - at);
    for (let c = 0; c < 4; c++) out[at + 4 + c] = type.charCodeAt(c);
  });
  return out;
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** 25,000 empty `free` boxes, made once: the box bombs are cut from it. */
const FREE_BOXES = (() => {
  const out = new Uint8Array(25_000 * 8);
  for (let k = 0; k < 25_000; k++) out.set([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65], k * 8);
  return out;
})();

/** One mutation: its name (for the report of a failing case) and what it does. */
interface Mutator {
  name: string;
  /** Picked an eighth as often as the others: its inputs are large and slow to walk, and a few suffice. */
  rare?: boolean;
  apply(bytes: Uint8Array, rng: Rng, others: readonly Uint8Array[]): Uint8Array;
}

/** A box site of the current bytes (scanned afresh: earlier mutations move boxes), or null. */
function someBox(bytes: Uint8Array, rng: Rng): BoxSite | null {
  const sites = scanBoxes(bytes);
  return sites.length > 0 ? rng.pick(sites) : null;
}

const MUTATORS: Mutator[] = [
  {
    name: 'flip-bits',
    apply(bytes, rng) {
      const out = bytes.slice();
      for (let n = 1 + rng.below(8); n > 0 && out.length > 0; n--) out[rng.below(out.length)]! ^= 1 << rng.below(8);
      return out;
    },
  },
  {
    name: 'random-bytes',
    apply(bytes, rng) {
      const out = bytes.slice();
      const at = rng.below(out.length);
      for (let k = at; k < Math.min(out.length, at + 1 + rng.below(32)); k++) out[k] = rng.below(256);
      return out;
    },
  },
  {
    name: 'lie-size32',
    apply(bytes, rng) {
      const site = someBox(bytes, rng);
      if (!site) return bytes;
      const out = bytes.slice();
      const size = rng.chance(0.5) ? rng.pick(SIZES) : (site.size + rng.below(64) - 32) >>> 0;
      new DataView(out.buffer).setUint32(site.at, size);
      return out;
    },
  },
  {
    name: 'lie-size64',
    apply(bytes, rng) {
      // Rewrites a box's header as a 64-bit one (size 1 + largesize) with a lying or huge size.
      const site = someBox(bytes, rng);
      if (!site || site.header !== 8) return bytes;
      const large = rng.pick([0n, 8n, 15n, 16n, BigInt(site.size + 8), 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]);
      const header = new Uint8Array(16);
      const view = new DataView(header.buffer);
      view.setUint32(0, 1);
      header.set(bytes.subarray(site.at + 4, site.at + 8), 4);
      view.setBigUint64(8, large);
      return splice(bytes, site.at, 8, header);
    },
  },
  {
    name: 'truncate',
    apply(bytes, rng) {
      // Often just past a header or inside one, where a truncated read is decided.
      const site = rng.chance(0.6) ? someBox(bytes, rng) : null;
      const end = site ? site.at + rng.below(site.header + 4) : rng.below(bytes.length + 1);
      return bytes.slice(0, Math.min(end, bytes.length));
    },
  },
  {
    name: 'delete-run',
    apply(bytes, rng) {
      const at = rng.below(bytes.length);
      return splice(bytes, at, Math.min(bytes.length - at, 1 + rng.below(64)), []);
    },
  },
  {
    name: 'duplicate-run',
    apply(bytes, rng) {
      // A box repeated in place (or any run of bytes), as a player re-sending an init segment would.
      const site = rng.chance(0.7) ? someBox(bytes, rng) : null;
      const at = site ? site.at : rng.below(bytes.length);
      const length = site ? site.size : 1 + rng.below(256);
      const run = bytes.slice(at, Math.min(bytes.length, at + length));
      const times = 1 + rng.below(4);
      let out = bytes;
      for (let k = 0; k < times; k++) out = splice(out, at, 0, run);
      return out;
    },
  },
  {
    name: 'splice-files',
    apply(bytes, rng, others) {
      const other = rng.pick(others);
      const cut = rng.below(bytes.length + 1);
      const from = rng.below(other.length + 1);
      const out = new Uint8Array(cut + other.length - from);
      out.set(bytes.subarray(0, cut), 0);
      out.set(other.subarray(from), cut);
      return out;
    },
  },
  {
    name: 'retype',
    apply(bytes, rng) {
      const site = someBox(bytes, rng);
      if (!site) return bytes;
      const out = bytes.slice();
      const type = rng.pick(TYPES);
      for (let k = 0; k < 4; k++) out[site.at + 4 + k] = type.charCodeAt(k);
      if (type === 'uuid' && site.size >= 24) out.set(C2PA_UUID, site.at + 8);
      return out;
    },
  },
  {
    name: 'zero-size',
    apply(bytes, rng) {
      // A size-0 box runs to the end of the file (or of its parent), wherever it is.
      const site = someBox(bytes, rng);
      if (!site) return bytes;
      const out = bytes.slice();
      new DataView(out.buffer).setUint32(site.at, 0);
      return out;
    },
  },
  {
    name: 'deep-nesting',
    apply(bytes, rng) {
      // moov > trak > mdia > … hundreds deep, inserted at a box boundary.
      const depth = 16 + rng.below(400);
      const types = Array.from({ length: depth }, () => rng.pick(['moov', 'trak', 'meta', 'udta', 'moof', 'traf']));
      const nested = nest(types, box(rng.pick(['free', 'uuid', 'meta']), [0, 0, 0, 0]));
      const site = someBox(bytes, rng);
      return splice(bytes, site ? site.at : 0, 0, nested);
    },
  },
  {
    name: 'tiny-box-run',
    rare: true,
    apply(bytes, rng) {
      // A run of 8-byte boxes, top-level or inside a container: a box bomb near the cap.
      const count = rng.pick([100, 1000, 19_990, 20_001, 25_000]);
      const run = FREE_BOXES.subarray(0, count * 8);
      const wrapped = rng.chance(0.5) ? new Uint8Array(box('moov', run)) : run;
      const site = someBox(bytes, rng);
      return splice(bytes, site ? site.at + (rng.chance(0.5) ? 0 : site.size) : 0, 0, wrapped);
    },
  },
];

/** A mutated copy of `seed` (1 to 4 mutations) and the names of the mutations applied, in order. */
export function mutate(
  seed: Uint8Array,
  rng: Rng,
  others: readonly Uint8Array[],
  avoid: ReadonlySet<string> = new Set(),
): { bytes: Uint8Array; applied: string[] } {
  let bytes = seed;
  const applied: string[] = [];
  const usable = MUTATORS.filter((m) => !avoid.has(m.name));
  for (let n = 1 + rng.below(4); n > 0; n--) {
    let m = rng.pick(usable);
    while (m.rare && !rng.chance(1 / 8)) m = rng.pick(usable);
    bytes = m.apply(bytes, rng, others);
    applied.push(m.name);
  }
  return { bytes, applied };
}
