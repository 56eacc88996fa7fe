/**
 * What every benchmark under scripts/bench/ shares: the repository root, command-line options, the machine's facts,
 * summary statistics, launching Chromium, reading a tab's results and its badges (from outside the page: their roots
 * are closed to it), and writing figures into BENCHMARKS.md and artifacts/. Each benchmark is one file exporting its
 * measurement and its Markdown; `index.mjs` runs them all.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchBrowser, readTabResults, tabIdOf } from '../../lib/browser.mjs';
import { startServer } from '../../lib/server.mjs';

export { fmt, median, quantile } from '../../lib/stats.mjs';
export { CHROMIUM, EXTENSION_DIR, launchBrowser, readTabResults, tabIdOf } from '../../lib/browser.mjs';
export { BadgeProbe } from '../../lib/badge-probe.mjs';
export { startServer } from '../../lib/server.mjs';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Whether the module at `metaUrl` is the script node was started with (not imported by `index.mjs`). */
export function isMain(metaUrl) {
  return !!process.argv[1] && resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

/**
 * When the module at `metaUrl` is the script node was started with: starts the test server, runs `measure` with it
 * and the command line's options, prints what it returns (Markdown lines, or anything as JSON) and stops the server.
 * Nothing is written: `index.mjs` writes the figures.
 */
export async function runAlone(metaUrl, measure) {
  if (!isMain(metaUrl)) return;
  const server = await startServer();
  try {
    const out = await measure(server, options());
    console.log(Array.isArray(out) ? out.join('\n') : JSON.stringify(out, null, 2));
  } finally {
    await server.close();
  }
}

/** Reads `--name value` options and `--flag` switches from `argv` (the command line by default). */
export function options(argv = process.argv.slice(2)) {
  const value = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  return {
    argv,
    has: (name) => argv.includes(`--${name}`),
    value,
    /** A number option; the fallback where it is absent or not a positive number. */
    number: (name, fallback) => Number(value(name, undefined)) || fallback,
  };
}

/** The date of the run, YYYY-MM-DD. */
export const today = () => new Date().toISOString().slice(0, 10);

/** The machine's facts, for the record of a run. */
export function machineFacts() {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(CHROMIUM, ['--version']).toString().trim();
  } catch {
    // Reported as unknown.
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium,
    loadAverage: Number(loadavg()[0].toFixed(1)),
    date: new Date().toISOString(),
  };
}

/** The machine in one line: cores, CPU, memory, Node and (with `browser`) Chromium. */
export function machine({ browser = true } = {}) {
  const m = machineFacts();
  const base = `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB RAM, Node ${m.node}`;
  return browser ? `${base}, ${m.chromium}` : base;
}

/** "three runs" and the like: a heading says how many runs its figures hold (fewer when run alone with fewer). */
export function runsWord(n) {
  return `${['no', 'one', 'two', 'three', 'four', 'five'][n] ?? n} run${n === 1 ? '' : 's'}`;
}

/** The first line of a written section: when, where and by which command the figures were measured. */
export function measuredLine(command, after = '') {
  return `Measured ${today()} on ${machine()}, headless, by \`${command}\`${after}.`;
}

/**
 * Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in BENCHMARKS.md (the whole
 * "Latest run" block, `<!-- bench:start -->`, when NAME is empty), appending the section where it is missing, and
 * keeps the file in the project's format (aligned tables).
 */
export function writeSection(name, md) {
  const path = join(ROOT, 'BENCHMARKS.md');
  const tag = name ? `bench:${name}` : 'bench';
  const start = `<!-- ${tag}:start -->`;
  const end = `<!-- ${tag}:end -->`;
  const current = readFileSync(path, 'utf8');
  const block = `${start}\n\n${md}\n\n${end}`;
  const next = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => block)
    : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
  execFileSync('npx', ['prettier', '--write', path], { cwd: ROOT, stdio: 'ignore' });
}

/** Writes `data` as JSON to `path`, relative to the repository root (artifacts/… by convention). */
export function writeArtifact(path, data, indent = 2) {
  const file = join(ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, indent));
  return file;
}

/** Builds the extension unless the command line says `--no-build` (`npm run bench` builds once, first). */
export function buildUnlessTold(argv = process.argv.slice(2)) {
  if (!argv.includes('--no-build')) execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** Runs `use` with a fresh browser (see `launchBrowser`), which is closed afterwards whatever happens. */
export async function withBrowser(launchOptions, use) {
  const browser = await launchBrowser(launchOptions);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** The videos of the page's tab as the extension's results contract has them now (empty before any). */
export async function tabVideos(browser, page) {
  const tabId = await tabIdOf(browser.worker, page.url());
  return (await readTabResults(browser.worker, tabId))?.videos ?? [];
}
