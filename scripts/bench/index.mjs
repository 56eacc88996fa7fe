/**
 * `npm run bench`: every benchmark under scripts/bench/, one after another, in Debian's Chromium with the built
 * extension (and the classifier in Node), writing the figures into BENCHMARKS.md (between the bench markers),
 * artifacts/bench.json and the files each benchmark keeps:
 *
 * - the feed (feed.mjs, the headline number, its own block);
 * - first verdict, cold and warm (first-verdict.mjs);
 * - per-stage cost of each frame and bytes per frame (stages.mjs);
 * - time from a video's first frame to its Content Credentials verdict, files and streams (provenance.mjs);
 * - time to a watermark verdict (watermark-verdict.mjs), and the watermark reader's cost per frame and per video in
 *   the built OCR worker, model loading apart (watermark-cost.mjs, its own block);
 * - MSE appends without the extension, with the stream observer alone and with the whole extension (mse.mjs);
 * - face detection and crop scoring per frame (faces.mjs);
 * - long tasks on a feed of 30 videos while scrolling, with and without the extension (scroll.mjs);
 * - the AI-frame classifier per frame in Chromium (classifier.mjs, artifacts/bench-classifier.json) and in Node
 *   (classifier-node.mjs, models/classifier/speed.json).
 *
 * Each file also runs alone (`node scripts/bench/NAME.mjs`, see its header); all share `lib/runner.mjs`.
 * Reports medians (and p90 where useful); this machine is noisy.
 *
 * Options: --runs N (first-verdict runs, default 12), --no-build (`npm run bench` builds first),
 * --only streams (just the MSE and Content Credentials figures, written in place),
 * --only watermark (just the watermark reader cost, in its own section; `--only-watermark` says the same).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeMedia } from '../make-media.mjs';
import { measureClassifier } from './classifier.mjs';
import { measureClassifierInNode } from './classifier-node.mjs';
import { facesMarkdown, measureFaces } from './faces.mjs';
import { runFeedBench } from './feed.mjs';
import { firstVerdictMarkdown, measureFirstVerdicts } from './first-verdict.mjs';
import { measureMse, mseMarkdown } from './mse.mjs';
import { measureProvenance, provenanceMarkdown } from './provenance.mjs';
import { measureScroll, scrollMarkdown } from './scroll.mjs';
import { measureStages, stagesMarkdown, stagesSummary } from './stages.mjs';
import { measureWatermarkCost, watermarkCostSection } from './watermark-cost.mjs';
import { measureWatermarkVerdict, watermarkVerdictMarkdown } from './watermark-verdict.mjs';
import {
  buildUnlessTold,
  machine,
  measuredLine,
  options,
  ROOT,
  startServer,
  today,
  writeArtifact,
  writeSection,
} from './lib/runner.mjs';

const opts = options();
const only = opts.has('only-watermark') ? 'watermark' : opts.value('only', null);

/** The MSE and Content Credentials figures, which the streams section holds. */
function streamsMarkdown(mse, provenance) {
  return [...mseMarkdown(mse), '', ...provenanceMarkdown(provenance)].join('\n');
}

/** `--only streams`: the MSE and Content Credentials figures alone, written in place of the last ones. */
async function streamsOnly(server) {
  console.log('streams: MSE appends without the extension, with the observer alone, with the extension…');
  const mse = await measureMse(server);
  console.log('provenance: time from first frame to a Content Credentials verdict…');
  const provenance = await measureProvenance(server);
  const md = [measuredLine('npm run bench -- --only streams'), '', streamsMarkdown(mse, provenance)].join('\n');
  // The streams block sits inside the "Latest run" block: a file without it has had no full run to sit in.
  if (!readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8').includes('<!-- bench:streams:start -->'))
    throw new Error('BENCHMARKS.md has no streams markers: run the full bench once');
  writeSection('streams', md);
  writeArtifact('artifacts/bench-streams.json', { mse, provenance });
  console.log(`\n${md}\n\nwritten to BENCHMARKS.md and artifacts/bench-streams.json`);
}

/** The watermark reader's cost, in its own section. */
async function watermarkCost() {
  console.log('watermarks: OCR cost per frame and per video in the built worker…');
  const cost = await measureWatermarkCost();
  const md = watermarkCostSection(cost);
  writeSection('watermark', md);
  console.log(`\n${md}`);
  return cost;
}

/** Every measurement; the "Latest run" block and artifacts/bench.json. */
async function all(server) {
  const runs = opts.number('runs', 12);
  /** Says what is measured next, then measures it. */
  const step = (what, measure) => (console.log(`${what}…`), measure());
  const firstVerdicts = await step(`first verdict, ${runs} cold and ${runs} warm runs`, () =>
    measureFirstVerdicts(server, runs),
  );
  const stages = await step('per-stage costs', () => measureStages(server));
  const provenance = await step('provenance: time from first frame to a Content Credentials verdict', () =>
    measureProvenance(server),
  );
  const watermarkMs = await step('watermarks: time to a watermark verdict', () => measureWatermarkVerdict(server));
  const cost = await watermarkCost();
  const mse = await step('streams: MSE appends with and without the observer', () => measureMse(server));
  const faceClips = await step('faces: detection and crop scoring per frame', () => measureFaces(server));
  const scroll = await step('scrolling a feed of 30 videos, three times with and without the extension', () =>
    measureScroll(server),
  );

  const report = {
    date: today(),
    machine: machine(),
    firstVerdictMs: firstVerdicts,
    ...stagesSummary(stages),
    provenance,
    watermarkMs,
    faces: faceClips.map((c) => ({ src: c.src, frames: c.frames, checked: c.checked.map((f) => f.timings) })),
    watermarkCost: cost,
    mse,
    feed: scroll,
  };
  writeArtifact('artifacts/bench.json', report);
  const md = [
    measuredLine('npm run bench'),
    '',
    ...firstVerdictMarkdown(firstVerdicts),
    '',
    ...stagesMarkdown(stages),
    '',
    ...watermarkVerdictMarkdown(watermarkMs),
    '',
    ...facesMarkdown(faceClips),
    '',
    '<!-- bench:streams:start -->',
    '',
    streamsMarkdown(mse, provenance),
    '',
    '<!-- bench:streams:end -->',
    '',
    ...scrollMarkdown(scroll),
  ].join('\n');
  writeSection('', md);
  console.log(`\n${md}\n\nwritten to BENCHMARKS.md and artifacts/bench.json`);

  const inChromium = await step('classifier per frame in Chromium', () => measureClassifier());
  writeArtifact('artifacts/bench-classifier.json', inChromium, 1);
  console.log(JSON.stringify(inChromium, null, 1));
  const inNode = await step('classifier per frame in Node', () => measureClassifierInNode());
  writeArtifact('models/classifier/speed.json', inNode, 1);
  console.log(JSON.stringify(inNode));
}

buildUnlessTold();
makeMedia();
if (only === 'watermark') {
  await watermarkCost();
} else {
  // The feed first: its figures are the headline, and it starts its own server with the feed's clips.
  if (only === null) await runFeedBench(['--write']);
  const server = await startServer();
  try {
    if (only === 'streams') await streamsOnly(server);
    else if (only === null) await all(server);
    else throw new Error(`--only takes streams or watermark, not ${only}`);
  } finally {
    await server.close();
  }
}
