import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBoxWalk, walkBoxes } from '../../../lib/content/mse-observer';
import { NodeC2paReader } from '../../../lib/node/provenance';
import {
  BudgetSpent,
  countBoxes,
  type ForwardReader,
  MAX_BOXES,
  MAX_METADATA_BYTES,
  RangeReader,
  readSparseLayout,
  StreamReader,
  TooManyBoxesError,
} from '../../../lib/provenance/bmff-layout';
import { interpretManifestStore } from '../../../lib/provenance/interpret';
import type { TrustSet } from '../../../lib/provenance/trust';
import { caseSeed, mutate, Rng, scanBoxes } from './mutate';
import { Watchdog } from './watchdog';

/**
 * Fuzzes the parsers that read bytes a hostile page or server chooses: the
 * ISO BMFF walker (bmff-layout.ts), the MSE splitter that cuts appended
 * stream bytes into init and media segments (mse-observer.ts `walkBoxes`),
 * and the C2PA reading (c2pa-rs through its Node binding, then
 * interpret.ts). Each case mutates a seed file from `corpus/` (made by
 * `scripts/fuzz/make-corpus.mjs`) and checks that the module answers with
 * a result or one of its own, documented errors; never a TypeError or
 * RangeError, never an endless loop (see watchdog.ts), never unbounded work
 * or memory. Inputs in `corpus/regressions/` (named for the module they
 * broke: `walker-…`, `splitter-…`) run first, unmutated, every time.
 *
 * `FUZZ_SEED` (default fixed) and `FUZZ_CASES` (cases for each module; a
 * C2PA case costs a real manifest validation, a few milliseconds, so 10,000
 * of each stay within a minute or two) run it longer locally:
 * `FUZZ_SEED=7 FUZZ_CASES=200000`.
 * A failure names the module, seed and case; `FUZZ_ONLY=module:case` replays
 * that one.
 */

const RUN_SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2026) >>> 0;
const CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 10_000) | 0);
const C2PA_CASES = CASES;
const ONLY = process.env.FUZZ_ONLY;
/** Per case, far above what any case takes (microseconds to a few milliseconds): only a hang reaches it. */
const CASE_LIMIT_MS = 10_000;
/** Heap left over after a whole run, after garbage collection: a leak of a few kB per case would pass it. */
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024;

const CORPUS = join(__dirname, 'corpus');
const REGRESSIONS = join(CORPUS, 'regressions');

function loadCorpus(): { name: string; bytes: Uint8Array }[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.mp4'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(CORPUS, name))) }));
}

function loadRegressions(prefix: string): { name: string; bytes: Uint8Array }[] {
  if (!existsSync(REGRESSIONS)) return [];
  return readdirSync(REGRESSIONS)
    .filter((f) => f.startsWith(prefix))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(REGRESSIONS, name))) }));
}

const corpus = loadCorpus();
const seeds = corpus.map((c) => c.bytes);

/** One case to run: the input and how it was made (for the failure message). */
interface FuzzCase {
  id: string;
  bytes: Uint8Array;
  rng: Rng;
  applied: string[];
}

/** The regression seeds, then `count` mutated corpus files, each from its own seed. */
function* cases(module: string, count: number, regressionPrefix: string): Generator<FuzzCase> {
  // Each regression input runs unmutated, 16 times with its own fixed seeds (how it is appended or read varies).
  for (const r of ONLY ? [] : loadRegressions(regressionPrefix)) {
    for (let k = 0; k < 16; k++) {
      const rng = new Rng(caseSeed(0, `${module}:${r.name}`, k));
      yield { id: `${module} regression ${r.name} #${k}`, bytes: r.bytes, rng, applied: [] };
    }
  }
  for (let i = 0; i < count; i++) {
    if (ONLY && ONLY !== `${module}:${i}`) continue;
    const rng = new Rng(caseSeed(RUN_SEED, module, i));
    const seed = rng.pick(corpus);
    const { bytes, applied } = mutate(seed.bytes, rng, seeds);
    yield {
      id: `${module}:${i} (FUZZ_SEED=${RUN_SEED}, from ${seed.name}, ${applied.join(' + ')})`,
      bytes,
      rng,
      applied,
    };
  }
}

