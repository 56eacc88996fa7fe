/**
 * `node scripts/bench/classifier.mjs [--runs N]`: per-frame latency and memory of the AI-frame classifier in
 * Debian's Chromium (headless), with onnxruntime-web wasm on one thread as the offscreen document runs it:
 * the extension's preprocessing (lib/analysis/classifier/preprocess.ts, bundled here) on a 256×144 RGBA frame,
 * then the model. Prints JSON and writes artifacts/bench-classifier.json; BENCHMARKS.md quotes it.
 * Needs no built extension.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM, isMain, machineFacts, median, options, quantile, ROOT, writeArtifact } from './lib/runner.mjs';

/** Runs the classifier `runs` times (after five warm-up runs) in a fresh headless Chromium; returns the figures. */
export async function measureClassifier(runs = 40) {
  const meta = JSON.parse(readFileSync(join(ROOT, 'public/models/classifier.json'), 'utf8'));
  const bundle = await build({
    stdin: {
      contents: `export { classifierInput } from './lib/analysis/classifier/preprocess';
  export * as ort from 'onnxruntime-web/wasm';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const ortDist = join(ROOT, 'node_modules/onnxruntime-web/dist');
  const page = `<!doctype html><script type="module">
  import { classifierInput, ort } from '/bundle.mjs';
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = '/ort/';
  window.bench = async (runs, size) => {
    const bytes = new Uint8Array(await (await fetch('/classifier.onnx')).arrayBuffer());
    const heap0 = performance.memory ? performance.memory.usedJSHeapSize : null;
    const tLoad = performance.now();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const loadMs = performance.now() - tLoad;
    const w = 256, h = 144, rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 2654435761) >>> 24;
    const once = async () => {
      const t0 = performance.now();
      const input = classifierInput(rgba, w, h, size);
      const t1 = performance.now();
      const out = await session.run({ frame: new ort.Tensor('float32', input, [1, 3, size, size]) });
      const t2 = performance.now();
      out.logit.dispose();
      return [t1 - t0, t2 - t1];
    };
    for (let i = 0; i < 5; i++) await once();
    const pre = [], inf = [], total = [];
    for (let i = 0; i < runs; i++) { const [a, b] = await once(); pre.push(a); inf.push(b); total.push(a + b); }
    const heap1 = performance.memory ? performance.memory.usedJSHeapSize : null;
    return { pre, inf, total, loadMs, heapDeltaBytes: heap0 === null ? null : heap1 - heap0 };
  };
  window.ready = true;
  </script>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (type, body) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/') return send('text/html', page);
    if (url.pathname === '/bundle.mjs') return send('text/javascript', bundle.outputFiles[0].contents);
    if (url.pathname === '/classifier.onnx')
      return send('application/octet-stream', readFileSync(join(ROOT, 'public/models/classifier.onnx')));
    if (url.pathname.startsWith('/ort/')) {
      const file = join(ortDist, url.pathname.slice(5));
      return send(file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript', readFileSync(file));
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const browserServer = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--enable-precise-memory-info'],
  });
  const rssOf = () => {
    // Resident memory of the whole browser (all its processes), in bytes.
    const pid = browserServer.process().pid;
    const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss=']).toString().trim().split('\n');
    const rows = out.map((l) => l.trim().split(/\s+/).map(Number));
    const family = new Set([pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [p, pp] of rows) {
        if (family.has(pp) && !family.has(p)) {
          family.add(p);
          grew = true;
        }
      }
    }
    return rows.filter(([p]) => family.has(p)).reduce((s, [, , rss]) => s + rss * 1024, 0);
  };
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => window.ready === true);
  const rss0 = rssOf();
  const r = await tab.evaluate(([n, s]) => window.bench(n, s), [runs, meta.inputSize]);
  const rss1 = rssOf();
  const version = await browser.version();
  await browser.close();
  await browserServer.close();
  server.close();
  const m = machineFacts();
  return {
    date: m.date,
    machine: `${m.cores} × ${m.cpu} (shared with other jobs)`,
    browser: `Chromium ${version} headless, onnxruntime-web wasm, numThreads 1`,
    model: `${meta.name}@${meta.version}, ${readFileSync(join(ROOT, 'public/models/classifier.onnx')).length} bytes, input ${meta.inputSize}`,
    runs,
    medianMs: { preprocess: median(r.pre), inference: median(r.inf), total: median(r.total) },
    p90Ms: { total: quantile(r.total, 0.9) },
    sessionLoadMs: r.loadMs,
    browserRssIncreaseBytes: rss1 - rss0,
    jsHeapIncreaseBytes: r.heapDeltaBytes,
  };
}

if (isMain(import.meta.url)) {
  const result = await measureClassifier(options().number('runs', 40));
  writeArtifact('artifacts/bench-classifier.json', result, 1);
  console.log(JSON.stringify(result, null, 1));
}
