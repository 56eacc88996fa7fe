import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../lib/reporting/bundle';
import { sendBundle, wireBundle } from '../../../lib/reporting/sender';
import { startReceiver } from '../../../tools/report-receiver/receiver';
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
      const outcome = await sendBundle(new URL(receiver.url), r, { baseDelayMs: 10 });
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
        fetch(receiver.url, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
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
