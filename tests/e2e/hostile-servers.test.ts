import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProvenanceSignal } from '../../lib/core/signals';
import type { TabResults, VideoReport } from '../../lib/core/report';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { jpegNamingRemoteManifest } from '../../scripts/c2pa/remote-manifest-jpeg.mjs';
import { launchBrowser, readTrustRecord, writeTrustAnchors } from '../../scripts/lib/browser.mjs';
import { startServer } from '../../scripts/lib/server.mjs';
import { makeMedia } from '../../scripts/make-media.mjs';
import { BadgeProbe } from './badge-probe';
import { type E2E, e2eOf, openPage, results, waitFor } from './harness';

/**
 * The extension against servers and pages built as an attacker builds them:
 * a server that drip-feeds the extension's download, a page that floods the
 * session store with a `data:` source, a box bomb served only to the
 * extension, a poster whose XMP names a remote manifest, and a public page
 * that names addresses in the user's own network. Each test also checks
 * that another video, in another tab or on the same page, still gets its
 * verdict.
 */

const MEDIA = resolve(__dirname, '../../.media');
/** A public-looking host the browser maps to the test server (the page's own address space is then public). */
const PUBLIC_HOST = 'attacker.example';

/** Requests that came from the extension (its fetches carry `Sec-Fetch-Dest: empty`; the page's media say `video`). */
const fromExtension = (q: E2E['requests'][number]) => q.fetchDest === 'empty';

let e2e: E2E;
let port = 0;
/** PEM roots that make the camera fixture's signature verified (set before the browser starts). */
let anchors = '';
/** Bytes the hostile routes sent to the extension, by path. */
const sentToExtension = new Map<string, number>();
const dripping = new Set<ServerResponse>();

