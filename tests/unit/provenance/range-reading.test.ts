import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateVerdict } from '../../../lib/core/verdict';
import { NodeC2paReader } from '../../../lib/node/provenance';
import { RangeReader, readSparseLayout } from '../../../lib/provenance/bmff-layout';
import { ProvenanceChecker } from '../../../lib/provenance/provenance-checker';
import { trustSet } from '../../../lib/provenance/trust';
import { makeC2paFixtures } from '../../../scripts/c2pa/make-fixtures.mjs';
import { startServer } from '../../../scripts/lib/server.mjs';

/**
 * The checker's web reading against a real HTTP server (with and without
 * Range support) and the real reference reader (c2pa-rs through its Node
 * binding): what a manifest claims is read from the file's metadata boxes,
 * the content hash only up to the size cap.
 */

const SHARED = resolve(__dirname, '../../../../shared/data/c2pa/c2pa-rs');
const sharedPresent = existsSync(join(SHARED, 'video1.mp4'));
if (!sharedPresent) console.warn(`skipping the c2pa-rs Range cases and the trusted-signer case: ${SHARED} is absent`);

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
let dir = '';
let sharedRoots = '';
const SMALL_CAP = 100_000;
/** The given anchors alone, no bundled list: these cases are about reading, not about trust lists. */
const noLists = (anchors = '') => trustSet({}, { official: false, legacy: false }, anchors);

/** The real fetch, counting the body bytes the checker took. */
function countingFetch() {
  const seen = { bytes: 0, requests: 0 };
  const fetcher: typeof fetch = async (input, init) => {
    seen.requests++;
    const res = await fetch(input, init);
    const body = res.body;
    if (!body) return res;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          seen.bytes += chunk.length;
          out.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: res.status, headers: res.headers });
  };
  return { fetcher, seen };
}

