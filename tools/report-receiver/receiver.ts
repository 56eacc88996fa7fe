import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { type ReportBundle, validateBundle } from '../../lib/reporting/schema';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A bundle the receiver accepted. */
export interface ReceivedReport {
  bundle: ReportBundle;
  receivedAt: string;
  origin: string | null;
  dir: string | null;
}

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  port?: number;
  host?: string;
  /** Where bundles are stored (`<dir>/<id>/manifest.json` and `frames/`); kept in memory only without it. */
  dir?: string;
  /** PEM key and certificate: serve HTTPS, as the extension requires. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Answer the first N valid requests with 503 (to exercise the sender's retries). */
  failFirst?: number;
  /** The bearer token every request must carry; a random one is made when absent (see {@link Receiver.token}). */
  token?: string;
  /**
   * Extension origins (`chrome-extension://<id>`, `moz-extension://<uuid>`) whose pages may read the answers
   * (CORS); none by default. No wildcard: any other origin gets no CORS header at all.
   */
  allowedOrigins?: readonly string[];
}

/** A running receiver. */
export interface Receiver {
  url: string;
  /** The bearer token it accepts (the one given, or the one it made). */
  token: string;
  received: ReceivedReport[];
  /** Every request, valid or not, with the status it got. */
  log: Array<{ method: string; path: string; status: number; problems: string[] }>;
  close: () => Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Problems beyond the schema: each frame's data must decode to the bytes and hash the manifest states. */
export function checkFrames(bundle: ReportBundle): string[] {
  const problems: string[] = [];
  for (const [i, frame] of bundle.frames.entries()) {
    if (frame.data === undefined) {
      problems.push(`$.frames[${i}]: no data`);
      continue;
    }
    const bytes = Buffer.from(frame.data, 'base64');
    if (bytes.length !== frame.bytes)
      problems.push(`$.frames[${i}]: ${bytes.length} bytes, manifest says ${frame.bytes}`);
    if (createHash('sha256').update(bytes).digest('hex') !== frame.sha256)
      problems.push(`$.frames[${i}]: SHA-256 differs`);
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) problems.push(`$.frames[${i}]: not a JPEG`);
  }
  return problems;
}

/** A fresh random bearer token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Checks an origin given to `--allow-origin`: an extension's origin only; throws otherwise. */
export function parseAllowedOrigin(text: string): string {
  if (/^chrome-extension:\/\/[a-p]{32}$/.test(text) || /^moz-extension:\/\/[0-9a-f-]{36}$/.test(text)) return text;
  throw new Error(
    `not an extension origin: ${JSON.stringify(text)} (expected chrome-extension://<32 letters a-p> or moz-extension://<uuid>)`,
  );
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function authorised(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  // Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

/** Stores a bundle under its id; returns null when that id is stored already (a report is never overwritten). */
function store(dir: string, bundle: ReportBundle): string | null {
  const target = join(dir, bundle.id);
  mkdirSync(dir, { recursive: true });
  try {
    // Not recursive: creating the report's folder is the atomic claim on its id.
    mkdirSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
  mkdirSync(join(target, 'frames'));
  for (const frame of bundle.frames) writeFileSync(join(target, frame.file), Buffer.from(frame.data ?? '', 'base64'));
  const manifest = { ...bundle, frames: bundle.frames.map(({ data: _data, ...rest }) => rest) };
  writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return target;
}

/**
 * The reference receiver for report bundles: `POST /reports` with a bundle
 * as JSON and `Authorization: Bearer <token>`, validated against
 * `lib/reporting/report-bundle.schema.json` and its frames' hashes; 201 with
 * the report id when valid, 401 without the token, 409 for an id it holds
 * already (never overwritten), 400/413/415/422 with the problems otherwise.
 * CORS headers go only to the extension origins it was given.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const received: ReceivedReport[] = [];
  const ids = new Set<string>();
  const log: Receiver['log'] = [];
  const token = options.token ?? newToken();
  if (!/^[\x21-\x7e]{16,}$/.test(token))
    throw new Error('the token must be at least 16 visible ASCII characters, without spaces');
  const origins = new Set((options.allowedOrigins ?? []).map(parseAllowedOrigin));
  let failuresLeft = options.failFirst ?? 0;
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    const origin = req.headers.origin;
    const answer = (status: number, body: unknown, problems: string[] = []) => {
      log.push({ method: req.method ?? '', path, status, problems });
      res.writeHead(status, {
        'content-type': 'application/json',
        vary: 'origin',
        ...(origin && origins.has(origin)
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-headers': 'authorization, content-type, x-report-schema',
              'access-control-allow-methods': 'POST, OPTIONS',
            }
          : {}),
      });
      res.end(JSON.stringify(body));
    };
    // A preflight carries no credentials by design; it learns only which origins may ask.
    if (req.method === 'OPTIONS') return answer(204, null);
    if (path !== '/reports') return answer(404, { error: 'not found' });
    if (!authorised(req.headers.authorization, token)) {
      res.setHeader('www-authenticate', 'Bearer');
      return answer(401, { error: 'a valid bearer token is required' });
    }
    if (req.method === 'GET')
      return answer(
        200,
        received.map((r) => r.bundle.id),
      );
    if (req.method !== 'POST') return answer(405, { error: 'POST a report bundle' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return answer(415, { error: 'expected application/json' });
    }
    let text: Buffer;
    try {
      text = await readBody(req);
    } catch {
      return answer(413, { error: `larger than ${MAX_BODY_BYTES} bytes` });
    }
    let value: unknown;
    try {
      value = JSON.parse(text.toString('utf8'));
    } catch {
      return answer(400, { error: 'not JSON' });
    }
    const problems = validateBundle(value);
    if (problems.length === 0) problems.push(...checkFrames(value as ReportBundle));
    if (problems.length > 0) return answer(422, { error: 'not a valid report bundle', problems }, problems);
    if (failuresLeft > 0) {
      failuresLeft--;
      return answer(503, { error: 'try again' });
    }
    const bundle = value as ReportBundle;
    if (ids.has(bundle.id)) return answer(409, { error: `report ${bundle.id} was received already` });
    const dir = options.dir ? store(options.dir, bundle) : null;
    if (dir === null && options.dir) return answer(409, { error: `report ${bundle.id} is stored already` });
    ids.add(bundle.id);
    received.push({ bundle, receivedAt: new Date().toISOString(), origin: origin ?? null, dir });
    return answer(201, { id: bundle.id, stored: true });
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok) => server.listen(options.port ?? 0, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}/reports`,
    token,
    received,
    log,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
