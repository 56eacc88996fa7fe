/**
 * Limits on every download the extension makes of a page's media: a time
 * limit per request, byte counters that stop a body at its cap while it
 * streams (never `blob()` first and a size check after), Range answers that
 * must be exactly what was asked, and no redirects. A server the page
 * chooses is hostile: it may drip bytes, lie about lengths, or redirect to
 * a private address.
 */

/** Longest a Range request (head of a file, or one metadata window) may take. */
export const RANGE_TIMEOUT_MS = 20_000;
/** Longest a whole-file download may take, however fast the bytes come. */
export const WHOLE_FILE_TIMEOUT_MS = 120_000;

/** A body went past its cap: the download was stopped there. */
export class TooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly seen: number,
  ) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = 'TooLargeError';
  }
}

/** The server answered with something other than what was asked: wrong range, a redirect, an error status. */
export class BadAnswerError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'BadAnswerError';
  }
}

/** `signal` combined with a time limit: aborts on whichever comes first. */
export function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * Request options for a download of page media: no cookies, no cache (the
 * page's own streaming request holds the cache entry's lock), and no
 * redirects followed, so that every address fetched is one checked first.
 */
export function mediaRequest(signal: AbortSignal, range?: { start: number; end: number }): RequestInit {
  return {
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'manual',
    referrerPolicy: 'no-referrer',
    signal,
    ...(range ? { headers: { Range: `bytes=${range.start}-${range.end - 1}` } } : {}),
  };
}

/** Throws on a redirect (not followed) or an error status; says nothing the server chose. */
export function expectOk(response: Response): void {
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    void response.body?.cancel().catch(() => undefined);
    throw new BadAnswerError('the server redirected elsewhere (not followed)');
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => undefined);
    throw new BadAnswerError('the server did not send the file');
  }
}

/**
 * Reads a response body as chunks, stopping (and cancelling the body) as
 * soon as more than `limit` bytes have come. A declared Content-Length over
 * the limit fails before any byte is read.
 */
export async function readChunksCapped(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>[]> {
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    void response.body?.cancel().catch(() => undefined);
    throw new TooLargeError(limit, Number(declared));
  }
  if (!response.body) return [];
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let seen = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done || !value) break;
    seen += value.length;
    if (seen > limit) {
      void reader.cancel().catch(() => undefined);
      throw new TooLargeError(limit, seen);
    }
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
  return chunks;
}

/** A body of at most `limit` bytes as a Blob (its chunks are not copied into one buffer). */
export async function readBlobCapped(response: Response, limit: number, type = ''): Promise<Blob> {
  return new Blob(await readChunksCapped(response, limit), { type });
}

/** A body of at most `limit` bytes as one array. */
export async function readBytesCapped(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks = await readChunksCapped(response, limit);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The bytes of a `206 Partial Content` answer to a request for [start, end):
 * the Content-Range must start where asked, and the body may not be longer
 * than asked (a server that sends more is refused, not read on).
 */
export async function readRangeAnswer(
  response: Response,
  start: number,
  end: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (response.status !== 206) {
    void response.body?.cancel().catch(() => undefined);
    throw new BadAnswerError('the server did not answer a Range request');
  }
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(response.headers.get('content-range') ?? '');
  if (!m || Number(m[1]) !== start || Number(m[2]) >= end) {
    void response.body?.cancel().catch(() => undefined);
    throw new BadAnswerError('the server answered another range than the one asked');
  }
  const asked = end - start;
  try {
    return await readBytesCapped(response, asked);
  } catch (error) {
    if (error instanceof TooLargeError) throw new BadAnswerError('the server sent more bytes than asked for');
    throw error;
  }
}
