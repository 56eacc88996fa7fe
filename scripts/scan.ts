/**
 * `npm run scan -- [--json] [--trust anchors.pem] [--no-watermarks] <file|url>...`: the
 * extension's detection core in Node on local files or URLs. Prints, per
 * input, the verdict and every signal; with --json, one JSON object per line.
 */
import { readFileSync } from 'node:fs';
import { scanInput } from '../lib/node/scan';

const args = process.argv.slice(2).filter((a) => a !== '--');
const json = args.includes('--json');
const watermarks = !args.includes('--no-watermarks');
const trustAt = args.indexOf('--trust');
const trustAnchors = trustAt >= 0 ? readFileSync(args[trustAt + 1] ?? '', 'utf8') : undefined;
const inputs = args.filter((a, i) => !a.startsWith('--') && !(trustAt >= 0 && i === trustAt + 1));

if (inputs.length === 0) {
  console.error('usage: npm run scan -- [--json] [--trust anchors.pem] [--no-watermarks] <file|url>...');
  process.exit(2);
}

let failed = false;
for (const input of inputs) {
  const result = await scanInput(input, { trustAnchors, watermarks });
  if (result.signals.some((s) => s.kind === 'unavailable' && s.reason === 'unreadable')) failed = true;
  if (json) {
    console.log(
      JSON.stringify({ input: result.input, verdict: result.verdict, score: result.score, signals: result.signals }),
    );
    continue;
  }
  console.log(
    `${input}\n  verdict: ${result.verdict}${result.score === null ? '' : ` (${Math.round(result.score * 100)}% AI)`}`,
  );
  for (const reason of result.reasons) console.log(`  - ${reason}`);
  for (const s of result.signals) console.log(`  signal ${JSON.stringify(s)}`);
}
process.exitCode = failed ? 1 : 0;