function htmlRoute(body: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const text = body.replaceAll('{{other}}', `http://127.0.0.1:${port}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      `<!doctype html><html><head><meta charset="utf-8"><title>hostile</title></head><body>${text}</body></html>`,
    );
  };
}

/** The page's own media request gets the real file; the extension's gets `hostile`. */
function splitServe(file: string, hostile: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse, serve: (path: string) => void) => {
    if (req.headers['sec-fetch-dest'] === 'video') serve(file);
    else hostile(req, res);
  };
}

/** 16 MB of 8-byte `free` boxes after an `ftyp`: two million boxes. */
function boxBomb(): Buffer {
  const out = Buffer.alloc(16 * 1024 * 1024);
  Buffer.from([0, 0, 0, 16, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 0, 1]).copy(out, 0);
  const free = Buffer.from([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]);
  for (let at = 16; at + 8 <= out.length; at += 8) free.copy(out, at);
  return out;
}

/** Sends `bytes` as an ordinary server would, honouring Range, counting what went to the extension. */
function sendBytes(path: string, bytes: Buffer, { ranges = true } = {}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const range = ranges ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '') : null;
    let body = bytes;
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      body = bytes.subarray(start, end + 1);
      res.writeHead(206, {
        'content-type': 'video/mp4',
        'content-range': `bytes ${start}-${end}/${bytes.length}`,
        'content-length': body.length,
      });
    } else res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': bytes.length });
    let sent = 0;
    res.on('close', () => sentToExtension.set(path, (sentToExtension.get(path) ?? 0) + sent));
    // Written in chunks so that a client that stops reading stops the count.
    const chunk = 256 * 1024;
    const write = (at: number): void => {
      if (at >= body.length) {
        res.end();
        return;
      }
      const part = body.subarray(at, at + chunk);
      sent += part.length;
      if (res.write(part)) write(at + chunk);
      else res.once('drain', () => write(at + chunk));
    };
    write(0);
  };
}

const manifestHits: string[] = [];

beforeAll(async () => {
  makeMedia({ quiet: true });
  const made = await makeC2paFixtures();
  // The camera fixture's signer is trusted as a user's own anchor, so that its credentials would verify a capture.
  const roots = [made.ownRoot, made.sharedRoots].filter((path) => existsSync(path));
  anchors = roots.map((path) => readFileSync(path, 'utf8')).join('\n');
  const clip = readFileSync(join(MEDIA, 'clip.mp4'));
  const bomb = boxBomb();
  const server = await startServer({
    routes: {
      // 1. A server that answers the page at once and the extension one byte every two seconds.
      '/hostile/drip.html': htmlRoute(
        '<iframe src="/hostile/drip-frame.html" width="560" height="340" style="border:0"></iframe>',
      ),
      '/hostile/drip-frame.html': htmlRoute(
        '<video src="{{other}}/drip/clip.mp4" width="480" height="270" autoplay muted loop playsinline></video>',
      ),
      '/drip/clip.mp4': splitServe('/media/clip.mp4', (_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': clip.length });
        dripping.add(res);
        let at = 0;
        const timer = setInterval(() => {
          if (at < clip.length) res.write(clip.subarray(at, ++at));
        }, 2000);
        res.on('close', () => {
          clearInterval(timer);
          dripping.delete(res);
        });
      }),
      '/hostile/normal.html': htmlRoute(
        '<video src="/media/small.mp4" width="480" height="270" autoplay muted loop playsinline></video>',
      ),
      // 2. Two ~4.6 MB data: sources: together they would fill storage.session's 10 MB.
      '/hostile/data-flood.html': (_req, res) => {
        const junk = Buffer.alloc(3_400_000, 0x41).toString('base64');
        const video = (n: number) =>
          `<video id="d${n}" src="data:video/mp4;base64,${n}${junk}" width="320" height="180" muted></video>`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html><head><meta charset="utf-8"></head><body>${video(1)}${video(2)}</body></html>`);
      },
      // 3. A box bomb served to the extension only, with and without Range, next to a signed clip.
      '/hostile/bomb.html': htmlRoute(
        '<video src="/bomb/ranged.mp4" width="400" height="225" autoplay muted loop playsinline></video>' +
          '<video src="/bomb/whole.mp4" width="400" height="225" autoplay muted loop playsinline></video>' +
          '<video src="/media/c2pa/ai-sora.mp4" width="400" height="225" autoplay muted loop playsinline></video>',
      ),
      '/bomb/ranged.mp4': splitServe('/media/clip.mp4', sendBytes('/bomb/ranged.mp4', bomb)),
      '/bomb/whole.mp4': splitServe('/media/clip.mp4', sendBytes('/bomb/whole.mp4', bomb, { ranges: false })),
      // 5. A poster whose XMP names a remote manifest on the attacker's server.
      '/hostile/remote-manifest.html': htmlRoute(
        '<video src="/media/small.mp4" poster="/xmp/poster.jpg" width="480" height="270" muted playsinline></video>',
      ),
      '/xmp/poster.jpg': (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.end(jpegNamingRemoteManifest(`http://127.0.0.1:${port}/cloud/manifest.c2pa`));
      },
      '/cloud/manifest.c2pa': (req, res) => {
        manifestHits.push(req.url ?? '');
        res.writeHead(404).end();
      },
      // 4. A public page that names files in the user's own network, one of which it never loads.
      '/hostile/proxy.html': htmlRoute(
        '<video id="loaded" src="{{other}}/internal/clip.mp4" width="480" height="270" autoplay muted loop playsinline></video>' +
          '<video id="never" src="{{other}}/internal/never.mp4" poster="{{other}}/internal/poster.jpg" preload="none" width="480" height="270"></video>',
      ),
      // 6. A server that answers the page's media request with an unsigned clip and the extension's fetch with a
      // camera-signed file: the extension verifies the bytes it fetched, which are not what plays.
      '/hostile/lying.html': htmlRoute(
        '<video src="/lying/clip.mp4" width="480" height="270" autoplay muted loop playsinline></video>',
      ),
      '/lying/clip.mp4': (req, _res, serve) =>
        serve(req.headers['sec-fetch-dest'] === 'video' ? '/media/c2pa/unsigned.mp4' : '/media/c2pa/camera.mp4'),
      // The same signed file, answered alike to both.
      '/hostile/honest.html': htmlRoute(
        '<video src="/honest/clip.mp4" width="480" height="270" autoplay muted loop playsinline></video>',
      ),
      '/honest/clip.mp4': (_req, _res, serve) => serve('/media/c2pa/camera.mp4'),
      // The same file again, at an address of its own (no judgement remembered from the honest page applies).
      '/covered/clip.mp4': (_req, _res, serve) => serve('/media/c2pa/camera.mp4'),
      // The signed file plays, but the page lays its own picture over it: the user sees something else.
      '/hostile/covered.html': htmlRoute(
        '<div style="position:relative;width:480px;height:270px">' +
          '<video src="/covered/clip.mp4" width="480" height="270" autoplay muted loop playsinline></video>' +
          '<div style="position:absolute;inset:0;pointer-events:none;background:linear-gradient(90deg,#0a0,#00a)"></div></div>',
      ),
      '/internal/clip.mp4': (_req, _res, serve) => serve('/media/small.mp4'),
      '/internal/never.mp4': (_req, _res, serve) => serve('/media/small.mp4'),
    },
  });
  port = server.port;
  const browser = await launchBrowser({ hostRules: [`MAP ${PUBLIC_HOST} 127.0.0.1:${port}`] });
  e2e = e2eOf(server, browser, () => {
    for (const res of dripping) res.destroy();
  });
  // The background writes its trust record when it first starts: anchors written before that would be overwritten.
  await vi.waitFor(async () => expect(await readTrustRecord(e2e.worker)).not.toBeNull(), {
    timeout: 30_000,
    interval: 200,
  });
}, 180_000);
afterAll(async () => {
  await e2e?.close();
});
// A test that fails must not leave its hostile tab behind to spoil the next one.
afterEach(async () => {
  for (const p of e2e.context.pages()) if (p.url().startsWith('http')) await p.close();
});

