import type { ProvenanceSignal } from '../core/signals';
import {
  BudgetSpent,
  countBoxes,
  type ForwardReader,
  RangeReader,
  readSparseLayout,
  StreamReader,
  TooManyBoxesError,
  totalFromContentRange,
} from './bmff-layout';
import { remoteManifestReason } from './c2pa-settings';
import {
  BadAnswerError,
  expectOk,
  mediaRequest,
  RANGE_TIMEOUT_MS,
  readBytesCapped,
  readRangeAnswer,
  TooLargeError,
  WHOLE_FILE_TIMEOUT_MS,
  withTimeout,
} from './capped-fetch';
import { activeManifestLabel, bmffSignatureFacts } from './signature-chain';
import { absentProvenance, hashesEachFragment, interpretManifestStore, provenanceError } from './interpret';
import type { C2paReading, TrustSet } from './trust';

/** Files larger than this are not fetched whole to verify their credentials (configurable in settings). */
export const DEFAULT_PROVENANCE_MAX_BYTES = 100 * 1024 * 1024;

/**
 * What the checker needs from a C2PA reader: the manifest store (null when there is none) read against a trust
 * set, with the list that trusts its signer (see TrustAttribution).
 */
export interface C2paReader {
  read(mimeType: string, blob: Blob, trust: TrustSet): Promise<C2paReading | null>;
  readFragment(mimeType: string, init: Blob, fragment: Blob, trust: TrustSet): Promise<C2paReading | null>;
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
};