beforeAll(async () => {
  const made = await makeC2paFixtures();
  dir = made.dir;
  if (existsSync(made.sharedRoots)) sharedRoots = readFileSync(made.sharedRoots, 'utf8');
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('reading a manifest with Range requests', () => {
  it('over the size cap: shows what the manifest claims, says the hash was not verified, fetches little', async () => {
    const { fetcher, seen } = countingFetch();
    const checker = new ProvenanceChecker(new NodeC2paReader(), fetcher);
    const size = statSync(join(dir, 'ai-sora.mp4')).size;
    const claims = await checker.checkClaims({
      videoId: 'v1',
      src: `${server.base}/media/c2pa/ai-sora.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(claims?.final).toBe(true);
    expect(claims?.signal).toMatchObject({
      state: 'untrusted',
      declaresAi: true,
      generator: 'OpenAI Sora',
      digitalSourceTypes: ['trainedAlgorithmicMedia'],
      hashVerified: false,
      detail: `hash not verified: file too large (${(size / 1e6).toFixed(1)} MB over the 0.1 MB limit)`,
    });
    expect(claims?.signal.signer).toBeTruthy();
    // The emptied media's hash mismatch is expected, not reported as an alteration.
    expect(claims?.signal.failureCodes).toEqual(['signingCredential.untrusted']);
    // Only the metadata travelled, not the media.
    expect(seen.bytes).toBeLessThan(size / 4);
    const ranged = server.requests.filter((r) => r.path === '/media/c2pa/ai-sora.mp4');
    expect(ranged.every((r) => r.range !== null)).toBe(true);

    // An AI declaration with a valid signature from an unverified signer makes "likely AI" (a trusted one would make
    // "ai" with the hash unchecked), and the reason says what was not checked.
    const v = evaluateVerdict([claims!.signal]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[0]).toMatch(
      /made with OpenAI Sora .*signer not verified: not on any trust list in use; the file hash was not checked/,
    );
  });

  it('under the cap: the claims come first, then the whole file with its hash verified', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader());
    const src = `${server.base}/media/c2pa/tampered.mp4`;
    const claims = await checker.checkClaims({ videoId: 'v2', src, trust: await noLists(), maxBytes: 100e6 });
    // The claims alone cannot see the altered media: they say so, and the full check follows.
    expect(claims).toMatchObject({ final: false, signal: { state: 'untrusted', hashVerified: false } });
    const full = await checker.checkFile({ videoId: 'v2', src, trust: await noLists(), maxBytes: 100e6 });
    expect(full).toMatchObject({ state: 'invalid', hashVerified: true });
    expect(full.failureCodes).toContain('assertion.bmffHash.mismatch');
  });

  it('a file without a manifest box is "absent" from its metadata alone', async () => {
    const { fetcher, seen } = countingFetch();
    const checker = new ProvenanceChecker(new NodeC2paReader(), fetcher);
    const claims = await checker.checkClaims({
      videoId: 'v3',
      src: `${server.base}/media/c2pa/unsigned.mp4`,
      trust: await noLists(),
      maxBytes: 100e6,
    });
    expect(claims).toMatchObject({ final: true, signal: { state: 'absent' } });
    expect(seen.bytes).toBeLessThan(statSync(join(dir, 'unsigned.mp4')).size / 4);
  });

  it('a server that ignores Range (200): the claims are read from the start of the body, up to the cap', async () => {
    const { fetcher, seen } = countingFetch();
    const checker = new ProvenanceChecker(new NodeC2paReader(), fetcher);
    const claims = await checker.checkClaims({
      videoId: 'v4',
      src: `${server.base}/norange/media/c2pa/ai-sora.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(server.requests.some((r) => r.path === '/norange/media/c2pa/ai-sora.mp4' && r.range !== null)).toBe(true);
    expect(claims).toMatchObject({
      final: true,
      signal: { state: 'untrusted', declaresAi: true, generator: 'OpenAI Sora', hashVerified: false },
    });
    expect(claims?.signal.detail).toMatch(/^hash not verified: file too large/);
    // The body was dropped once the manifest was found and the budget spent.
    expect(seen.bytes).toBeLessThan(SMALL_CAP + 128 * 1024);

    // Under the cap the whole body is read at once, hash included: no second download.
    const whole = await checker.checkClaims({
      videoId: 'v5',
      src: `${server.base}/norange/media/c2pa/tampered.mp4`,
      trust: await noLists(),
      maxBytes: 100e6,
    });
    expect(whole).toMatchObject({ final: true, signal: { state: 'invalid', hashVerified: true } });
  });

  it('past the cap on a server without Range, boxes after the media are not waited for', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader());
    // A plain file ends with its media: its whole layout is known without reading the media.
    const plain = await checker.checkClaims({
      videoId: 'v6',
      src: `${server.base}/norange/media/c2pa/unsigned.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(plain).toMatchObject({ final: true, signal: { state: 'absent' } });
    // A fragmented one has boxes all along: the walk gives up at the cap and says so.
    const claims = await checker.checkClaims({
      videoId: 'v6',
      src: `${server.base}/norange/media/fragmented.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(claims?.final).toBe(true);
    expect(claims?.signal.state).toBe('error');
    expect(claims?.signal.detail).toMatch(/no Content Credentials found in the first 0\.1 MB/);
  });

  it('a non-BMFF file is left to the whole-file reading', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader());
    expect(
      await checker.checkClaims({
        videoId: 'v7',
        src: `${server.base}/pages/provenance.html`,
        trust: await noLists(),
        maxBytes: SMALL_CAP,
      }),
    ).toBeNull();
  });

  it.skipIf(!sharedPresent)(
    'a trusted camera signature past the cap is shown, but is no verified capture',
    async () => {
      const checker = new ProvenanceChecker(new NodeC2paReader());
      const claims = await checker.checkClaims({
        videoId: 'v8',
        src: `${server.base}/media/c2pa/camera.mp4`,
        trust: await noLists(sharedRoots),
        maxBytes: SMALL_CAP,
      });
      expect(claims?.signal).toMatchObject({ state: 'valid', captureDevice: true, hashVerified: false });
      const v = evaluateVerdict([claims!.signal]);
      expect(v.level).not.toBe('verified-capture');
      expect(v.reasons.join(' ')).toMatch(
        /claim a camera capture .*signer verified by your own trust anchors; the file hash was not checked/,
      );
    },
  );

  it.skipIf(!sharedPresent)('the reference fixtures past the cap keep their signature state', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader());
    const video1 = await checker.checkClaims({
      videoId: 'r1',
      src: `${server.base}/shared/c2pa/c2pa-rs/video1.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(video1?.signal).toMatchObject({ state: 'untrusted', hashVerified: false });
    // A claim-signature mismatch needs no media to be seen.
    const legacy = await checker.checkClaims({
      videoId: 'r2',
      src: `${server.base}/shared/c2pa/c2pa-rs/legacy.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(legacy?.signal.state).toBe('invalid');
    expect(legacy?.signal.failureCodes).toContain('claimSignature.mismatch');
    const none = await checker.checkClaims({
      videoId: 'r3',
      src: `${server.base}/shared/c2pa/c2pa-rs/video1_no_manifest.mp4`,
      trust: await noLists(),
      maxBytes: SMALL_CAP,
    });
    expect(none?.signal.state).toBe('absent');
  });
});

describe('cancelling a download', () => {
  it('aborts the fetch when the video leaves the page', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader());
    const pending = checker.checkClaims({
      videoId: 'gone',
      src: `${server.base}/hang/gone.mp4`,
      trust: await noLists(),
      maxBytes: 100e6,
    });
    await expect.poll(() => server.requests.some((r) => r.path === '/hang/gone.mp4')).toBe(true);
    checker.cancel('gone');
    expect(await pending).toMatchObject({ final: true, signal: { state: 'error', detail: 'cancelled' } });
    await expect.poll(() => server.requests.find((r) => r.path === '/hang/gone.mp4')?.abortedAt).not.toBeNull();
  });

  it('aborts the old file’s fetch when the video changes source', async () => {
    const checker = new ProvenanceChecker(new NodeC2paReader());
    // The new file's answer is cached already (read for another video): the old download still stops.
    await checker.checkClaims({
      videoId: 'other',
      src: `${server.base}/media/c2pa/unsigned.mp4`,
      trust: await noLists(),
      maxBytes: 100e6,
    });
    const old = checker.checkFile({
      videoId: 'switch',
      src: `${server.base}/hang/old.mp4`,
      trust: await noLists(),
      maxBytes: 100e6,
    });
    await expect.poll(() => server.requests.some((r) => r.path === '/hang/old.mp4')).toBe(true);
    const next = await checker.checkClaims({
      videoId: 'switch',
      src: `${server.base}/media/c2pa/unsigned.mp4`,
      trust: await noLists(),
      maxBytes: 100e6,
    });
    expect(next?.signal.state).toBe('absent');
    expect(await old).toMatchObject({ state: 'error', detail: 'cancelled' });
    await expect.poll(() => server.requests.find((r) => r.path === '/hang/old.mp4')?.abortedAt).not.toBeNull();
  });
});

