/**
 * `npm run eval -- [--folds folds.json] [--frames N] [--gap S] [--label ai|real] [--out scores.tsv] <manifest|folder>...`
 *
 * Runs the classifier exactly as `npm run scan` does (ffmpeg decode, the
 * extension's preprocessing, onnxruntime-web wasm) over labelled clips and
 * prints AUROC, TPR at 1% and 5% FPR, the rates at the shipped `likely-ai`
 * and `uncertain` thresholds, and a per-source table; writes per-clip scores.
 *
 * With `--folds` (written by `npm run train` into the training cache) each
 * clip is scored by the model trained WITHOUT its generator or source, so the
 * numbers are held-out; without it, the shipped model scores everything
 * (in-sample on the training data).
 *
 * Frames are spread evenly over each clip, or with `--gap S` taken as the page takes a first verdict's frames: the
 * first at 0.1 s, then one every S media seconds (the sampler's `firstGapSeconds`).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type ClassifierConfig, calibratedScore } from '../lib/analysis/classifier/calibration';
import type { ClassifierModel } from '../lib/analysis/classifier/classifier-model';
import { CLASSIFIER_CONFIG } from '../lib/analysis/classifier/config';
import { classifyFrames } from '../lib/node/classifier';
import { auroc, type EvalItem, readEvalInput, tprAtFpr } from '../lib/node/classifier-eval';
import { type DecodedFrame, decodeFrame, decodeSpread, mediaDuration } from '../lib/node/frames';
import { nodeClassifierModel, nodeFrameStatsModel } from '../lib/node/models';

interface FoldFile {
  calibration: { temperature: number; bias: number };
  folds: { fold: number; model: string; files: string[] }[];
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const valueOf = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const flags = new Set(['--folds', '--frames', '--gap', '--label', '--out', '--part']);
const inputs = args.filter((a, i) => !a.startsWith('--') && !flags.has(args[i - 1] ?? ''));
const usage =
  'usage: npm run eval -- [--folds folds.json] [--frames N] [--gap S] [--label ai|real] [--out scores.tsv] [--part i/n] <manifest|folder>...\n' +
  '       npm run eval -- --from-scores <scores.tsv>...   (metrics over per-clip scores written by earlier runs)';
if (inputs.length === 0) {
  console.error(usage);
  process.exit(2);
}
const frameCount = Number(valueOf('--frames') ?? 8);
const gap = valueOf('--gap') === undefined ? null : Number(valueOf('--gap'));
const labelFlag = valueOf('--label');
const forced = labelFlag === 'ai' ? 1 : labelFlag === 'real' ? 0 : null;
const out = valueOf('--out') ?? 'classifier-eval-scores.tsv';

let config: ClassifierConfig = CLASSIFIER_CONFIG;
const modelOf = new Map<string, ClassifierModel>();
const foldsPath = valueOf('--folds');
if (foldsPath) {
  const folds = JSON.parse(readFileSync(foldsPath, 'utf8')) as FoldFile;
  config = { ...CLASSIFIER_CONFIG, ...folds.calibration };
  for (const f of folds.folds) {
    const model = nodeClassifierModel(f.model);
    for (const key of f.files) modelOf.set(key, model);
  }
}
const shipped = nodeClassifierModel();
const frameStats = nodeFrameStatsModel();

/** Frames of one item as the extension would sample them (a frame folder: evenly spread frames). */
function framesOf(item: EvalItem): DecodedFrame[] {
  if (item.kind === 'frames' && existsSync(item.path)) {
    const files = readdirSync(item.path)
      .filter((f) => !f.startsWith('.') && extname(f) !== '')
      .sort();
    const pick =
      files.length <= frameCount
        ? files
        : Array.from({ length: frameCount }, (_, i) => files[Math.round((i * (files.length - 1)) / (frameCount - 1))]!);
    return pick.map((f) => decodeFrame(join(item.path, f), 0, 256));
  }
  if (gap === null) return decodeSpread(item.path, frameCount, 256);
  // The page's first frame comes at playback's start; a clip shorter than the frames asks for wraps, as it loops.
  const duration = mediaDuration(item.path);
  return Array.from({ length: frameCount }, (_, i) => {
    const at = 0.1 + i * gap;
    return decodeFrame(item.path, duration > 0.2 ? at % (duration - 0.1) : 0, 256);
  });
}

interface Row extends EvalItem {
  frames: number;
  meanLogit: number;
  p: number;
}

/** Rows of per-clip score files written by earlier runs (for example the parts of a `--part` split). */
function readScores(files: string[]): Row[] {
  return files.flatMap((f) => {
    const [, ...lines] = readFileSync(f, 'utf8').trim().split('\n');
    return lines.map((line) => {
      const [key, label, source, frames, meanLogit, p] = line.split('\t');
      return {
        path: key!,
        key: key!,
        label: label === '1' ? 1 : label === '0' ? 0 : null,
        source: source!,
        kind: '',
        frames: Number(frames),
        meanLogit: Number(meanLogit),
        p: Number(p),
      } satisfies Row;
    });
  });
}

