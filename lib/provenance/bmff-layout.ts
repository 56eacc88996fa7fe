/**
 * Finds a video file's C2PA manifest store without downloading the file:
 * walks the ISO BMFF (MP4, MOV) top-level boxes with forward reads, keeps
 * every box except the bulky media ones (`mdat`, `free`, `skip`), and
 * rebuilds a small "sparse" copy of the file in which those are emptied.
 * The C2PA reader validates that copy's manifest, its claim signature and
 * its signer as it would the whole file; only the content hash cannot
 * match, which the caller reports as "hash not verified", never as altered.
 */

/** The UUID of the top-level `uuid` box that holds a C2PA manifest store (C2PA spec, BMFF embedding). */
export const C2PA_BOX_UUID = 'd8fec3d61b0e483c92975828877ec481';

/** Boxes whose payload is media or padding: the manifest never lives there and they can be huge. */
const HOLLOW_TYPES = new Set(['mdat', 'free', 'skip', 'wide']);

/** Most bytes of kept boxes (moov and the like) held for one file. */
export const MAX_METADATA_BYTES = 32 * 1024 * 1024;

/**
 * Most boxes, top-level and nested in the containers c2pa-rs walks, that a
 * file may have before it is given up on. Real files have hundreds (a long
 * fragmented stream some thousands); 16 MB of 8-byte boxes is two million,
 * which costs c2pa-rs over half a gigabyte of heap.
 */
export const MAX_BOXES = 20_000;

/** The file has more boxes than {@link MAX_BOXES}: a box bomb, not read further. */
export class TooManyBoxesError extends Error {
  constructor() {
    super(`the file has more than ${MAX_BOXES} ISO BMFF boxes, too many to read`);
    this.name = 'TooManyBoxesError';
  }
}

/** Boxes whose payload is a list of boxes (after a 4-byte version and flags for `meta`). */
const CONTAINER_TYPES = new Set([
  'moov',
  'trak',
  'mdia',
  'minf',
  'stbl',
  'dinf',
  'edts',
  'udta',
  'mvex',
  'moof',
  'traf',
  'mfra',
  'meta',
  'sinf',
  'schi',
]);

/**
 * Counts the boxes in `bytes` (a run of ISO BMFF boxes), descending into
 * container boxes, and throws {@link TooManyBoxesError} once `budget` is
 * spent. Returns the boxes counted. Stops quietly at a malformed box: the
 * count bounds work, the C2PA reader judges the layout.
 */
export function countBoxes(bytes: Uint8Array, budget = MAX_BOXES): number {
  let count = 0;
  const walk = (from: number, to: number, depth: number): void => {
    let at = from;
    while (at + 8 <= to) {
      if (++count > budget) throw new TooManyBoxesError();
      const view = new DataView(bytes.buffer, bytes.byteOffset + at, Math.min(16, to - at));
      let size = view.getUint32(0);
      let header = 8;
      if (size === 1) {
        if (at + 16 > to) return;
        size = Number(view.getBigUint64(8));
        header = 16;
      } else if (size === 0) size = to - at;
      if (size < header || at + size > to) return;
      const type = typeOf(bytes, at + 4);
      if (CONTAINER_TYPES.has(type) && depth < 16) {
        const skip = type === 'meta' ? 4 : 0;
        walk(at + header + skip, at + size, depth + 1);
      }
      at += size;
    }
  };
  walk(0, bytes.length, 0);
  return count;
}