const judged = (v: VideoReport | undefined) => !!v && v.verdict !== 'pending' && v.framesAnalysed > 0;
const provenance = (v: VideoReport) => v.signals.find((s): s is ProvenanceSignal => s.kind === 'provenance');

describe('a server that drip-feeds the extension', () => {
  it('holds up only its own video: another tab’s video gets its verdict, and closing the tab stops the download', async () => {
    const { page: dripPage } = await openPage(e2e, '/hostile/drip.html');
    // The attack is under way: the extension's download of the file is being dripped.
    await expect
      .poll(() => e2e.requests.some((q) => q.path === '/drip/clip.mp4' && fromExtension(q) && q.range === null), {
        timeout: 60_000,
      })
      .toBe(true);
    const { page: other, tabId } = await openPage(e2e, '/hostile/normal.html');
    const r = await waitFor(e2e, tabId, (res) => judged(res.videos[0]), 60_000);
    expect(r.videos[0]!.verdict).not.toBe('pending');
    // Closing the hostile tab cancels its downloads: the dripping connections close.
    await dripPage.close();
    await expect
      .poll(
        () =>
          e2e.requests
            .filter((q) => q.path === '/drip/clip.mp4' && fromExtension(q))
            .every((q) => q.abortedAt !== null),
        { timeout: 30_000 },
      )
      .toBe(true);
    await other.close();
  }, 180_000);
});

describe('a data: flood', () => {
  it('keeps data: sources as a hash, and another tab still gets its verdict', async () => {
    const { page: flood, tabId: floodTab } = await openPage(e2e, '/hostile/data-flood.html');
    await expect.poll(async () => (await results(e2e, floodTab))?.videos.length ?? 0, { timeout: 30_000 }).toBe(2);
    // The tab that matters is the other one: it still gets its verdict.
    const { page: other, tabId } = await openPage(e2e, '/hostile/normal.html');
    await waitFor(e2e, tabId, (res) => judged(res.videos[0]), 60_000);
    const stored = (await results(e2e, floodTab)) as TabResults;
    for (const v of stored.videos) expect(v.src).toMatch(/^data:video\/mp4;sha256=[0-9a-f]{64}$/);
    await flood.close();
    await other.close();
  }, 180_000);
});

describe('a box bomb served to the extension', () => {
  it('is given up at the box cap without downloading it whole, and the signed clip beside it is still read', async () => {
    const { page, tabId } = await openPage(e2e, '/hostile/bomb.html');
    const r = await waitFor(
      e2e,
      tabId,
      (res) =>
        res.videos.length === 3 &&
        res.videos.every((v) => provenance(v) && provenance(v)?.hashVerified !== false) &&
        res.videos.every(judged) &&
        // The signed clip's declaration counts once its frames were compared with what the page shows.
        res.videos.some((v) => v.src.endsWith('/media/c2pa/ai-sora.mp4') && provenance(v)?.shown === 'matched'),
      120_000,
    );
    for (const path of ['/bomb/ranged.mp4', '/bomb/whole.mp4']) {
      const v = r.videos.find((x) => x.src.endsWith(path))!;
      expect(provenance(v)).toMatchObject({ state: 'error', detail: expect.stringMatching(/too many/) });
    }
    const sora = r.videos.find((x) => x.src.endsWith('/media/c2pa/ai-sora.mp4'))!;
    // Read whole and judged (its signer is on no list in use: likely AI), next to the bombs.
    expect(sora.verdict).toBe('likely-ai');
    // The Range walk stopped after a few windows, not 16 MB.
    expect(sentToExtension.get('/bomb/ranged.mp4') ?? 0).toBeLessThan(2 * 1024 * 1024);
    await page.close();
  }, 180_000);
});

