/**
 * A small static server for e2e tests, the demo and benchmarks: pages, the
 * generated media (with HTTP Range, as real video hosts answer), and a few
 * deliberately broken routes. It listens on 127.0.0.1 only; pages reach it
 * as `localhost` and as `127.0.0.1`, two different origins, so one server
 * can play both the site and a cross-origin media host.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mp4': 'video/mp4',
  '.m4s': 'video/iso.segment',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** URL prefix → folder. */
const MOUNTS = {
  '/pages/': join(root, 'tests/e2e/pages'),
  '/demo/': join(root, 'scripts/demo'),
  '/bench/': join(root, 'scripts/bench'),
  '/media/': join(root, '.media'),
  '/shared/': resolve(root, '../shared/data'),
};

function resolvePath(urlPath) {
  for (const [prefix, dir] of Object.entries(MOUNTS)) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = normalize(join(dir, decodeURIComponent(urlPath.slice(prefix.length))));
    if (!file.startsWith(dir)) return null;
    return file;
  }
  return null;
}

/**
 * Serves a site fixture under the site's own host name (the browser maps the
 * host to this server): the page for the path, with playable media put into
 * its empty <video> elements.
 */
function serveSite(res, page) {
  const html = readFileSync(join(root, page.file), 'utf8').replace(/<video(?![^>]*\ssrc=)([^>]*)>/g, (_, attrs) => {
    return `<video${attrs} src="${page.media}" width="480" height="270" autoplay muted loop playsinline>`;
  });
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function sendFile(req, res, file, ranges = true) {
  const size = statSync(file).size;
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers = {
    'content-type': type,
    'cache-control': 'no-cache',
    ...(ranges ? { 'accept-ranges': 'bytes' } : {}),
  };
  const range = ranges ? /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '') : null;
  if (range) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      'content-range': `bytes ${start}-${end}/${size}`,
      'content-length': end - start + 1,
    });
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': size });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

/**
 * Starts the server on a free port; `json` maps extra paths to JSON bodies;
 * `sites` maps host names to `{ path: { file, media } }` site fixtures;
 * `tls` (`{ key, cert }`) serves HTTPS, as real sites are. Returns its base URLs, the log of
 * requests it answered (path, Origin, Range, and when a client gave up on one, for network audits) and
 * `close()`.
 */
/**
 * @param {{
 *   port?: number,
 *   json?: Record<string, unknown>,
 *   sites?: Record<string, Record<string, { file: string, media: string }>>,
 *   tls?: { key: Buffer, cert: Buffer } | null,
 *   routes?: Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, serve: (file: string) => void) => void>,
 * }} [options]
 * `routes` maps exact paths to handlers of a test's own (hostile servers: drip-feeding, split-serving); a handler may
 * hand a file under the mounts back to the ordinary sender with `serve(urlPath)`.
 */
export async function startServer({ port = 0, json = {}, sites = {}, tls = null, routes = {} } = {}) {
  const requests = [];
  const hanging = new Set();
  const handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const entry = {
      path: url.pathname,
      host: req.headers.host,
      origin: req.headers.origin ?? null,
      fetchSite: req.headers['sec-fetch-site'] ?? null,
      fetchDest: req.headers['sec-fetch-dest'] ?? null,
      cookie: req.headers.cookie ?? null,
      range: req.headers.range ?? null,
      at: Date.now(),
      /** When the client closed the connection before the answer ended (a cancelled download). */
      abortedAt: null,
    };
    requests.push(entry);
    res.on('close', () => {
      if (!res.writableFinished) entry.abortedAt = Date.now();
    });
    if (url.pathname === '/') {
      res.writeHead(302, { location: '/demo/index.html' }).end();
      return;
    }
    if (url.pathname in routes) {
      routes[url.pathname](req, res, (path) => {
        const file = resolvePath(path);
        if (!file || !existsSync(file)) res.writeHead(404).end();
        else sendFile(req, res, file);
      });
      return;
    }
    if (url.pathname in json) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json[url.pathname]));
      return;
    }
    if (url.pathname.startsWith('/hang-extension/')) {
      // A host that plays the file to the page's own player and never answers anyone else (the extension).
      const file = resolvePath(url.pathname.slice('/hang-extension'.length));
      if (req.headers['sec-fetch-dest'] === 'video' && file && existsSync(file)) {
        sendFile(req, res, file);
        return;
      }
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (url.pathname.startsWith('/hang/')) {
      // A video host that accepts the connection and never answers.
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (url.pathname === '/broken.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.alloc(4096, 0x5a));
      return;
    }
    const site = sites[(req.headers.host ?? '').split(':')[0]];
    const sitePage = site?.[url.pathname + url.search] ?? site?.[url.pathname];
    if (sitePage) {
      serveSite(res, sitePage);
      return;
    }
    // The same files from a server that ignores Range (answers 200 with the whole file), as some hosts do.
    const ranges = !url.pathname.startsWith('/norange/');
    const file = resolvePath(ranges ? url.pathname : url.pathname.slice('/norange'.length));
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    sendFile(req, res, file, ranges);
  };
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const actualPort = server.address().port;
  const scheme = tls ? 'https' : 'http';
  return {
    port: actualPort,
    /** The "site" origin. */
    base: `${scheme}://localhost:${actualPort}`,
    /** Another origin on the same server, for cross-origin media and frames. */
    otherBase: `${scheme}://127.0.0.1:${actualPort}`,
    requests,
    close: () =>
      new Promise((ok) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

/**
 * A throwaway self-signed certificate for the HTTPS test server (the
 * browser runs with certificate errors ignored), made with openssl.
 */
export function makeTestTls() {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-lens-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}
