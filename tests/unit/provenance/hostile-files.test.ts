import { describe, expect, it } from 'vitest';
import { countBoxes, MAX_BOXES, TooManyBoxesError } from '../../../lib/provenance/bmff-layout';
import { readBytesCapped, TooLargeError } from '../../../lib/provenance/capped-fetch';
import { type C2paReader, ProvenanceChecker } from '../../../lib/provenance/provenance-checker';
import type { TrustSet } from '../../../lib/provenance/trust';

/** No trust list: these files are about bytes, not signers. */
const NO_TRUST: TrustSet = { sources: [], key: 'none' };

/**
 * Hostile files and servers against the checker's downloads: a box bomb,
 * a server that sends more than it was asked, one that lies about lengths.
 * The servers are fetchers answering as an attacker's server would.
 */

/** 16 MB of 8-byte `free` boxes after an `ftyp`: the box bomb. */
function boxBomb(bytes = 16 * 1024 * 1024): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  const ftyp = [0, 0, 0, 16, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 0, 1];
  out.set(ftyp, 0);
  for (let at = 16; at + 8 <= bytes; at += 8) out.set([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65], at);
  return out;
}

/** A reader that must never be reached. */
function recordingReader() {
  const calls: number[] = [];
  const reader: C2paReader = {
    read: (_type, blob) => {
      calls.push(blob.size);
      return Promise.resolve(null);
    },
    readFragment: () => Promise.resolve(null),
  };
  return { reader, calls };
}

/** A server for `file`: honours Range unless `ranges` is false; `extra` bytes are appended to every Range answer. */
function server(file: Uint8Array<ArrayBuffer>, { ranges = true, extra = 0, contentLength = true } = {}) {
  const seen = { requests: 0, bytesSent: 0 };
  const fetcher: typeof fetch = (_input, init) => {
    seen.requests++;
    const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get('range') ?? '');
    let body: Uint8Array<ArrayBuffer>;
    let headers: Record<string, string> = { 'content-type': 'video/mp4' };
    let status = 200;
    if (ranges && range) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), file.length - 1);
      body = file.slice(start, end + 1 + extra);
      status = 206;
      headers = { ...headers, 'content-range': `bytes ${start}-${end}/${file.length}` };
    } else body = file;
    if (contentLength) headers['content-length'] = String(body.length);
    // Streamed in 64 KiB chunks, counted as they are pulled.
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= body.length) return controller.close();
        const chunk = body.subarray(at, at + 65536);
        at += chunk.length;
        seen.bytesSent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return Promise.resolve(new Response(stream, { status, headers }));
  };
  return { fetcher, seen };
}

describe('a box bomb', () => {
  it('the box counter gives up at the cap instead of walking two million boxes', () => {
    expect(() => countBoxes(boxBomb())).toThrow(TooManyBoxesError);
    // An honest file's boxes are counted, nested ones included: moov > trak > free.
    const moov = new Uint8Array([
      0, 0, 0, 24, 0x6d, 0x6f, 0x6f, 0x76, 0, 0, 0, 16, 0x74, 0x72, 0x61, 0x6b, 0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65,
    ]);
    expect(countBoxes(moov)).toBe(3);
    expect(MAX_BOXES).toBeGreaterThan(1000);
  });

  it('served with Range: the walk stops at the box cap and the whole file is never read', async () => {
    const { reader, calls } = recordingReader();
    const { fetcher, seen } = server(boxBomb());
    const checker = new ProvenanceChecker(reader, fetcher);
    const claims = await checker.checkClaims({
      videoId: 'v1',
      src: 'https://evil.example/bomb.mp4',
      trust: NO_TRUST,
      maxBytes: 100 * 1024 * 1024,
    });
    expect(claims?.final).toBe(true);
    expect(claims?.signal).toMatchObject({ state: 'error', detail: expect.stringMatching(/too many/) });
    expect(calls).toEqual([]);
    expect(seen.bytesSent).toBeLessThan(1024 * 1024);
  }, 60_000);

  it('served whole (no Range): its boxes are counted before c2pa-rs ever sees it', async () => {
    const { reader, calls } = recordingReader();
    const { fetcher } = server(boxBomb(), { ranges: false });
    const checker = new ProvenanceChecker(reader, fetcher);
    const signal = await checker.checkFile({
      videoId: 'v1',
      src: 'https://evil.example/bomb.mp4',
      trust: NO_TRUST,
      maxBytes: 100 * 1024 * 1024,
    });
    expect(signal).toMatchObject({ state: 'error', detail: expect.stringMatching(/too many/) });
    expect(calls).toEqual([]);
  }, 60_000);
});

describe('a lying server', () => {
  it('a Range answer longer than asked is refused, not read on', async () => {
    const { reader, calls } = recordingReader();
    const { fetcher, seen } = server(boxBomb(4 * 1024 * 1024), { extra: 8 * 1024 * 1024 });
    const checker = new ProvenanceChecker(reader, fetcher);
    const claims = await checker.checkClaims({
      videoId: 'v1',
      src: 'https://evil.example/long.mp4',
      trust: NO_TRUST,
      maxBytes: 100 * 1024 * 1024,
    });
    expect(claims).toMatchObject({ final: true, signal: { state: 'error' } });
    expect(claims?.signal.detail).toMatch(/more bytes than asked/);
    expect(calls).toEqual([]);
    expect(seen.bytesSent).toBeLessThan(256 * 1024);
  }, 60_000);

  it('a body without Content-Length is stopped at the cap as it streams', async () => {
    const { fetcher, seen } = server(boxBomb(8 * 1024 * 1024), { ranges: false, contentLength: false });
    const response = await fetcher('https://evil.example/endless.mp4');
    await expect(readBytesCapped(response, 1024 * 1024)).rejects.toBeInstanceOf(TooLargeError);
    expect(seen.bytesSent).toBeLessThanOrEqual(1024 * 1024 + 2 * 65536);
  });

  it('an error status is reported without the server’s status code', async () => {
    const { reader } = recordingReader();
    const fetcher: typeof fetch = () => Promise.resolve(new Response('no', { status: 418 }));
    const signal = await new ProvenanceChecker(reader, fetcher).checkFile({
      videoId: 'v1',
      src: 'https://evil.example/a.mp4',
      trust: NO_TRUST,
      maxBytes: 1e6,
    });
    expect(signal.state).toBe('error');
    expect(signal.detail).not.toMatch(/418/);
  });
});
