/**
 * `npm run scan -- [--json] [--trust anchors.pem] [--no-bundled-trust] [--no-watermarks] [--max-mb N] [--timeout-s N] <file|url>...`:
 * the extension's detection core in Node on local files or URLs. Prints, per input, the verdict and every signal;
 * with --json, one JSON object per line, with `provenance.trust` (which list vouches for the signer) and the list's
 * dates; Content Credentials are checked against the bundled trust lists unless --no-bundled-trust. Problems go to stderr as one line each (see lib/node/scan-cli.ts).
 */
import { runScanCli } from '../lib/node/scan-cli';

process.exitCode = await runScanCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