describe('the box walk', () => {
  it('keeps the manifest it found when its request budget runs out in the fragments that follow', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'fragmented-ai.mp4')));
    const slice = async (start: number, end: number) => bytes.slice(start, end);
    const few = new RangeReader(bytes.length, bytes.slice(0, 64 * 1024), slice, 64 * 1024, 2);
    const layout = await readSparseLayout(few);
    expect(layout.sparse).not.toBeNull();
    expect(layout.boxes.slice(0, 3)).toEqual(['ftyp', 'uuid', 'moov']);
    expect(layout.boxes.length).toBeLessThan(19);
    // The sparse copy still carries the manifest's claims and signature.
    const store = await new NodeC2paReader().read('video/mp4', new Blob([layout.sparse!]), await noLists());
    expect(store).not.toBeNull();

    // Without a manifest the same budget ends the walk with an error, not a false "absent".
    const plain = new Uint8Array(readFileSync(resolve(dir, '../fragmented.mp4')));
    const plainSlice = async (start: number, end: number) => plain.slice(start, end);
    const walk = readSparseLayout(new RangeReader(plain.length, plain.slice(0, 64 * 1024), plainSlice, 64 * 1024, 2));
    await expect(walk).rejects.toThrow(/budget/);
  });

  it('refuses what is not ISO BMFF with a clear error', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>not a video</body></html>');
    const reader = new RangeReader(html.length, html, async () => new Uint8Array(0));
    await expect(readSparseLayout(reader)).rejects.toThrow(/not an ISO BMFF file|bad box/);
  });
});
