import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeC2paReader, readProvenance } from '../../../lib/node/provenance';
import { jpegNamingRemoteManifest } from '../../../scripts/c2pa/remote-manifest-jpeg.mjs';
import type { TrustSet } from '../../../lib/provenance/trust';

/** No trust list: the point is what is fetched, not who signed. */
const NO_TRUST: TrustSet = { sources: [], key: 'none' };

// The attacker: a file whose XMP names a manifest on a server it controls, which counts every request.
const hits: string[] = [];
const server = createServer((req, res) => {
  hits.push(req.url ?? '');
  res.writeHead(404).end();
});
let file = '';
let manifestUrl = '';

beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  manifestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cloud/manifest.c2pa`;
  file = join(mkdtempSync(join(tmpdir(), 'remote-manifest-')), 'remote.jpg');
  writeFileSync(file, jpegNamingRemoteManifest(manifestUrl));
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('a file naming a remote manifest (Node path, as `npm run scan` reads)', () => {
  it('never fetches the remote manifest and says so without repeating its address', async () => {
    const signal = await readProvenance(file, 'image/jpeg', NO_TRUST);
    expect(hits).toEqual([]);
    expect(signal.state).toBe('error');
    expect(signal.detail).toMatch(/stored elsewhere, which are never fetched/);
    expect(signal.detail).not.toContain('127.0.0.1');
  }, 60_000);

  it('the reader the checker uses does not fetch it either', async () => {
    const bytes = jpegNamingRemoteManifest(manifestUrl);
    await new NodeC2paReader().read('image/jpeg', new Blob([new Uint8Array(bytes)]), NO_TRUST).catch(() => null);
    expect(hits).toEqual([]);
  }, 60_000);
});
