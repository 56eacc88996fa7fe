import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../lib/reporting/bundle';
import { sendBundle, wireBundle } from '../../../lib/reporting/sender';
import { authorised, parseAllowedOrigin, startReceiver } from '../../../tools/report-receiver/receiver';
import { makeJpegs, sampleVideo, SOFTWARE } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'pl-receiver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report() {
  return buildBundle({
    video: sampleVideo(),
    page: { url: 'https://www.example.org/watch', title: 'Title' },
    form: { reason: 'misleading-news', notes: '', includeFrames: true },
    frames: makeJpegs(['blue']).map((jpeg) => ({ mediaTime: 1, jpeg })),
    software: SOFTWARE,
  });
}

describe('reference receiver', () => {
  it('stores a valid bundle sent by the extension’s sender, after retrying its 503', async () => {
    const receiver = await startReceiver({ dir, failFirst: 1 });
    try {
      const r = await report();
      const outcome = await sendBundle(new URL(receiver.url), r, { baseDelayMs: 10, token: receiver.token });
      expect(outcome).toMatchObject({ ok: true, status: 201, attempts: 2 });
      expect(receiver.received.map((x) => x.bundle.id)).toEqual([r.bundle.id]);
      const stored = join(dir, r.bundle.id);
      expect(readFileSync(join(stored, 'frames/01.jpg'))).toEqual(Buffer.from(r.frames[0]!));
      expect(JSON.parse(readFileSync(join(stored, 'manifest.json'), 'utf8')).frames[0].data).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('refuses bundles that break the schema or whose frames do not match their hashes', async () => {
    const receiver = await startReceiver();
    try {
      const r = await report();
      const post = (body: unknown, type = 'application/json') =>
        fetch(receiver.url, {
          method: 'POST',
          headers: { 'content-type': type, authorization: `Bearer ${receiver.token}` },
          body: JSON.stringify(body),
        });
      const tampered = wireBundle(r);
      tampered.frames[0]!.data = Buffer.from('not the frame').toString('base64');
      const answer = await post(tampered);
      expect(answer.status).toBe(422);
      expect((await answer.json()).problems.join(' ')).toMatch(/SHA-256 differs/);
      expect((await post({ ...wireBundle(r), version: 9 })).status).toBe(422);
      expect((await post(wireBundle(r), 'text/plain')).status).toBe(415);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

const EXTENSION = `chrome-extension://${'abcdefghijklmnopabcdefghijklmnop'}`;

describe('reference receiver: as an attacker would use it', () => {
  it('refuses a request without the token, or with a wrong one, and stores nothing', async () => {
    const receiver = await startReceiver({ dir });
    try {
      const r = await report();
      const send = (authorization?: string) =>
        fetch(receiver.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify(wireBundle(r)),
        });
      expect((await send()).status).toBe(401);
      expect((await send(`Bearer ${receiver.token}x`)).status).toBe(401);
      expect((await send(`Basic ${receiver.token}`)).status).toBe(401);
      expect((await send('Bearer ')).status).toBe(401);
      expect((await fetch(receiver.url)).status).toBe(401);
      expect(receiver.received).toEqual([]);
      expect(receiver.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await send(`Bearer ${receiver.token}`)).status).toBe(201);
    } finally {
      await receiver.close();
    }
  });

  it('makes a new random token at each start unless given one', async () => {
    const [a, b] = [await startReceiver(), await startReceiver()];
    const given = await startReceiver({ token: 'a-token-of-our-own-choice' });
    try {
      expect(a.token).not.toBe(b.token);
      expect(given.token).toBe('a-token-of-our-own-choice');
      await expect(startReceiver({ token: 'short' })).rejects.toThrow(/at least 16/);
    } finally {
      await Promise.all([a.close(), b.close(), given.close()]);
    }
    expect(authorised('Bearer abcdefghijklmnopq', 'abcdefghijklmnopq')).toBe(true);
    expect(authorised('Bearer abcdefghijklmnop', 'abcdefghijklmnopq')).toBe(false);
    expect(authorised(undefined, 'abcdefghijklmnopq')).toBe(false);
  });

  it('never overwrites a report re-sent with the same id: 409, first copy kept', async () => {
    const store = mkdtempSync(join(tmpdir(), 'pl-receiver-dup-'));
    try {
      const receiver = await startReceiver({ dir: store });
      const first = await report();
      const forged = wireBundle(first);
      forged.notes = 'overwritten by someone else';
      const post = (body: unknown, to = receiver) =>
        fetch(to.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${to.token}` },
          body: JSON.stringify(body),
        });
      expect((await post(wireBundle(first))).status).toBe(201);
      expect((await post(forged)).status).toBe(409);
      await receiver.close();
      // A restarted receiver on the same folder holds the stored id too.
      const restarted = await startReceiver({ dir: store });
      expect((await post(forged, restarted)).status).toBe(409);
      await restarted.close();
      expect(JSON.parse(readFileSync(join(store, first.bundle.id, 'manifest.json'), 'utf8')).notes).toBe('');
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });

  it('answers CORS only to the extension origins it was given, never with a wildcard', async () => {
    const open = await startReceiver();
    const pinned = await startReceiver({ allowedOrigins: [EXTENSION] });
    try {
      const preflight = (url: string, origin: string) =>
        fetch(url, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          },
        });
      for (const origin of ['https://evil.example', EXTENSION, 'null']) {
        const answer = await preflight(open.url, origin);
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      }
      expect(
        (await preflight(pinned.url, 'https://evil.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
      const allowed = await preflight(pinned.url, EXTENSION);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(EXTENSION);
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(() => parseAllowedOrigin('*')).toThrow(/not an extension origin/);
      expect(() => parseAllowedOrigin('https://evil.example')).toThrow(/not an extension origin/);
      expect(parseAllowedOrigin('moz-extension://0a1b2c3d-0000-4000-8000-00000000abcd')).toMatch(/^moz-extension/);
    } finally {
      await Promise.all([open.close(), pinned.close()]);
    }
  });
});

describe('report sender: as a lying endpoint would answer', () => {
  it('does not follow a redirect (an HTTPS endpoint could send the bundle and its token to plain HTTP)', async () => {
    const target = await startReceiver();
    // The "endpoint" answers every POST with 307 (which keeps the method and body) to another server.
    const redirector = createServer((_req, res) => res.writeHead(307, { location: target.url }).end());
    await new Promise<void>((ok) => redirector.listen(0, '127.0.0.1', ok));
    try {
      const { port } = redirector.address() as AddressInfo;
      const outcome = await sendBundle(new URL(`http://127.0.0.1:${port}/reports`), await report(), {
        token: target.token,
        attempts: 1,
      });
      expect(outcome.ok).toBe(false);
      expect(target.log).toEqual([]);
      expect(target.received).toEqual([]);
    } finally {
      await target.close();
      await new Promise<void>((ok) => redirector.close(() => ok()));
    }
  });

  it('gives up on a try that takes longer than its time limit', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      const outcome = await sendBundle(new URL(`http://127.0.0.1:${port}/reports`), await report(), {
        attempts: 1,
        timeoutMs: 300,
      });
      expect(outcome).toMatchObject({ ok: false, status: null, attempts: 1 });
      expect(!outcome.ok && outcome.error).toMatch(/timed out/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((ok) => silent.close(() => ok()));
    }
  }, 60_000);
});
