/**
 * Rebuilds the training collection from fetched repository snapshots into a cache outside the repository.
 *
 *   npm run collection -- [--mirror-root /work/.mirror] [--out <cache>] [--only <id substring>] [--no-normalise]
 *
 * For every row of sources.tsv: read the blob (or the frame folder's blobs) from the snapshot with git, check its
 * sha256 against the manifest, write it under <cache>/raw, then pass it through the one normalisation pipeline shared
 * by both classes (normalise.mjs) into <cache>/norm. <cache>/index.tsv lists every item with its status, so a failed
 * decode is reported and never stops the rest. Media never enter the project repository.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalise, probe, NORMALISATION } from './normalise.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Parses `--key value` flags. */
function parseArgs(argv) {
  const args = {
    mirrorRoot: process.env.MIRROR_ROOT ?? '/work/.mirror',
    out: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'provenance-lens', 'collection'),
    manifest: join(HERE, 'sources.tsv'),
    only: '',
    normalise: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mirror-root') args.mirrorRoot = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--manifest') args.manifest = argv[++i];
    else if (a === '--only') args.only = argv[++i];
    else if (a === '--no-normalise') args.normalise = false;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Reads a TSV with a header row into objects. */
export function readTsv(path) {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

function git(gitDir, args) {
  const r = spawnSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
/** A snapshot is a bare git directory; a few arrive as a work tree with its .git inside. */
function snapshotDir(root, repo) {
  const dir = join(root, repo.replace('/', '+'), 'repo');
  return existsSync(join(dir, '.git')) ? join(dir, '.git') : dir;
}

/** Natural order for numbered frame names (frame2 before frame10). */
function frameOrder(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Writes one manifest item's bytes to `dest`, checking the sha256: a file's own hash, or for a frame folder the hash
 * of its frames' hashes in natural order (what build_manifest.py records).
 */
function extract(row, gitDir, rawDir) {
  if (row.kind === 'frames') {
    const dest = join(rawDir, row.sha256);
    const listing = git(gitDir, ['ls-tree', `${row.commit}:${row.path}`])
      .toString()
      .trim()
      .split('\n');
    const frames = listing
      .map((l) => l.split('\t'))
      .filter(([meta, name]) => meta.includes(' blob ') && /\d/.test(name) && /\.(jpe?g|png)$/i.test(name))
      .map(([meta, name]) => ({ oid: meta.split(' ')[2], name }))
      .sort((a, b) => frameOrder(a.name, b.name));
    const outer = createHash('sha256');
    const datas = frames.map((f) => {
      const data = git(gitDir, ['cat-file', 'blob', f.oid]);
      outer.update(Buffer.from(sha256(data), 'hex'));
      return data;
    });
    const got = outer.digest('hex');
    if (got !== row.sha256) throw new Error(`sha256 mismatch for ${row.id}: ${got}`);
    if (!existsSync(dest)) {
      const tmp = `${dest}.part`;
      mkdirSync(tmp, { recursive: true });
      const ext = frames[0].name.split('.').pop().toLowerCase().replace('jpeg', 'jpg');
      datas.forEach((d, i) => writeFileSync(join(tmp, `${String(i + 1).padStart(5, '0')}.${ext}`), d));
      renameSync(tmp, dest);
    }
    return dest;
  }
  const dest = join(rawDir, `${row.sha256}.${row.kind}`);
  if (existsSync(dest) && sha256(readFileSync(dest)) === row.sha256) return dest;
  const data = git(gitDir, ['cat-file', 'blob', row.blob]);
  const got = sha256(data);
  if (got !== row.sha256) throw new Error(`sha256 mismatch for ${row.id}: ${got}`);
  writeFileSync(dest, data);
  return dest;
}

/** File name of an item's normalised clip: its bytes' hash, and the crop when a composite is split. */
function normName(row) {
  return `${row.sha256.slice(0, 24)}${row.crop ? `-${row.crop.replaceAll(',', '_')}` : ''}.mp4`;
}

/** Re-hashes a cached raw item (no git, no decoder) so a resumed run still checks every sha256. */
function cachedMatches(path, row) {
  if (row.kind !== 'frames') return sha256(readFileSync(path)) === row.sha256;
  const outer = createHash('sha256');
  for (const f of readdirSync(path).sort(frameOrder))
    outer.update(Buffer.from(sha256(readFileSync(join(path, f))), 'hex'));
  return outer.digest('hex') === row.sha256;
}

const PROBE_COLS = [
  'duration',
  'fps',
  'frames',
  'width',
  'height',
  'bitrate',
  'codec',
  'pix_fmt',
  'container',
  'bytes',
];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  // Processed in sha256 order, a fixed pseudo-random order: a run cut short leaves a sample of every class and source.
  const rows = readTsv(args.manifest)
    .filter((r) => !args.only || r.id.includes(args.only))
    .sort((a, b) => (a.sha256 + a.crop).localeCompare(b.sha256 + b.crop));
  const repos = [...new Set(rows.map((r) => r.repo))];
  const missing = repos.filter((r) => !existsSync(snapshotDir(args.mirrorRoot, r)));
  if (missing.length) {
    console.error(
      `${missing.length} of ${repos.length} snapshots are missing under ${args.mirrorRoot}; fetch these first:\n` +
        missing.map((r) => `  github:${r}`).join('\n'),
    );
    process.exit(2);
  }
  const rawDir = join(args.out, 'raw');
  const normDir = join(args.out, 'norm');
  mkdirSync(rawDir, { recursive: true });
  mkdirSync(normDir, { recursive: true });
  const t0 = performance.now();
  const out = [];
  const cols = ['id', 'class', 'family', 'generator', 'prompt_group', 'status', 'raw', 'norm'];
  for (const c of PROBE_COLS) cols.push(`raw_${c}`);
  for (const c of PROBE_COLS) cols.push(`norm_${c}`);
  const index = join(args.out, args.only ? `index-${args.only.replace(/[^\w.-]+/g, '_')}.tsv` : 'index.tsv');
  // Items an earlier run finished (a record beside the normalised clip, or a row of the last index) are kept as they
  // are, after their raw bytes hash right again: a run stopped half-way resumes. They go first, so the index is
  // whole again at once and stopping the new run early loses none of them.
  const earlier = new Map();
  if (existsSync(index)) {
    for (const r of readTsv(index)) {
      if (r.status === 'ok' && r.norm && existsSync(join(args.out, r.raw)) && existsSync(join(args.out, r.norm))) {
        earlier.set(r.id, r);
      }
    }
  }
  for (const row of rows) {
    const side = `${join(normDir, normName(row))}.json`;
    if (!earlier.has(row.id) && existsSync(side)) earlier.set(row.id, JSON.parse(readFileSync(side, 'utf8')));
  }
  rows.sort((a, b) => Number(earlier.has(b.id)) - Number(earlier.has(a.id)));
  // Written row by row, so a long run can be read (and the format control run) while it goes on.
  writeFileSync(index, `${cols.join('\t')}\n`);
  writeFileSync(join(args.out, 'normalisation.json'), `${JSON.stringify(NORMALISATION, null, 2)}\n`);
  let failed = 0;
  for (const [i, row] of rows.entries()) {
    const before = earlier.get(row.id);
    if (before && args.normalise && cachedMatches(join(args.out, before.raw), row)) {
      const rec = { ...before, class: row.class, family: row.family, generator: row.generator };
      rec.prompt_group = row.prompt_group;
      const side = `${join(normDir, normName(row))}.json`;
      if (!existsSync(side)) writeFileSync(side, `${JSON.stringify(rec)}\n`);
      out.push(rec);
      appendFileSync(index, `${cols.map((c) => String(rec[c] ?? '')).join('\t')}\n`);
      continue;
    }
    const rec = { id: row.id, class: row.class, family: row.family, generator: row.generator };
    rec.prompt_group = row.prompt_group;
    try {
      const raw = extract(row, snapshotDir(args.mirrorRoot, row.repo), rawDir);
      rec.raw = raw.slice(args.out.length + 1);
      const p = probe(raw, row.kind);
      for (const c of PROBE_COLS) rec[`raw_${c}`] = p[c];
      if (args.normalise) {
        const dest = join(normDir, normName(row));
        const q = existsSync(dest) ? probe(dest, 'mp4') : normalise(raw, row.kind, row.crop, dest);
        rec.norm = dest.slice(args.out.length + 1);
        for (const c of PROBE_COLS) rec[`norm_${c}`] = q[c];
      }
      rec.status = 'ok';
      if (args.normalise) writeFileSync(`${join(normDir, normName(row))}.json`, `${JSON.stringify(rec)}\n`);
    } catch (e) {
      failed++;
      rec.status = `error: ${String(e.message ?? e)
        .split('\n')[0]
        .slice(0, 200)}`;
      console.error(`${row.id}: ${rec.status}`);
    }
    out.push(rec);
    appendFileSync(index, `${cols.map((c) => String(rec[c] ?? '')).join('\t')}\n`);
    if ((i + 1) % 25 === 0) console.log(`${i + 1}/${rows.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`${out.length - failed} of ${out.length} items ok, ${failed} failed, ${secs} s; ${index}`);
  if (readdirSync(rawDir).length === 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
