/**
 * Makes the fuzz test's seed corpus, `tests/unit/fuzz/corpus/`: tiny clips
 * of the project's own (ffmpeg test patterns, a fraction of a second at
 * 32×32), plain and fragmented, unsigned and signed with C2PA by a
 * certificate chain made here for the purpose (the same profile as the
 * provenance fixtures' own chain; its keys are thrown away). The files are
 * committed so the fuzz test needs neither ffmpeg nor openssl; run this
 * again only to change the corpus (`node scripts/fuzz/make-corpus.mjs`).
 * Files in `corpus/regressions/` are inputs the fuzzer once found to break
 * a module: this script leaves them alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeOwnChain } from '../c2pa/make-fixtures.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the corpus goes. */
export const CORPUS_DIR = join(root, 'tests/unit/fuzz/corpus');

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const SOURCE = ['-f', 'lavfi', '-i', 'testsrc2=size=32x32:rate=10:duration=0.6'];
const H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-profile:v', 'baseline', '-an'];
/** ffmpeg stamps its version into `udta`; left out so that a rebuild with another ffmpeg changes less. */
const QUIET = ['-fflags', '+bitexact', '-map_metadata', '-1'];

const CLIPS = {
  // A progressive file, moov first, as most web videos are served.
  'plain.mp4': [...SOURCE, ...H264, ...QUIET, '-movflags', '+faststart'],
  // Init segment and three moof+mdat fragments, as a streaming player appends them.
  'fragmented.mp4': [
    ...SOURCE,
    ...H264,
    ...QUIET,
    '-g',
    '2',
    '-movflags',
    'frag_keyframe+empty_moov+default_base_moof',
  ],
};

function manifest(title, generator) {
  return {
    claim_generator_info: [{ name: generator, version: '1' }],
    title,
    format: 'video/mp4',
    assertions: [
      {
        label: 'c2pa.actions.v2',
        data: {
          actions: [
            {
              action: 'c2pa.created',
              digitalSourceType: `${IPTC}trainedAlgorithmicMedia`,
              softwareAgent: { name: generator },
            },
          ],
        },
      },
    ],
  };
}

/** Rebuilds every corpus file except the regression seeds. */
export async function makeFuzzCorpus() {
  mkdirSync(join(CORPUS_DIR, 'regressions'), { recursive: true });
  for (const [name, args] of Object.entries(CLIPS)) {
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', ...args, join(CORPUS_DIR, name)], { stdio: 'inherit' });
  }
  const keys = mkdtempSync(join(tmpdir(), 'fuzz-chain-'));
  try {
    const own = makeOwnChain(keys);
    const { Builder, LocalSigner } = await import('@contentauth/c2pa-node');
    const signer = LocalSigner.newSigner(readFileSync(own.chain), readFileSync(own.key), 'es256');
    for (const [source, out, generator] of [
      ['plain.mp4', 'signed-ai.mp4', 'Fuzz Generator'],
      ['fragmented.mp4', 'signed-fragmented-ai.mp4', 'Fuzz Stream Generator'],
    ]) {
      const builder = Builder.withJson(manifest(out, generator));
      builder.sign(signer, { path: join(CORPUS_DIR, source), mimeType: 'video/mp4' }, { path: join(CORPUS_DIR, out) });
    }
  } finally {
    rmSync(keys, { recursive: true, force: true });
  }
  return CORPUS_DIR;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await makeFuzzCorpus();
  for (const name of [...Object.keys(CLIPS), 'signed-ai.mp4', 'signed-fragmented-ai.mp4']) {
    console.log(`${name}: ${statSync(join(dir, name)).size} bytes`);
  }
}