describe('a poster whose XMP names a remote manifest', () => {
  it('is read from its own bytes only: the manifest server gets no request', async () => {
    const { page, tabId } = await openPage(e2e, '/hostile/remote-manifest.html');
    await waitFor(e2e, tabId, (res) => judged(res.videos[0]), 60_000);
    // The extension read the poster (the page loaded it), so c2pa-rs saw the XMP.
    await expect
      .poll(() => e2e.requests.some((q) => q.path === '/xmp/poster.jpg' && fromExtension(q)), { timeout: 30_000 })
      .toBe(true);
    // c2pa-rs reads a poster in well under a second; give an old build ample time to make its request.
    await page.waitForTimeout(8_000);
    expect(manifestHits).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('a public page that names addresses in the user’s network', () => {
  it('gets no request to them from the extension, loaded or not, and its verdict says nothing of their answers', async () => {
    const { page, tabId } = await openPage(e2e, `http://${PUBLIC_HOST}:${port}/hostile/proxy.html`);
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.length === 2 && judged(res.videos.find((v) => v.src.endsWith('/internal/clip.mp4'))),
      60_000,
    );
    await page.waitForTimeout(3_000);
    const internal = e2e.requests.filter((q) => q.path.startsWith('/internal/') && fromExtension(q));
    expect(internal).toEqual([]);
    // The page never loaded this one: nothing fetched it at all.
    expect(e2e.requests.filter((q) => q.path === '/internal/never.mp4')).toEqual([]);
    for (const v of r.videos) expect(v.reasons.join(' ')).not.toMatch(/HTTP|\b404\b|127\.0\.0\.1/);
    await page.close();
  }, 120_000);
});

describe('a server that answers the page and the extension with different files', () => {
  const shown = (v: VideoReport) => provenance(v)?.shown;
  // Read whole under the anchors just written (an earlier reading may land first), and compared with what plays.
  const settled = (v: VideoReport | undefined) =>
    judged(v) &&
    provenance(v!)?.state === 'valid' &&
    provenance(v!)?.hashVerified === true &&
    (shown(v!) === 'matched' || shown(v!) === 'differs');

  it('shows a verified capture when the page plays the camera-signed file the extension verified', async () => {
    await writeTrustAnchors(e2e.worker, anchors);
    const { page, tabId } = await openPage(e2e, '/hostile/honest.html');
    const r = await waitFor(e2e, tabId, (res) => settled(res.videos[0]), 90_000);
    const v = r.videos[0]!;
    expect(provenance(v)).toMatchObject({ state: 'valid', captureDevice: true, shown: 'matched' });
    expect(v.verdict).toBe('verified-capture');
    await page.close();
  }, 180_000);

  it('never says "Verified capture" of an unsigned clip whose server gave the extension a camera-signed file', async () => {
    await writeTrustAnchors(e2e.worker, anchors);
    const { page, tabId } = await openPage(e2e, '/hostile/lying.html');
    // The attack is made: the page got the unsigned clip, the extension the signed file.
    const r = await waitFor(e2e, tabId, (res) => settled(res.videos[0]), 90_000);
    const v = r.videos[0]!;
    expect(e2e.requests.some((q) => q.path === '/lying/clip.mp4' && q.fetchDest === 'video')).toBe(true);
    expect(provenance(v)).toMatchObject({ state: 'valid', captureDevice: true, hashVerified: true, shown: 'differs' });
    expect(v.verdict).not.toBe('verified-capture');
    expect(v.reasons.join(' ')).toMatch(/a file at this address, whose frames differ from what plays, claim a camera/);
    // Nor does the badge on the page say it.
    const labels = (await (await BadgeProbe.of(page)).all()).map((b) => b.label ?? '');
    expect(labels.length).toBe(1);
    expect(labels.filter((l) => /Verified capture/i.test(l))).toEqual([]);
    await writeTrustAnchors(e2e.worker, '');
    await page.close();
  }, 180_000);

  it('never says "Verified capture" of a signed video the page covers with a picture of its own', async () => {
    await writeTrustAnchors(e2e.worker, anchors);
    const { page, tabId } = await openPage(e2e, '/hostile/covered.html');
    // The element decodes the signed file, and hit-testing sees through the cover (pointer-events: none, inside
    // the player's box), but the screen shows the cover: what the screenshots show differs from the file.
    const r = await waitFor(e2e, tabId, (res) => settled(res.videos[0]), 90_000);
    const v = r.videos[0]!;
    expect(v.frames.some((f) => f.framePath === 'tab-capture' && f.shown === true)).toBe(true);
    expect(provenance(v)).toMatchObject({ state: 'valid', captureDevice: true, shown: 'differs' });
    expect(v.verdict).not.toBe('verified-capture');
    expect(v.reasons.join(' ')).toMatch(/a file at this address, whose frames differ from what plays, claim a camera/);
    await writeTrustAnchors(e2e.worker, '');
    await page.close();
  }, 180_000);
});