/** The media type to give the reader: the server's, unless it is generic, then the file extension's. */
export function mediaTypeOf(url: string, contentType: string | null): string | null {
  const declared = contentType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream') return declared;
  const ext = /\.([a-z0-9]+)(?:$|[?#])/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return ext ? (TYPES_BY_EXTENSION[ext] ?? null) : null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors c2pa-rs raises for formats it does not handle: no credentials can be there to read. */
function isUnsupported(error: unknown): boolean {
  return /unsupported|UnsupportedType|not supported/i.test(message(error));
}

/** Types whose manifest is found by walking ISO BMFF boxes (MP4, MOV and their kin). */
const BMFF_TYPES = new Set(['video/mp4', 'video/quicktime', 'video/x-m4v', 'video/iso.segment', 'audio/mp4']);

/**
 * The signal with its signature's certificate chain and time-stamp, read from the same ISO BMFF bytes c2pa-rs
 * read (the whole file, its metadata with the media emptied, or a stream's init segment). Unchanged when there is
 * no manifest to describe or the bytes do not give one.
 */
async function withSignature(
  signal: ProvenanceSignal,
  bytes: Blob | Uint8Array,
  store: unknown,
): Promise<ProvenanceSignal> {
  if (signal.state === 'absent' || signal.state === 'error') return signal;
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(await bytes.arrayBuffer());
  const signature = await bmffSignatureFacts(data, activeManifestLabel(store));
  return signature ? { ...signal, signature } : signal;
}

/**
 * What the reader reports when a stream's fragment is checked against a
 * manifest that hashes the whole file at once instead of each fragment.
 */
const FRAGMENT_HASH_CODES = new Set(['assertion.bmffHash.mismatch', 'assertion.bmffHash.malformed']);

/** The opening Range request: enough for the usual ftyp + manifest + moov at the head of a file. */
const FIRST_CHUNK = 64 * 1024;

function megabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

/** The detail for a file whose hash is not checked because it is over the size cap. */
export function tooLargeDetail(size: number, maxBytes: number): string {
  return `hash not verified: file too large (${megabytes(size)} MB over the ${megabytes(maxBytes)} MB limit)`;
}

/**
 * A quick reading of a file's manifest, from its metadata boxes only.
 * `final` when nothing more will be learnt by downloading the whole file
 * (no manifest there, the file is over the size cap, or the whole file was
 * read already because the server ignored Range); otherwise the caller
 * follows up with the full check, which verifies the content hash.
 */
export interface ProvenanceClaims {
  signal: ProvenanceSignal;
  final: boolean;
}

/**
 * One file whose Content Credentials are read: for which video (its downloads are cancelled with it), where,
 * against which trust (a trust set here, the user's choice on the way to the host), and up to what size its
 * content hash is verified. `source` says whether it is the video's file or its poster image (default: file).
 */
export interface FileCheck<Trust = TrustSet> {
  videoId: string;
  src: string;
  trust: Trust;
  maxBytes: number;
  source?: 'file' | 'image';
}

/**
 * Verified files whose bytes are kept, at most, for comparing their frames with the frames the page rendered
 * (`verifiedBytes`), and their most bytes together; the oldest go first. A page shows a handful of signed videos
 * at once, and each file is dropped when its video leaves the page.
 */
export const KEPT_VERIFIED_FILES = 8;
/** See {@link KEPT_VERIFIED_FILES}: two files at the default size cap. */
export const KEPT_VERIFIED_BYTES = 200 * 1024 * 1024;

/** The bytes of a verified file whose credentials decide a verdict, kept for comparing frames. */
interface KeptFile {
  videoId: string;
  blob: Blob;
}

/** Whether a reading would decide a verdict (a capture or an AI declaration), so its frames need comparing. */
function decisive(signal: ProvenanceSignal): boolean {
  return (signal.state === 'valid' || signal.state === 'untrusted') && (signal.captureDevice || signal.declaresAi);
}

/** The key one reading of a file's credentials is cached and its bytes kept under. */
function fileKey(kind: 'claims' | 'file', req: SourcedCheck): string {
  return `${kind}\n${req.source}\n${req.src}\n${req.trust.key}\n${req.maxBytes}`;
}

/** A file check with its source settled. */
type SourcedCheck = FileCheck & { source: 'file' | 'image' };

/**
 * Reads the Content Credentials of a video file from the extension's
 * context (no cookies, cancellable). For ISO BMFF files it first finds the
 * manifest with Range requests and shows what it claims (`checkClaims`),
 * then verifies the content hash over the whole file up to a size cap
 * (`checkFile`). Results are kept per URL and trust list, so one file shown
 * twice is read once.
 */
export class ProvenanceChecker {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly controllers = new Map<string, { src: string; controller: AbortController }>();
  /** The very bytes whose credentials were verified, by file key, for comparing their frames with the page's. */
  private readonly kept = new Map<string, KeptFile>();

  constructor(
    private readonly reader: C2paReader,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /**
   * What a file's manifest claims, read from its metadata boxes with Range
   * requests (or from the start of the body where the server ignores Range);
   * null when the quick path does not apply (not ISO BMFF, not a web file).
   */
  checkClaims(check: FileCheck): Promise<ProvenanceClaims | null> {
    const req = { ...check, source: check.source ?? 'file' };
    this.leaveOtherSource(req.videoId, req.source, req.src);
    return this.cached(
      fileKey('claims', req),
      () => this.readClaims(req),
      (r) => r?.signal.state === 'error',
    );
  }

  /** The provenance signal for a file at `src`, its content hash verified when it is under `maxBytes`. */
  checkFile(check: FileCheck): Promise<ProvenanceSignal> {
    const req = { ...check, source: check.source ?? 'file' };
    this.leaveOtherSource(req.videoId, req.source, req.src);
    return this.cached(
      fileKey('file', req),
      () => this.fetchAndRead(req),
      (r) => r.state === 'error',
    );
  }

  /**
   * The provenance signal for a stream, from copies of its init segment and
   * one media segment (called once per segment; `segmentsChecked` is 1 when
   * this segment was checked against per-segment hashes, else 0). The reader checks the fragment against the
   * manifest's per-fragment (Merkle) hashes. A stream signed as one whole
   * file has a single hash over every fragment, which no one fragment can
   * match: its manifest's claims and signature are then read from the init
   * segment alone, with the hash reported as not verified.
   */
  async checkStream(mimeType: string, init: Blob, fragment: Blob, trust: TrustSet): Promise<ProvenanceSignal> {
    let fragmentError: unknown;
    try {
      const reading = await this.reader.readFragment(mimeType, init, fragment, trust);
      if (!reading) return absentProvenance('stream');
      const signal = await withSignature(
        interpretManifestStore(reading.store, 'stream', { trustedBy: reading.trustedBy, products: reading.products }),
        init,
        reading.store,
      );
      // With per-fragment hashes a mismatch means altered media: that reading stands.
      const flatHash =
        !hashesEachFragment(reading.store) && signal.failureCodes?.some((c) => FRAGMENT_HASH_CODES.has(c));
      // The segment was checked against the manifest's per-segment hashes (or the reading says why not).
      if (!flatHash)
        return { ...signal, hashVerified: false, segmentsChecked: hashesEachFragment(reading.store) ? 1 : 0 };
      fragmentError = new Error('the stream is signed with one hash over the whole file, not per segment');
    } catch (error) {
      if (isUnsupported(error)) return absentProvenance('stream');
      fragmentError = error;
    }
    try {
      const reading = await this.reader.read(mimeType, init, trust);
      // A manifest with per-fragment hashes whose fragment could not be checked is not passed over.
      if (reading && !hashesEachFragment(reading.store)) {
        const claims = interpretManifestStore(reading.store, 'stream', {
          hashSkipped: true,
          trustedBy: reading.trustedBy,
          products: reading.products,
        });
        return {
          ...(await withSignature(claims, init, reading.store)),
          hashVerified: false,
          segmentsChecked: 0,
          detail: `hash not verified: ${message(fragmentError)}`,
        };
      }
    } catch {
      // The init segment alone says no more than the fragment reading did.
    }
    return provenanceError(message(fragmentError), 'stream');
  }

  /**
   * The bytes a decisive reading of this video file verified (the same check as `checkFile`'s, its trust and cap
   * included), with their media type; null when none are kept (not read whole, not decisive, evicted, or the
   * video left). Frames decoded from them are frames of the file whose credentials were verified, not of another
   * answer the server may give a later request.
   */
  verifiedBytes(check: FileCheck): Blob | null {
    return this.kept.get(fileKey('file', { ...check, source: check.source ?? 'file' }))?.blob ?? null;
  }

  /** Cancels the downloads for a video that left the page. */
  cancel(videoId: string): void {
    for (const [key, file] of this.kept) if (file.videoId === videoId) this.kept.delete(key);
    for (const source of ['file', 'image']) {
      const key = `${videoId}\n${source}`;
      this.controllers.get(key)?.controller.abort();
      this.controllers.delete(key);
    }
  }

  /** One promise per key; failures (cancellation, the network) are not kept, so a later look retries. */
  private cached<T>(key: string, make: () => Promise<T>, failed: (result: T) => boolean): Promise<T> {
    let result = this.cache.get(key) as Promise<T> | undefined;
    if (!result) {
      result = make();
      this.cache.set(key, result);
      void result.then((r) => failed(r) && this.cache.delete(key));
    }
    return result;
  }

  /** Cancels a video's download of another file than `src` (the video changed source), cached answer or not. */
  private leaveOtherSource(videoId: string, source: 'file' | 'image', src: string): void {
    const key = `${videoId}\n${source}`;
    const previous = this.controllers.get(key);
    if (previous && previous.src !== src) {
      previous.controller.abort();
      this.controllers.delete(key);
    }
  }

  /** A controller for one video's download, so that `cancel` and a change of source can stop it. */
  private track(videoId: string, source: 'file' | 'image', src: string): { controller: AbortController; key: string } {
    const key = `${videoId}\n${source}`;
    this.leaveOtherSource(videoId, source, src);
    const controller = new AbortController();
    this.controllers.set(key, { src, controller });
    return { controller, key };
  }

  /** Keeps a verified file's bytes, the oldest kept files going first past the limits ({@link KEPT_VERIFIED_FILES}). */
  private keep(key: string, file: KeptFile): void {
    this.kept.delete(key);
    this.kept.set(key, file);
    let bytes = 0;
    for (const kept of this.kept.values()) bytes += kept.blob.size;
    for (const [oldest, kept] of this.kept) {
      if (this.kept.size <= 1 || (this.kept.size <= KEPT_VERIFIED_FILES && bytes <= KEPT_VERIFIED_BYTES)) break;
      this.kept.delete(oldest);
      bytes -= kept.blob.size;
    }
  }

  private untrack(key: string, controller: AbortController): void {
    if (this.controllers.get(key)?.controller === controller) this.controllers.delete(key);
  }

  private async readClaims(req: SourcedCheck): Promise<ProvenanceClaims | null> {
    const { videoId, src, trust, maxBytes, source } = req;
    if (!/^https?:/i.test(src)) return null;
    const { controller, key } = this.track(videoId, source, src);
    const rangeRequest = (start: number, end: number) =>
      this.fetcher(src, mediaRequest(withTimeout(controller.signal, RANGE_TIMEOUT_MS), { start, end }));
    let stream: StreamReader | null = null;
    let size: number | null = null;
    try {
      const response = await rangeRequest(0, FIRST_CHUNK);
      expectOk(response);
      const type = mediaTypeOf(src, response.headers.get('content-type'));
      if (!type || !BMFF_TYPES.has(type)) {
        controller.abort();
        return null;
      }
      let walker: ForwardReader;
      if (response.status === 206) {
        size = totalFromContentRange(response.headers.get('content-range'));
        const first = await readRangeAnswer(response, 0, FIRST_CHUNK);
        if (size === null) return null;
        walker = new RangeReader(size, first, async (start, end) =>
          readRangeAnswer(await rangeRequest(start, end), start, end),
        );
      } else {
        // The server ignores Range and sends the whole file: under the cap, read it all at once.
        const declared = response.headers.get('content-length');
        size = declared === null ? null : Number(declared);
        if ((size === null || size <= maxBytes) && response.body === null) return null;
        if (size !== null && size <= maxBytes) {
          const signal = await this.readWhole(response, type, req);
          return { signal, final: true };
        }
        if (!response.body) return null;
        // Over the cap (or of unknown size): walk the body forwards, dropping the media as it passes.
        stream = new StreamReader(size, response.body, maxBytes);
        walker = stream;
      }
      const layout = await readSparseLayout(walker);
      stream?.cancel();
      if (!layout.sparse) return { signal: absentProvenance(source), final: true };
      const reading = await this.reader.read(type, new Blob([layout.sparse]), trust);
      if (!reading) return { signal: absentProvenance(source), final: true };
      const claims: ProvenanceSignal = {
        ...(await withSignature(
          interpretManifestStore(reading.store, source, {
            hashSkipped: true,
            trustedBy: reading.trustedBy,
            products: reading.products,
          }),
          layout.sparse,
          reading.store,
        )),
        hashVerified: false,
      };
      const overCap = size === null || size > maxBytes;
      if (overCap) {
        const detail = size === null ? 'hash not verified: file of unknown size' : tooLargeDetail(size, maxBytes);
        return { signal: { ...claims, detail }, final: true };
      }
      return { signal: claims, final: false };
    } catch (error) {
      stream?.cancel();
      if (controller.signal.aborted) return { signal: provenanceError('cancelled', source), final: true };
      if (error instanceof BudgetSpent && error.spent === 'bytes') {
        const limit = `${megabytes(maxBytes)} MB`;
        return {
          signal: provenanceError(`no Content Credentials found in the first ${limit} (the file is larger)`, source),
          final: true,
        };
      }
      // A box bomb, a lying or stalling server: final, the whole file is not tried.
      if (error instanceof TooManyBoxesError || error instanceof BadAnswerError || isTimeout(error)) {
        return { signal: provenanceError(fetchFailure(error), source), final: true };
      }
      // A layout this walk cannot follow: the reference reader decides on the whole file, where it may.
      if (size !== null && size <= maxBytes) return null;
      const reason =
        error instanceof BudgetSpent ? 'too many boxes to look through for Content Credentials' : fetchFailure(error);
      return { signal: provenanceError(reason, source), final: true };
    } finally {
      this.untrack(key, controller);
    }
  }

  private async fetchAndRead(req: SourcedCheck): Promise<ProvenanceSignal> {
    const { videoId, src, source } = req;
    if (!/^https?:/i.test(src))
      return provenanceError('only web files can be fetched to check their credentials', source);
    const { controller, key } = this.track(videoId, source, src);
    try {
      const response = await this.fetcher(src, mediaRequest(withTimeout(controller.signal, WHOLE_FILE_TIMEOUT_MS)));
      expectOk(response);
      const type = mediaTypeOf(src, response.headers.get('content-type'));
      if (!type) {
        controller.abort();
        return absentProvenance(source);
      }
      return await this.readWhole(response, type, req);
    } catch (error) {
      return provenanceError(controller.signal.aborted ? 'cancelled' : fetchFailure(error), source);
    } finally {
      this.untrack(key, controller);
    }
  }

  /**
   * Reads a whole response body, stopping at the cap as it streams, and
   * validates it including its content hash. An ISO BMFF file's boxes are
   * counted first: a box bomb never reaches c2pa-rs.
   */
  private async readWhole(response: Response, type: string, req: SourcedCheck): Promise<ProvenanceSignal> {
    const { trust, maxBytes, source } = req;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await readBytesCapped(response, maxBytes);
      if (BMFF_TYPES.has(type)) countBoxes(bytes);
    } catch (error) {
      if (error instanceof TooLargeError) return provenanceError(tooLargeDetail(error.seen, maxBytes), source);
      throw error;
    }
    try {
      const blob = new Blob([bytes], { type });
      const reading = await this.reader.read(type, blob, trust);
      if (!reading) return absentProvenance(source);
      const signal = interpretManifestStore(reading.store, source, {
        trustedBy: reading.trustedBy,
        products: reading.products,
      });
      const read: ProvenanceSignal = {
        ...(BMFF_TYPES.has(type) ? await withSignature(signal, bytes, reading.store) : signal),
        hashVerified: true,
      };
      if (source === 'file' && decisive(read)) this.keep(fileKey('file', req), { videoId: req.videoId, blob });
      return read;
    } catch (error) {
      if (isUnsupported(error)) return absentProvenance(source);
      return provenanceError(remoteManifestReason(error) ?? message(error), source);
    }
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

/**
 * Why a download failed, in words that repeat nothing the server chose (no
 * status code, no address): a page may be able to read reasons, and must
 * not learn from them what its chosen server answered.
 */
function fetchFailure(error: unknown): string {
  if (error instanceof TooManyBoxesError) return error.message;
  if (error instanceof BadAnswerError) return `the file could not be fetched: ${error.message}`;
  if (isTimeout(error)) return 'the file could not be fetched: it took too long';
  return 'the file could not be fetched';
}
