import type { ProvenanceSignal } from '../core/signals';
import { absentProvenance, interpretManifestStore, provenanceError } from './interpret';

/** Files larger than this are not fetched whole to verify their credentials (configurable in settings). */
export const DEFAULT_PROVENANCE_MAX_BYTES = 100 * 1024 * 1024;

/** What the checker needs from a C2PA reader. */
export interface C2paReader {
  read(mimeType: string, blob: Blob, trustAnchors: string): Promise<unknown | null>;
  readFragment(mimeType: string, init: Blob, fragment: Blob, trustAnchors: string): Promise<unknown | null>;
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

/**
 * Reads the Content Credentials of a video file: fetches it from the
 * extension's context (no cookies, browser cache reused, cancellable), up to
 * a size cap, and interprets what the reference reader validated. Results
 * are kept per URL and trust list, so one file shown twice is read once.
 */
export class ProvenanceChecker {
  private readonly cache = new Map<string, Promise<ProvenanceSignal>>();
  private readonly controllers = new Map<string, AbortController>();

  constructor(
    private readonly reader: C2paReader,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The provenance signal for a file at `src`. */
  checkFile(
    videoId: string,
    src: string,
    trustAnchors: string,
    maxBytes: number,
    source: 'file' | 'image' = 'file',
  ): Promise<ProvenanceSignal> {
    const key = `${source}\n${src}\n${trustAnchors.length}:${trustAnchors.slice(-64)}\n${maxBytes}`;
    let result = this.cache.get(key);
    if (!result) {
      result = this.fetchAndRead(videoId, src, trustAnchors, maxBytes, source);
      this.cache.set(key, result);
      // Failures caused by cancellation or the network may pass: do not keep them.
      void result.then((s) => s.state === 'error' && this.cache.delete(key));
    }
    return result;
  }

  /** The provenance signal for a stream, from copies of its init segment and first media segment. */
  async checkStream(mimeType: string, init: Blob, fragment: Blob, trustAnchors: string): Promise<ProvenanceSignal> {
    try {
      const store = await this.reader.readFragment(mimeType, init, fragment, trustAnchors);
      if (!store) return absentProvenance('stream');
      return { ...interpretManifestStore(store, 'stream'), hashVerified: false };
    } catch (error) {
      if (isUnsupported(error)) return absentProvenance('stream');
      return provenanceError(message(error), 'stream');
    }
  }

  /** Cancels the download for a video that left the page. */
  cancel(videoId: string): void {
    for (const source of ['file', 'image']) {
      const key = `${videoId}\n${source}`;
      this.controllers.get(key)?.abort();
      this.controllers.delete(key);
    }
  }

  private async fetchAndRead(
    videoId: string,
    src: string,
    trustAnchors: string,
    maxBytes: number,
    source: 'file' | 'image',
  ): Promise<ProvenanceSignal> {
    if (!/^https?:/i.test(src))
      return provenanceError('only web files can be fetched to check their credentials', source);
    const controller = new AbortController();
    const controllerKey = `${videoId}\n${source}`;
    this.controllers.set(controllerKey, controller);
    try {
      // 'no-store': the page's own media request holds the HTTP cache entry's write lock while it
      // streams, and a cached fetch of the same URL would wait on that lock for up to 20 s.
      const response = await this.fetcher(src, { credentials: 'omit', cache: 'no-store', signal: controller.signal });
      if (!response.ok) return provenanceError(`the file could not be fetched (HTTP ${response.status})`, source);
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        controller.abort();
        return provenanceError(`file too large to verify (${Math.round(declared / 1e6)} MB)`, source);
      }
      const type = mediaTypeOf(src, response.headers.get('content-type'));
      if (!type) {
        controller.abort();
        return absentProvenance(source);
      }
      const blob = await response.blob();
      if (blob.size > maxBytes) {
        return provenanceError(`file too large to verify (${Math.round(blob.size / 1e6)} MB)`, source);
      }
      try {
        const store = await this.reader.read(type, blob, trustAnchors);
        return store ? { ...interpretManifestStore(store, source), hashVerified: true } : absentProvenance(source);
      } catch (error) {
        if (isUnsupported(error)) return absentProvenance(source);
        return provenanceError(message(error), source);
      }
    } catch (error) {
      return provenanceError(
        controller.signal.aborted ? 'cancelled' : `the file could not be fetched: ${message(error)}`,
        source,
      );
    } finally {
      if (this.controllers.get(controllerKey) === controller) this.controllers.delete(controllerKey);
    }
  }
}
