/**
 * `npm run eval:watermark`: runs the watermark reader over the shared
 * research clips and writes models/watermark/EVAL.md. Positives are the AI
 * clips whose MANIFEST names a visible generator mark; every other AI clip and
 * every real clip must give no watermark signal.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLogoTemplates, logoTrainingClips } from '../lib/node/logo-templates';
import { readWatermarks, WATERMARK_FRAMES, WATERMARK_MAX_SIDE } from '../lib/node/watermark';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '../shared/data');

interface Row {
  file: string;
  kind: string;
  generator: string;
  mark: string;
}

function manifest(folder: string): Row[] {
  const path = join(shared, folder, 'MANIFEST.tsv');
  if (!existsSync(path)) return [];
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  const get = (cells: string[], name: string) => cells[cols.indexOf(name)] ?? '';
  return rows.map((line) => {
    const cells = line.split('\t');
    return {
      file: join(shared, folder, get(cells, 'file')),
      kind: get(cells, 'kind'),
      generator: get(cells, 'generator'),
      mark: get(cells, 'visible_watermark'),
    };
  });
}

/** The generator a MANIFEST mark description names, in the reader's vocabulary. */
function expectedGenerator(row: Row): string | null {
  const text = `${row.mark} ${row.generator}`.toLowerCase();
  if (!row.mark || /^none/.test(row.mark.toLowerCase())) return null;
  for (const name of [
    'kling',
    'sora',
    'runway',
    'veo',
    'luma',
    'pika',
    'hailuo',
    'vidu',
    'show-1',
    'jimeng',
    'doubao',
  ]) {
    if (text.includes(name)) return name;
  }
  return 'unknown';
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

async function main() {
  const ai = manifest('ai-video').filter((r) => r.kind === 'video' || r.kind === 'gif');
  const real = manifest('real-video').filter((r) => r.kind === 'video');
  if (ai.length === 0 && real.length === 0) {
    console.error('../shared/data is absent: nothing to evaluate');
    process.exit(1);
  }
  const lines: string[] = [];
  const timings: number[] = [];
  let named = 0;
  let positives = 0;
  let falseOnAi = 0;
  let falseOnReal = 0;
  const rows: string[] = [];
  // Logo templates are learned from some of these clips: each of those is read with templates built without it.
  const trainers = new Set([...logoTrainingClips(shared).values()].flat());
  for (const row of [...ai.map((r) => ({ ...r, real: false })), ...real.map((r) => ({ ...r, real: true }))]) {
    const expected = row.real ? null : expectedGenerator(row);
    let found: string[] = [];
    try {
      const logos = trainers.has(row.file) ? buildLogoTemplates(shared, new Set([row.file])) : undefined;
      const result = await readWatermarks(row.file, WATERMARK_FRAMES, logos);
      timings.push(...result.msPerFrame);
      found = result.signals.map((s) => s.generator);
    } catch (error) {
      found = [`error: ${error instanceof Error ? error.message : String(error)}`];
    }
    const hit =
      expected !== null &&
      found.some((g) => g.toLowerCase().includes(expected.replace('-', '')) || g.toLowerCase().includes(expected));
    if (expected !== null) {
      positives++;
      if (hit) named++;
    } else if (found.length > 0 && !found[0]!.startsWith('error')) {
      if (row.real) falseOnReal++;
      else falseOnAi++;
    }
    const name = row.file.slice(shared.length + 1);
    rows.push(
      `| ${row.real ? 'real' : 'AI'} | ${name} | ${expected ?? '–'} | ${found.join(', ') || '–'} | ${expected === null ? (found.length ? 'false signal' : 'ok') : hit ? 'named' : 'missed'} |`,
    );
    process.stdout.write('.');
  }
  const date = new Date().toISOString().slice(0, 10);
  lines.push(
    '# Watermark reader evaluation',
    '',
    `Produced by \`npm run eval:watermark\` on ${date} (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}), ${WATERMARK_FRAMES} frames per clip at up to ${WATERMARK_MAX_SIDE} px, the tracker's default rule.`,
    '',
    `Logo templates (marks without letters: Sora 1, Runway Gen-2) are learned from ${trainers.size} of these clips by \`npm run build:logos\`; each of those clips is read here with templates rebuilt without it (leave one clip out), so no clip is matched against its own pixels. Every other clip is read with the shipped templates.`,
    '',
    `- AI clips whose MANIFEST names a visible mark: **${named} of ${positives} named** (${positives ? Math.round((named / positives) * 100) : 0}%).`,
    `- AI clips without a mark given a watermark signal: **${falseOnAi}**.`,
    `- Real clips (${real.length}) given a watermark signal: **${falseOnReal}**.`,
    `- Reading time per frame (OCR and logo matching; Node, onnxruntime-web wasm, one thread; wall time, load average ${(loadavg()[0] ?? 0).toFixed(1)} at the end: other work on the machine slows it): median ${Math.round(median(timings))} ms over ${timings.length} frames.`,
    '',
    ...readFileSync(join(root, 'models/watermark/EVAL-NOTES.md'), 'utf8').trim().split('\n'),
    '',
    '| class | clip | expected | found | result |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  );
  writeFileSync(join(root, 'models/watermark/EVAL.md'), lines.join('\n'));
  console.log(
    `\nnamed ${named}/${positives}; false signals: AI ${falseOnAi}, real ${falseOnReal}; wrote models/watermark/EVAL.md`,
  );
}

await main();
