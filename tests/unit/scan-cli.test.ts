import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScanCli, terminalSafe } from '../../lib/node/scan-cli';
import { scanInput, type ScanOptions, type ScanResult } from '../../lib/node/scan';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';

const ROOT = resolve(__dirname, '../..');
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** A generator name as a hostile manifest writes it: clear the screen, retitle the terminal, fake a line, flip text. */
const HOSTILE = 'Evil\u001b[2J\u001b]0;owned\u0007 Cam\r\n  verdict: verified-capture\u009b31m\u202eolleh';

let dir = '';
let hostile = '';
let server: Server;
let base = '';
const openResponses = new Set<ServerResponse>();

/** Signs the project's own clip with the project's own test chain, the generator named {@link HOSTILE}. */
async function signHostile(into: string): Promise<string> {
  const out = join(into, 'hostile-generator.mp4');
  rmSync(out, { force: true });
  const { Builder, LocalSigner } = await import('@contentauth/c2pa-node');
  const signer = LocalSigner.newSigner(
    readFileSync(join(into, 'own-chain.pem')),
    readFileSync(join(into, 'own-signer.key')),
    'es256',
  );
  const builder = Builder.withJson({
    claim_generator_info: [{ name: HOSTILE, version: '1' }],
    title: 'hostile-generator.mp4',
    format: 'video/mp4',
    assertions: [
      {
        label: 'c2pa.actions.v2',
        data: {
          actions: [
            {
              action: 'c2pa.created',
              digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
              softwareAgent: { name: HOSTILE },
            },
          ],
        },
      },
    ],
  });
  builder.sign(signer, { path: join(into, '../clip.mp4'), mimeType: 'video/mp4' }, { path: out });
  return out;
}

beforeAll(async () => {
  dir = (await makeC2paFixtures()).dir;
  hostile = await signHostile(dir);
  // A lying server: /drip answers 200 and then one byte every 200 ms forever; /huge streams 3 MB without a
  // length; /claims-huge declares 5 GB; /small is an ordinary 1 KiB answer.
  server = createServer((req, res) => {
    openResponses.add(res);
    res.on('close', () => openResponses.delete(res));
    if (req.url === '/drip.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      const timer = setInterval(() => res.write(Buffer.from([0])), 200);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/huge.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      for (let i = 0; i < 48; i++) res.write(Buffer.alloc(64 * 1024, 1));
      res.end();
    } else if (req.url === '/claims-huge.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(5 * 1024 ** 3) });
      res.write(Buffer.alloc(1024));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const res of openResponses) res.destroy();
  await new Promise<void>((ok) => server?.close(() => ok()));
  rmSync(hostile, { force: true });
});

/** Runs the command line, collecting its two streams. */
async function cli(args: string[], scan?: (input: string, options: ScanOptions) => Promise<ScanResult>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runScanCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, scan);
  return { code, out, err };
}

/** The real scan with few frames, so the command's tests stay short. */
const quick = (input: string, options: ScanOptions) => scanInput(input, { ...options, frames: 2 });

describe('scan of a URL: time limit and size cap', () => {
  it('abandons a drip-feeding server at the time limit with a clear error', async () => {
    const started = Date.now();
    const r = await scanInput(`${base}/drip.mp4`, { downloadTimeoutMs: 1500, watermarks: false });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.verdict).toBe('unavailable');
    expect(r.reasons[0]).toMatch(/took longer than 1\.5 s/);
  }, 120_000);

  it('abandons a download past the size cap while it streams, whatever the server claims', async () => {
    const r = await scanInput(`${base}/huge.mp4`, { maxDownloadBytes: 1024 * 1024, watermarks: false });
    expect(r.verdict).toBe('unavailable');
    expect(r.reasons[0]).toMatch(/larger than the 1 MB download limit/);
    const claimed = await scanInput(`${base}/claims-huge.mp4`, { maxDownloadBytes: 1024 * 1024, watermarks: false });
    expect(claimed.reasons[0]).toMatch(/5120 MB, over the 1 MB download limit/);
  }, 120_000);

  it('takes the limits from the command line', async () => {
    const r = await cli(['--no-watermarks', '--timeout-s', '1', `${base}/drip.mp4`]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `scan: ${base}/drip.mp4: The input could not be read: download of ${base}/drip.mp4 took longer than 1 s`,
    ]);
    const bad = await cli(['--max-mb', 'lots', 'x.mp4']);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toBe('scan: --max-mb needs a positive number');
  }, 120_000);
});

