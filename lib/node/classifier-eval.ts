/** Node only: reading labelled media lists and the metrics `npm run eval` prints for the classifier. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** One clip (or still, or folder of frames) to score. */
export interface EvalItem {
  /** Absolute path of the file or frame folder. */
  path: string;
  /** `<folder>/<file>` as training names it (ai-video/…, real-video/…). */
  key: string;
  /** 1 = AI-generated, 0 = real camera footage, null = unknown (scored, not counted in metrics). */
  label: 0 | 1 | null;
  /** Source repository (real) or generator group (AI) for the per-source table. */
  source: string;
  kind: string;
}

const MEDIA = new Set(['.mp4', '.m4v', '.mov', '.webm', '.mkv', '.avi', '.gif', '.jpg', '.jpeg', '.png', '.webp']);

function labelOfFolder(folder: string): 0 | 1 | null {
  const name = basename(folder);
  if (name === 'ai-video') return 1;
  if (name === 'real-video') return 0;
  return null;
}

/** Same grouping as training (models/classifier/train_eval.py group_of): Sora 2 clips from two repositories are one group. */
function sourceOf(label: 0 | 1 | null, repo: string, generator: string): string {
  if (label === 1 && generator.startsWith('OpenAI Sora 2')) return 'ai:OpenAI Sora 2 (linkedlist771 + wolfowitz-ai)';
  return `${label === 1 ? 'ai' : label === 0 ? 'real' : 'unlabelled'}:${repo || 'unknown'}`;
}

/** Rows of a MANIFEST.tsv (columns file, kind, repo, generator; optional label = ai|real|1|0). */
export function readManifest(manifest: string, forcedLabel: 0 | 1 | null = null): EvalItem[] {
  const folder = dirname(resolve(manifest));
  const [header, ...lines] = readFileSync(manifest, 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  const get = (cells: string[], name: string) => (cols.includes(name) ? (cells[cols.indexOf(name)] ?? '') : '');
  return lines
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const cells = line.split('\t');
      const explicit = get(cells, 'label').toLowerCase();
      const label =
        forcedLabel ??
        (explicit === 'ai' || explicit === '1'
          ? 1
          : explicit === 'real' || explicit === '0'
            ? 0
            : labelOfFolder(folder));
      const file = get(cells, 'file');
      return {
        path: join(folder, file),
        key: `${basename(folder)}/${file}`,
        label,
        source: sourceOf(label, get(cells, 'repo'), get(cells, 'generator')),
        kind: get(cells, 'kind') || 'video',
      };
    });
}

/**
 * The items behind a command-line input: a MANIFEST.tsv, a folder holding
 * one, a folder whose sub-folders hold them (../shared/data), or a plain
 * folder of media files (labelled with `forcedLabel`, else unlabelled).
 */
export function readEvalInput(input: string, forcedLabel: 0 | 1 | null = null): EvalItem[] {
  if (!existsSync(input)) throw new Error(`no such file or folder: ${input}`);
  if (statSync(input).isFile()) return readManifest(input, forcedLabel);
  const own = join(input, 'MANIFEST.tsv');
  if (existsSync(own)) return readManifest(own, forcedLabel);
  const subs = readdirSync(input)
    .map((d) => join(input, d, 'MANIFEST.tsv'))
    .filter((m) => existsSync(m) && labelOfFolder(dirname(m)) !== null);
  if (subs.length > 0) return subs.flatMap((m) => readManifest(m, forcedLabel));
  return readdirSync(input)
    .filter((f) => MEDIA.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => ({
      path: join(input, f),
      key: `${basename(input)}/${f}`,
      label: forcedLabel,
      source: sourceOf(forcedLabel, basename(input), ''),
      kind: ['.jpg', '.jpeg', '.png', '.webp'].includes(extname(f).toLowerCase()) ? 'image' : 'video',
    }));
}

/** Area under the ROC curve (ties count half); NaN without both classes. */
export function auroc(labels: readonly number[], scores: readonly number[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] === 0);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/**
 * True-positive rate at the strictest threshold that lets at most `fpr` of
 * the real clips through (threshold just above the k-th highest real score,
 * k = floor(fpr × real count)); with that, the false-positive rate it reaches.
 */
export function tprAtFpr(
  labels: readonly number[],
  scores: readonly number[],
  fpr: number,
): { tpr: number; fpr: number; threshold: number } {
  const real = scores.filter((_, i) => labels[i] === 0).sort((a, b) => b - a);
  const ai = scores.filter((_, i) => labels[i] === 1);
  const allowed = Math.floor(fpr * real.length);
  const threshold = allowed < real.length ? real[allowed]! : Number.NEGATIVE_INFINITY;
  return {
    tpr: ai.filter((s) => s > threshold).length / ai.length,
    fpr: real.filter((s) => s > threshold).length / real.length,
    threshold,
  };
}