/** Counts what the cases did, so a run that stops exercising a path is seen in the numbers. */
class Tally {
  readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let watchdog: Watchdog;
beforeAll(() => {
  expect(corpus.length).toBeGreaterThanOrEqual(4);
  watchdog = new Watchdog(CASE_LIMIT_MS);
});
afterAll(async () => {
  await watchdog.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// The ISO BMFF walker

/** Raised by the test's readers when the walker breaks the forward-reading contract; a failure, never allowed. */
class ContractBroken extends Error {}

/** Wraps a reader: checks that reads never go backwards and never ask for more than a box may hold. */
function checked(inner: ForwardReader, stats: { reads: number; bytes: number }): ForwardReader {
  let last = 0;
  return {
    size: inner.size,
    read(start, end) {
      if (start < last) throw new ContractBroken(`read went backwards: ${start} after ${last}`);
      if (!(end >= start) || end - start > MAX_METADATA_BYTES + 16)
        throw new ContractBroken(`read of [${start}, ${end}) is out of bounds`);
      last = start;
      stats.reads++;
      return inner.read(start, end).then((bytes) => {
        stats.bytes += bytes.length;
        return bytes;
      });
    },
  };
}

/** An in-memory file; `knownSize` false reads as a body without Content-Length does. */
function arrayReader(bytes: Uint8Array, knownSize: boolean): ForwardReader {
  return {
    size: knownSize ? bytes.length : null,
    read: (start, end) => Promise.resolve(bytes.slice(start, Math.min(end, bytes.length))),
  };
}

/** The file as a body streamed in chunks of random sizes. */
function streamOf(bytes: Uint8Array, rng: Rng): ReadableStream<Uint8Array> {
  let at = 0;
  // Mostly large pieces, as a network delivers them; now and then pieces of a few bytes, which split box headers.
  // Those cost a promise each, so never for a large input (a box bomb): small inputs find the same.
  const sizes = bytes.length > 20_000 ? [4096, 65536] : [16, 1024, 65536, 65536];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = 1 + rng.below(rng.pick(sizes));
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

/** The walker's own errors, as its JSDoc and messages document them. */
const WALKER_ERRORS = [
  /^a truncated (large )?box header at byte \d+$/,
  /^a [\s\S]{4} box of unknown length at byte \d+$/,
  /^not an ISO BMFF file \((bad box at byte \d+|a [\s\S]{4} box at byte \d+ runs past the end)\)$/,
  /^the file’s metadata boxes are too large to read$/,
  /^the [\s\S]{4} box at byte \d+ is cut short$/,
  /^the server sent fewer bytes than asked for$/,
];

type WalkOutcome = { ok: true; sparse: Uint8Array | null; boxes: string[] } | { ok: false; error: Error };

function isWalkerError(error: unknown): error is Error {
  if (error instanceof TooManyBoxesError || error instanceof BudgetSpent) return true;
  return (
    error instanceof Error &&
    error.constructor === Error &&
    WALKER_ERRORS.some((pattern) => pattern.test(error.message))
  );
}

async function walk(reader: ForwardReader, stats: { reads: number; bytes: number }): Promise<WalkOutcome> {
  try {
    const layout = await readSparseLayout(checked(reader, stats));
    return { ok: true, sparse: layout.sparse, boxes: layout.boxes };
  } catch (error) {
    if (!isWalkerError(error)) throw error;
    return { ok: false, error };
  }
}

function sameOutcome(a: WalkOutcome, b: WalkOutcome): boolean {
  if (a.ok !== b.ok) return false;
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.error.message === b.error.message;
  if (a.boxes.join() !== b.boxes.join()) return false;
  if (a.sparse === null || b.sparse === null) return a.sparse === b.sparse;
  return Buffer.from(a.sparse).equals(Buffer.from(b.sparse));
}

describe('fuzz: the ISO BMFF walker (countBoxes, readSparseLayout)', () => {
  it(`survives ${CASES} mutated files with its own errors only, the same answer from every reader, bounded work`, async () => {
    const tally = new Tally();
    const heapBefore = heapAfterGc();
    let ran = 0;
    for (const c of cases('walker', CASES, 'walker-')) {
      watchdog.enter(c.id);
      try {
        // The box counter: a count (at most one box per 8 bytes, at most the cap) or the cap's own error.
        try {
          const count = countBoxes(c.bytes);
          expect(count).toBeLessThanOrEqual(Math.min(MAX_BOXES, Math.floor(c.bytes.length / 8)));
          tally.add('count ok');
        } catch (error) {
          if (!(error instanceof TooManyBoxesError)) throw error;
          tally.add('count too many');
        }

        // The walk through a known-size file, then through one of three other readers, taking turns: a body of
        // unknown length, Range requests in random windows, a plain body streamed in random chunks. The walk
        // must not depend on how the bytes arrive: the known-size readers give the same answer.
        const stats = { reads: 0, bytes: 0 };
        const direct = await walk(arrayReader(c.bytes, true), stats);
        tally.add(direct.ok ? (direct.sparse ? 'walk found manifest' : 'walk no manifest') : 'walk error');
        const outcomes = [direct];
        const other = c.rng.below(3);
        if (other === 0) {
          const unsized = await walk(arrayReader(c.bytes, false), stats);
          tally.add(unsized.ok ? 'unsized ok' : 'unsized error');
          outcomes.push(unsized);
        } else if (other === 1) {
          const chunk = 8 + c.rng.below(c.rng.pick([64, 4096, 65536]));
          const rangeReader = new RangeReader(
            c.bytes.length,
            c.bytes.slice(0, chunk),
            (start, end) => Promise.resolve(c.bytes.slice(start, end)),
            chunk,
            64,
          );
          const ranged = await walk(rangeReader, stats);
          outcomes.push(ranged);
          // Range reading gives up after 64 requests, which a file of many boxes can need (past the manifest
          // it ends the walk, as documented, else it fails): only then may it differ.
          if (rangeReader.requests <= 64) expect(sameOutcome(direct, ranged), 'Range requests').toBe(true);
          else tally.add('range budget spent');
        } else {
          const stream = new StreamReader(c.bytes.length, streamOf(c.bytes, c.rng), Number.POSITIVE_INFINITY);
          const streamed = await walk(stream, stats);
          stream.cancel();
          outcomes.push(streamed);
          expect(sameOutcome(direct, streamed), 'streamed body').toBe(true);
        }
        for (const o of outcomes) {
          if (!o.ok) continue;
          expect(o.boxes.length).toBeLessThanOrEqual(MAX_BOXES);
          // The sparse copy only ever drops bytes: every kept box is the file's own.
          if (o.sparse) expect(o.sparse.length).toBeLessThanOrEqual(c.bytes.length);
        }
        // Each reader hands over each byte about twice (a header, then its box): bounded by the file, not by
        // what its boxes claim.
        expect(stats.bytes).toBeLessThanOrEqual(2 * (2 * c.bytes.length + 16 * stats.reads));
        ran++;
      } catch (error) {
        throw new Error(`${c.id}: ${error instanceof Error ? error.stack : String(error)}`);
      } finally {
        watchdog.leave();
      }
    }
    const growth = heapAfterGc() - heapBefore;
    console.log(
      `walker fuzz: ${ran} cases (seed ${RUN_SEED}), heap growth ${(growth / 1e6).toFixed(1)} MB,`,
      Object.fromEntries(tally.counts),
    );
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
    if (!ONLY && CASES >= 1000) {
      expect(ran).toBeGreaterThanOrEqual(CASES);
      // The mutations reach every outcome, or the fuzzing has gone blind somewhere.
      for (const key of [
        'count ok',
        'count too many',
        'walk found manifest',
        'walk no manifest',
        'walk error',
        'unsized ok',
      ])
        expect(tally.get(key), key).toBeGreaterThan(0);
    }
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------------------------
// The MSE splitter

type SplitEvent =
  | { kind: 'start'; unit: string; copy: boolean }
  | { kind: 'end'; unit: string; from: number; to: number; header: string };

/**
 * Runs the splitter over `bytes` appended in `chunks` (lengths), the way the
 * observer does, and checks each event as it comes: bytes only inside a unit
 * being copied, each unit the input's own bytes, in one contiguous run (a
 * restarted init unit may begin with its box header, re-sent from the walk's
 * copy: it must be the 8 or 16 bytes just before the run). Each copied unit
 * is recorded as where it lies in the input. `copies` decides, by the unit's
 * number, whether it is copied (a stream out of credits copies none), the
 * same way on every run.
 */
function split(bytes: Uint8Array, chunks: number[], copies: (n: number) => boolean): SplitEvent[] {
  const walker = newBoxWalk();
  const events: SplitEvent[] = [];
  let units = 0;
  let copying = false;
  let open = false;
  /** The unit's run of appended bytes, as offsets in the whole input (null before any), and a re-sent header. */
  let from: number | null = null;
  let to = 0;
  let header: Uint8Array | null = null;
  let base = 0;
  let malformed = false;
  for (const length of chunks) {
    const chunk = bytes.subarray(base, base + length);
    const chunkBase = base;
    walkBoxes(walker, chunk, chunk.length, {
      unitStart(kind) {
        if (malformed) throw new Error('a unit started after the walk stopped');
        copying = copies(units++);
        open = true;
        from = null;
        header = null;
        events.push({ kind: 'start', unit: kind, copy: copying });
        return copying;
      },
      bytes(source, start, end) {
        if (!open || !copying) throw new Error('bytes handed over outside a unit being copied');
        if (!(start >= 0 && end >= start && end <= source.length)) throw new Error(`bad range [${start}, ${end})`);
        if (source === chunk) {
          // Contiguous within a unit: the copy is the stream's bytes in order, nothing skipped.
          if (from !== null && chunkBase + start !== to) throw new Error(`a gap: ${chunkBase + start} after ${to}`);
          from ??= chunkBase + start;
          to = chunkBase + end;
        } else if (source === walker.header && from === null && header === null && (end === 8 || end === 16)) {
          header = source.slice(start, end);
        } else throw new Error('bytes from somewhere other than the appended chunk');
      },
      unitEnd(kind) {
        if (!open) throw new Error('a unit ended that had not started');
        open = false;
        if (copying && header && from !== null) {
          const before = Buffer.from(bytes.subarray(from - header.length, from));
          if (!before.equals(Buffer.from(header))) throw new Error('a re-sent header that is not the input’s');
        }
        const run = copying && from !== null ? { from, to } : { from: -1, to: -1 };
        events.push({ kind: 'end', unit: kind, ...run, header: header ? Buffer.from(header).toString('hex') : '' });
      },
      malformed() {
        if (malformed) throw new Error('malformed reported twice');
        malformed = true;
      },
    });
    if (malformed && walker.phase !== 'stopped') throw new Error('the walk goes on after malformed input');
    base += length;
  }
  if (malformed) events.push({ kind: 'end', unit: 'malformed', from: -1, to: -1, header: '' });
  return events;
}

/** Append lengths that cover `length` bytes: single bytes, header-sized pieces, whole boxes, or all at once. */
function chunking(length: number, rng: Rng): number[] {
  // Byte-by-byte appends of a large input (a box bomb) cost time and find nothing more than small pieces do.
  const style = length > 20_000 ? 1 + rng.below(3) : rng.below(4);
  const out: number[] = [];
  let left = length;
  while (left > 0) {
    const n =
      style === 0 ? 1 + rng.below(3) : style === 1 ? 1 + rng.below(20) : style === 2 ? 1 + rng.below(2000) : left;
    out.push(Math.min(n, left));
    left -= n;
  }
  // An empty append is legal and must change nothing.
  if (rng.chance(0.2)) out.splice(rng.below(out.length + 1), 0, 0);
  return out;
}

describe('fuzz: the MSE splitter (walkBoxes)', () => {
  it(`survives ${CASES} mutated streams appended in random pieces, cutting them the same way every time`, () => {
    const tally = new Tally();
    const heapBefore = heapAfterGc();
    let ran = 0;
    for (const c of cases('splitter', CASES, 'splitter-')) {
      watchdog.enter(c.id);
      try {
        const mask = c.rng.u32();
        const copies = (n: number) => n < 2 || ((mask >>> n % 32) & 1) === 1;
        const whole = split(c.bytes, [c.bytes.length], copies);
        const pieces = chunking(c.bytes.length, c.rng);
        const chunked = split(c.bytes, pieces, copies);
        // How the player cut its appends must not change where segments begin and end.
        expect(chunked).toEqual(whole);
        const ends = whole.filter((e) => e.kind === 'end');
        tally.add(ends.some((e) => e.unit === 'malformed') ? 'malformed' : 'clean');
        tally.add(`media units ${Math.min(3, ends.filter((e) => e.unit === 'media').length)}`);
        if (whole.filter((e) => e.kind === 'start' && e.unit === 'init').length > 1) tally.add('init restarted');
        ran++;
      } catch (error) {
        throw new Error(`${c.id}: ${error instanceof Error ? error.stack : String(error)}`);
      } finally {
        watchdog.leave();
      }
    }
    const growth = heapAfterGc() - heapBefore;
    console.log(
      `splitter fuzz: ${ran} cases (seed ${RUN_SEED}), heap growth ${(growth / 1e6).toFixed(1)} MB,`,
      Object.fromEntries(tally.counts),
    );
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
    if (!ONLY && CASES >= 1000) {
      expect(ran).toBeGreaterThanOrEqual(CASES);
      for (const key of ['malformed', 'clean', 'media units 3', 'init restarted'])
        expect(tally.get(key), key).toBeGreaterThan(0);
    }
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------------------------
// The C2PA reader

/** No trust list: the corpus is signed by a throwaway chain, so the best a reading can be is "untrusted". */
const NO_TRUST: TrustSet = { sources: [], key: 'none' };

const STATES = new Set(['valid', 'untrusted', 'invalid', 'absent', 'error']);

describe('fuzz: the C2PA reader (c2pa-rs via its Node binding, then interpret.ts)', () => {
  it(`survives ${C2PA_CASES} mutated signed files, whole and as the walker's sparse copy`, async () => {
    const reader = new NodeC2paReader();
    const tally = new Tally();
    const signed = corpus.filter((c) => c.name.startsWith('signed-'));
    expect(signed.length).toBeGreaterThanOrEqual(2);
    const heapBefore = heapAfterGc();
    let ran = 0;
    /** Reads, interprets and checks what a hostile manifest can make of the signal. */
    const readAndInterpret = async (bytes: Uint8Array, hashSkipped: boolean) => {
      let reading;
      try {
        reading = await reader.read('video/mp4', new Blob([Uint8Array.from(bytes)]), NO_TRUST);
      } catch (error) {
        // The binding's errors are c2pa-rs's, as plain Errors with a message; anything else is a crash.
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message.length).toBeGreaterThan(0);
        tally.add('read error');
        return null;
      }
      if (!reading) {
        tally.add('no manifest');
        return null;
      }
      const p = interpretManifestStore(reading.store, 'file', { trustedBy: reading.trustedBy, hashSkipped });
      expect(STATES.has(p.state)).toBe(true);
      expect(p.state).not.toBe('valid');
      for (const text of [p.generator, p.signer, p.detail, p.signingTime])
        expect(text?.length ?? 0).toBeLessThanOrEqual(200);
      expect(p.ingredients?.length ?? 0).toBeLessThanOrEqual(8);
      tally.add(`state ${p.state}`);
      return p;
    };
    for (let i = 0; i < C2PA_CASES; i++) {
      if (ONLY && ONLY !== `c2pa:${i}`) continue;
      const rng = new Rng(caseSeed(RUN_SEED, 'c2pa', i));
      const seed = rng.pick(signed);
      // A third of the cases flip one byte of media: the signature must then fail, never read as intact.
      const mediaOnly = rng.chance(1 / 3);
      let bytes: Uint8Array;
      let applied: string[];
      if (mediaOnly) {
        const mdats = scanBoxes(seed.bytes).filter((b) => b.type === 'mdat');
        const mdat = rng.pick(mdats);
        bytes = seed.bytes.slice();
        bytes[mdat.at + mdat.header + rng.below(mdat.size - mdat.header)]! ^= 1 + rng.below(255);
        applied = ['flip-media-byte'];
      } else {
        // No box bombs here: the walker stops those before c2pa-rs ever sees them (see hostile-files.test.ts).
        ({ bytes, applied } = mutate(seed.bytes, rng, seeds, new Set(['tiny-box-run'])));
      }
      const id = `c2pa:${i} (FUZZ_SEED=${RUN_SEED}, from ${seed.name}, ${applied.join(' + ')})`;
      watchdog.enter(id);
      try {
        const whole = await readAndInterpret(bytes, false);
        if (mediaOnly) {
          // Altered media under an intact signature is "altered", whatever the claims say.
          expect(whole?.state).toBe('invalid');
          expect(whole?.failureCodes?.some((code) => /Hash\.mismatch$/.test(code))).toBe(true);
        }
        // The claims path: the walker's sparse copy (media emptied), read with the hash mismatch expected.
        const layout = await readSparseLayout(arrayReader(bytes, true)).catch((error: unknown) => {
          if (!isWalkerError(error)) throw error;
          return null;
        });
        if (layout?.sparse) {
          tally.add('sparse read');
          await readAndInterpret(layout.sparse, true);
        }
        ran++;
      } catch (error) {
        throw new Error(`${id}: ${error instanceof Error ? error.stack : String(error)}`);
      } finally {
        watchdog.leave();
      }
    }
    const growth = heapAfterGc() - heapBefore;
    console.log(
      `c2pa fuzz: ${ran} cases (seed ${RUN_SEED}), heap growth ${(growth / 1e6).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB,`,
      Object.fromEntries(tally.counts),
    );
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
    if (!ONLY && CASES >= 1000) {
      expect(ran).toBe(C2PA_CASES);
      for (const key of ['state untrusted', 'state invalid', 'read error', 'sparse read'])
        expect(tally.get(key), key).toBeGreaterThan(0);
    }
  }, 600_000);
});