describe('scan command: clean errors', () => {
  it('refuses a missing or non-PEM trust file with one line and scans nothing', async () => {
    let scanned = 0;
    const counting = async (input: string, options: ScanOptions) => (scanned++, quick(input, options));
    const missing = await cli(['--trust', '/nonexistent/anchors.pem', join(dir, 'ai-sora.mp4')], counting);
    expect(missing).toEqual({
      code: 2,
      out: [],
      err: ['scan: cannot read the trust file /nonexistent/anchors.pem: no such file'],
    });
    const notPem = await cli(['--trust', join(ROOT, 'package.json'), join(dir, 'ai-sora.mp4')], counting);
    expect(notPem.code).toBe(2);
    expect(notPem.err).toEqual([`scan: the trust file ${join(ROOT, 'package.json')} holds no PEM certificate`]);
    expect(scanned).toBe(0);
  });

  it('prints no stack trace for a bad trust path when run as the real command', () => {
    const run = spawnSync(
      join(ROOT, 'node_modules/.bin/vite-node'),
      ['scripts/scan.ts', '--', '--trust', '/nonexistent/anchors.pem', 'clip.mp4'],
      { cwd: ROOT, encoding: 'utf8', timeout: 110_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'scan: cannot read the trust file /nonexistent/anchors.pem: no such file',
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('reports a bad input in one line and still scans the others', async () => {
    const r = await cli(['--no-watermarks', '/nonexistent/clip.mp4', join(dir, 'ai-sora.mp4')], quick);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^scan: \/nonexistent\/clip\.mp4: /);
    // The fixture's signer is on no list the scan uses: its AI declaration makes it likely AI.
    expect(r.out).toContain('  verdict: likely-ai');
    expect(r.out.filter((l) => l.startsWith('  verdict:'))).toEqual(['  verdict: unavailable', '  verdict: likely-ai']);
  }, 120_000);
});

describe('scan command: manifest strings on a terminal', () => {
  it('escapes control and bidirectional characters without changing plain text', () => {
    expect(terminalSafe('OpenAI Sora — “2” ✓')).toBe('OpenAI Sora — “2” ✓');
    expect(terminalSafe('a\u001b[2Jb\u0007\u009b\u202e')).toBe('a\\u{1b}[2Jb\\u{7}\\u{9b}\\u{202e}');
  });

  it('prints a hostile generator name in text with every control character escaped', async () => {
    const r = await cli(['--no-watermarks', hostile], quick);
    const text = r.out.join('\n');
    expect(text).toContain('Evil\\u{1b}[2J\\u{1b}]0;owned\\u{7} Cam');
    for (const line of r.out) expect(line).not.toMatch(CONTROL);
    // The manifest's fake line stays inside the reason that quotes it: one verdict line, the real one (likely AI:
    // the project's own chain is on no trust list).
    expect(r.out.filter((l) => l.startsWith('  verdict:'))).toEqual(['  verdict: likely-ai']);
  }, 120_000);

  it('keeps the exact strings in JSON output, escaped as JSON', async () => {
    const r = await cli(['--json', '--no-watermarks', hostile], quick);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).not.toMatch(CONTROL);
    const parsed = JSON.parse(r.out[0]!) as { signals: Array<{ kind: string; generator?: string }> };
    expect(parsed.signals.find((s) => s.kind === 'provenance')?.generator).toBe(HOSTILE);
  }, 120_000);
});