/** Reads bytes at increasing offsets; `end` is exclusive. */
export interface ForwardReader {
  /** The file's size, when known. */
  readonly size: number | null;
  /** The bytes in [start, end), fewer only at the end of the file; start never goes backwards. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** What the walk found. */
export interface SparseLayout {
  /** The file with its media boxes emptied, for the C2PA reader; null when no C2PA box was found. */
  sparse: Uint8Array<ArrayBuffer> | null;
  /** Top-level box types in order, for diagnostics. */
  boxes: string[];
}

function typeOf(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function emptyBox(type: string): Uint8Array {
  const box = new Uint8Array(8);
  box[3] = 8;
  for (let i = 0; i < 4; i++) box[4 + i] = type.charCodeAt(i);
  return box;
}

/**
 * Walks the top-level boxes of an ISO BMFF file through `reader` and
 * returns its sparse copy. Throws a clear error on a malformed layout;
 * a reader whose budget runs out after the manifest was found ends the walk.
 */
export async function readSparseLayout(reader: ForwardReader): Promise<SparseLayout> {
  const parts: Uint8Array[] = [];
  const boxes: string[] = [];
  let offset = 0;
  let kept = 0;
  let found = false;
  let boxCount = 0;
  for (;;) {
    if (reader.size !== null && offset >= reader.size) break;
    if (++boxCount > MAX_BOXES) throw new TooManyBoxesError();
    let header: Uint8Array;
    try {
      header = await reader.read(offset, offset + 16);
    } catch (error) {
      // Out of read budget past the manifest: what follows is media (fragments), and the hash is not checked anyway.
      if (error instanceof BudgetSpent && found) break;
      throw error;
    }
    if (header.length === 0) break;
    if (header.length < 8) throw new Error(`a truncated box header at byte ${offset}`);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const type = typeOf(header, 4);
    let size = view.getUint32(0);
    let headerSize = 8;
    if (size === 1) {
      if (header.length < 16) throw new Error(`a truncated large box header at byte ${offset}`);
      size = Number(view.getBigUint64(8));
      headerSize = 16;
    } else if (size === 0) {
      // The last box runs to the end of the file.
      if (reader.size === null) {
        if (!HOLLOW_TYPES.has(type)) throw new Error(`a ${type} box of unknown length at byte ${offset}`);
        boxes.push(type);
        parts.push(emptyBox(type));
        break;
      }
      size = reader.size - offset;
    }
    if (size < headerSize || !/^[\x20-\x7e]{4}$/.test(type)) {
      throw new Error(`not an ISO BMFF file (bad box at byte ${offset})`);
    }
    if (reader.size !== null && offset + size > reader.size) {
      throw new Error(`not an ISO BMFF file (a ${type} box at byte ${offset} runs past the end)`);
    }
    boxes.push(type);
    if (HOLLOW_TYPES.has(type)) {
      parts.push(emptyBox(type));
    } else {
      kept += size;
      if (kept > MAX_METADATA_BYTES) throw new Error('the file’s metadata boxes are too large to read');
      const box = await reader.read(offset, offset + size);
      if (box.length < size) throw new Error(`the ${type} box at byte ${offset} is cut short`);
      // Boxes nested in this one count too: c2pa-rs walks them all.
      boxCount += countBoxes(box, MAX_BOXES - boxCount + 1) - 1;
      if (type === 'uuid' && box.length >= 24 && hex(box.subarray(headerSize, headerSize + 16)) === C2PA_BOX_UUID)
        found = true;
      parts.push(box);
    }
    offset += size;
  }
  if (!found) return { sparse: null, boxes };
  const total = parts.reduce((n, p) => n + p.length, 0);
  const sparse = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    sparse.set(p, at);
    at += p.length;
  }
  return { sparse, boxes };
}

/** The total size from a `Content-Range: bytes a-b/total` header, or null. */
export function totalFromContentRange(header: string | null): number | null {
  const m = /\/(\d+)\s*$/.exec(header ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * A forward reader over HTTP Range requests, fetching windows of at least
 * `chunk` bytes so runs of small boxes cost one request. `first` is the
 * answer to the opening request (bytes from 0).
 */
export class RangeReader implements ForwardReader {
  private window: { start: number; bytes: Uint8Array };
  /** Requests made after the first. */
  requests = 0;

  constructor(
    readonly size: number,
    first: Uint8Array,
    private readonly fetchRange: (start: number, end: number) => Promise<Uint8Array>,
    private readonly chunk = 64 * 1024,
    private readonly maxRequests = 64,
  ) {
    this.window = { start: 0, bytes: first };
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    end = Math.min(end, this.size);
    if (start >= end) return new Uint8Array(0);
    const w = this.window;
    if (start >= w.start && end <= w.start + w.bytes.length) {
      return w.bytes.subarray(start - w.start, end - w.start);
    }
    if (++this.requests > this.maxRequests) throw new BudgetSpent('requests');
    const fetchEnd = Math.min(this.size, Math.max(end, start + this.chunk));
    const bytes = await this.fetchRange(start, fetchEnd);
    if (bytes.length < end - start) throw new Error('the server sent fewer bytes than asked for');
    this.window = { start, bytes };
    return bytes.subarray(0, end - start);
  }
}

/**
 * A forward reader over a plain (200) response body, for servers that
 * ignore Range: skipped bytes are read and dropped, never held, and the
 * walk gives up once `budget` bytes have gone by.
 */
export class StreamReader implements ForwardReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  private position = 0;
  /** Whether the budget ran out before the file did. */
  exhausted = false;

  constructor(
    readonly size: number | null,
    body: ReadableStream<Uint8Array>,
    private readonly budget: number,
  ) {
    this.reader = body.getReader();
  }

  /** Bytes taken from the body so far. */
  consumed = 0;

  async read(start: number, end: number): Promise<Uint8Array> {
    if (start < this.position) throw new Error('a stream can only be read forwards');
    // Drop everything before `start` without keeping it.
    while (this.position + this.pending.length <= start) {
      this.position += this.pending.length;
      this.pending = new Uint8Array(0);
      const chunk = await this.next();
      if (!chunk) return new Uint8Array(0);
      this.pending = chunk;
    }
    this.pending = this.pending.subarray(start - this.position);
    this.position = start;
    // Bytes from `start` stay pending (a box is read again after its header), gathered in one copy.
    const want = end - start;
    if (this.pending.length < want) {
      const chunks = [this.pending];
      let have = this.pending.length;
      while (have < want) {
        const chunk = await this.next();
        if (!chunk) break;
        chunks.push(chunk);
        have += chunk.length;
      }
      this.pending = concat(chunks, have);
    }
    return this.pending.slice(0, want);
  }

  /** Stops reading the body. */
  cancel(): void {
    void this.reader.cancel().catch(() => undefined);
  }

  private async next(): Promise<Uint8Array | null> {
    if (this.consumed >= this.budget) {
      this.exhausted = true;
      throw new BudgetSpent('bytes');
    }
    const { value, done } = await this.reader.read();
    if (done || !value) return null;
    this.consumed += value.length;
    return value;
  }
}

/** Raised by a reader whose budget (bytes of a plain body, or Range requests) is spent. */
export class BudgetSpent extends Error {
  constructor(readonly spent: 'bytes' | 'requests') {
    super(`read budget spent (${spent})`);
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