const fromScores = args.includes('--from-scores');
// --part i/n scores every n-th item starting at i, so that several processes can share a long evaluation.
const [partIndex, partCount] = (valueOf('--part') ?? '0/1').split('/').map(Number) as [number, number];
const items = fromScores
  ? []
  : inputs.flatMap((i) => readEvalInput(i, forced)).filter((_, i) => i % partCount === partIndex);
const rows: Row[] = fromScores ? readScores(inputs) : [];
let skipped = 0;
for (const item of items) {
  const model = foldsPath ? modelOf.get(item.key) : shipped;
  if (!model) {
    console.warn(`skip ${item.key}: not in any held-out fold of ${foldsPath}`);
    skipped++;
    continue;
  }
  try {
    const { logits } = await classifyFrames(framesOf(item), model, config, frameStats);
    if (logits.length === 0) throw new Error('no frame with picture');
    const meanLogit = logits.reduce((a, b) => a + b, 0) / logits.length;
    rows.push({ ...item, frames: logits.length, meanLogit, p: calibratedScore(logits, config) });
    if (rows.length % 10 === 0) console.error(`${rows.length} of ${items.length} scored`);
  } catch (error) {
    console.warn(`skip ${item.key}: ${error instanceof Error ? error.message : String(error)}`);
    skipped++;
  }
}

const labelled = rows.filter((r) => r.label !== null);
const labels = labelled.map((r) => r.label!);
const scores = labelled.map((r) => r.p);
const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);
const { likelyAi, uncertain } = config.thresholds;
const share = (label: number, th: number) =>
  labelled.filter((r) => r.label === label && r.p >= th).length /
  Math.max(1, labelled.filter((r) => r.label === label).length);

console.log(
  `classifier ${config.name}@${config.version}, ${fromScores ? 'per-clip scores from ' + inputs.join(', ') : foldsPath ? 'held-out fold models' : 'shipped model'}`,
);
console.log(
  `${rows.length} items scored (${labels.filter((l) => l === 1).length} AI, ${labels.filter((l) => l === 0).length} real), ${skipped} skipped, ${frameCount} frames each${gap === null ? '' : `, ${gap} s apart from 0.1 s`}`,
);
if (labelled.length > 0) {
  const t1 = tprAtFpr(labels, scores, 0.01);
  const t5 = tprAtFpr(labels, scores, 0.05);
  console.log(`AUROC (pooled)          ${auroc(labels, scores).toFixed(3)}`);
  console.log(`TPR @ 1% FPR            ${pct(t1.tpr)} (FPR reached ${pct(t1.fpr)})`);
  console.log(`TPR @ 5% FPR            ${pct(t5.tpr)} (FPR reached ${pct(t5.fpr)})`);
  console.log(
    `likely-ai (p >= ${likelyAi.toFixed(3)})  TPR ${pct(share(1, likelyAi))}  FPR ${pct(share(0, likelyAi))}`,
  );
  console.log(
    `uncertain (p >= ${uncertain.toFixed(3)})  TPR ${pct(share(1, uncertain))}  FPR ${pct(share(0, uncertain))}`,
  );
  const real = labelled.filter((r) => r.label === 0);
  const perSource = [...new Set(labelled.map((r) => r.source))].sort();
  const aucs: number[] = [];
  console.log(
    '\nsource                                                     n   mean p  >=likely  >=uncert  AUROC vs all real',
  );
  for (const source of perSource) {
    const mine = labelled.filter((r) => r.source === source);
    const ai = mine[0]!.label === 1;
    const a = ai
      ? auroc([...mine.map(() => 1), ...real.map(() => 0)], [...mine.map((r) => r.p), ...real.map((r) => r.p)])
      : NaN;
    if (ai) aucs.push(a);
    const mean = mine.reduce((s, r) => s + r.p, 0) / mine.length;
    console.log(
      `${source.slice(0, 56).padEnd(56)} ${String(mine.length).padStart(3)}  ${mean.toFixed(3)}  ${pct(mine.filter((r) => r.p >= likelyAi).length / mine.length)}  ${pct(mine.filter((r) => r.p >= uncertain).length / mine.length)}  ${ai ? a.toFixed(3) : ''}`,
    );
  }
  if (aucs.length > 0) {
    console.log(
      `\nmean AUROC over AI sources (each vs all real clips): ${(aucs.reduce((a, b) => a + b, 0) / aucs.length).toFixed(3)}`,
    );
  }
}
const header = 'key\tlabel\tsource\tframes\tmean_logit\tp\n';
if (!fromScores)
  writeFileSync(
    out,
    header +
      rows
        .map(
          (r) => `${r.key}\t${r.label ?? ''}\t${r.source}\t${r.frames}\t${r.meanLogit.toFixed(5)}\t${r.p.toFixed(5)}`,
        )
        .join('\n') +
      '\n',
  );
if (!fromScores) console.log(`\nper-clip scores: ${out}`);
