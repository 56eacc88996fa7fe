/** Node only: the `npm run scan` command line, apart from its wiring, so tests can run it with their own streams. */
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  provenanceSummary,
  scanInput,
  type ScanOptions,
  type ScanResult,
} from './scan';

/** Where the command writes: one function per stream, each given whole lines without their newline. */
export interface ScanCliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The usage line printed for bad arguments. */
export const SCAN_USAGE =
  'usage: npm run scan -- [--json] [--trust anchors.pem] [--no-bundled-trust] [--no-watermarks] [--max-mb N] [--timeout-s N] <file|url>...';

/** Exit codes: every input read; some input unreadable; the command line or the trust file was wrong. */
export const EXIT = { ok: 0, unreadable: 1, usage: 2 } as const;

/** Bidirectional-text controls: they reorder what a terminal shows without being visible themselves. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** C0 and C1 controls (ESC, CSI, BEL, backspace, carriage return…): escape sequences and overwriting text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/gu;

/**
 * Makes text from a file (a manifest's strings, a reason quoting them, an
 * input's name) safe to print on a terminal: every control or bidirectional
 * character becomes a visible `\u{…}` escape, so a manifest can neither run
 * terminal escape sequences (change the title, clear the screen, fake lines)
 * nor reorder what the user reads.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(CONTROLS, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replace(BIDI, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** The text form of one result: input, verdict, reasons, then each signal as JSON, all terminal-safe. */
export function formatText(result: ScanResult): string[] {
  const score = result.score === null ? '' : ` (${Math.round(result.score * 100)}% AI)`;
  return [
    terminalSafe(result.input),
    `  verdict: ${result.verdict}${score}`,
    ...result.reasons.map((reason) => `  - ${terminalSafe(reason)}`),
    // JSON.stringify escapes C0 controls already; C1 and bidirectional controls pass through it.
    ...result.signals.map((s) => `  signal ${terminalSafe(JSON.stringify(s))}`),
  ];
}

/** Characters JSON.stringify leaves raw that a terminal still acts on: C1 controls, bidirectional controls, line separators. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

/**
 * The JSON form of one result: one line, strings JSON-escaped (a parser gets
 * them back exactly), with the controls JSON.stringify leaves raw written as
 * `\uXXXX` escapes too, which can only occur inside strings.
 */
export function formatJson(result: ScanResult): string {
  return JSON.stringify({
    input: result.input,
    verdict: result.verdict,
    score: result.score,
    // Which trust list vouches for the signer (`official|legacy|user|unknown`) and that list's dates.
    provenance: provenanceSummary(result.signals),
    signals: result.signals,
  }).replace(JSON_RAW, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** Parsed arguments, or the one-line reason they are wrong. */
type Parsed =
  | {
      ok: true;
      json: boolean;
      trustPath: string | null;
      inputs: string[];
      options: Pick<ScanOptions, 'watermarks' | 'bundledTrust' | 'maxDownloadBytes' | 'downloadTimeoutMs'>;
    }
  | { ok: false; error: string };

function positive(flag: string, value: string | undefined): number | string {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : `${flag} needs a positive number`;
}

/** Reads the command line; values follow their flag (`--trust file`, `--max-mb 50`, `--timeout-s 30`). */
export function parseScanArgs(argv: readonly string[]): Parsed {
  const args = argv.filter((a) => a !== '--');
  let json = false;
  let watermarks = true;
  let bundledTrust = true;
  let trustPath: string | null = null;
  let maxDownloadBytes = DEFAULT_MAX_DOWNLOAD_BYTES;
  let downloadTimeoutMs = DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--no-watermarks') watermarks = false;
    else if (a === '--no-bundled-trust') bundledTrust = false;
    else if (a === '--trust') {
      trustPath = args[++i] ?? '';
      if (!trustPath) return { ok: false, error: '--trust needs a PEM file' };
    } else if (a === '--max-mb' || a === '--timeout-s') {
      const n = positive(a, args[++i]);
      if (typeof n === 'string') return { ok: false, error: n };
      if (a === '--max-mb') maxDownloadBytes = n * 1024 * 1024;
      else downloadTimeoutMs = n * 1000;
    } else if (a.startsWith('--')) return { ok: false, error: `unknown option ${terminalSafe(a)}` };
    else inputs.push(a);
  }
  if (inputs.length === 0) return { ok: false, error: 'no file or URL to scan' };
  return {
    ok: true,
    json,
    trustPath,
    inputs,
    options: { watermarks, bundledTrust, maxDownloadBytes, downloadTimeoutMs },
  };
}

/** Reads a PEM trust file; throws one plain sentence when it cannot be read or holds no certificate. */
async function readTrust(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'unreadable');
    throw new Error(`cannot read the trust file ${terminalSafe(path)}: ${why}`);
  }
  if (!/-----BEGIN CERTIFICATE-----/.test(text))
    throw new Error(`the trust file ${terminalSafe(path)} holds no PEM certificate`);
  return text;
}

/**
 * Runs the command: every input is scanned even when another fails; a bad
 * input gets one line on stderr (and its "unavailable" result on stdout), a
 * bad command line or trust file one line on stderr and nothing scanned.
 * Never throws; resolves the exit code.
 */
export async function runScanCli(
  argv: readonly string[],
  output: ScanCliOutput,
  scan: (input: string, options: ScanOptions) => Promise<ScanResult> = scanInput,
): Promise<number> {
  const parsed = parseScanArgs(argv);
  if (!parsed.ok) {
    output.err(`scan: ${parsed.error}`);
    output.err(SCAN_USAGE);
    return EXIT.usage;
  }
  let trustAnchors: string | undefined;
  if (parsed.trustPath !== null) {
    try {
      trustAnchors = await readTrust(parsed.trustPath);
    } catch (error) {
      output.err(`scan: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT.usage;
    }
  }
  let failed = false;
  for (const input of parsed.inputs) {
    let result: ScanResult;
    try {
      result = await scan(input, { ...parsed.options, trustAnchors });
    } catch (error) {
      // scanInput turns what it meets into an "unavailable" result; this is for what it did not foresee.
      failed = true;
      output.err(
        `scan: ${terminalSafe(input)}: ${terminalSafe(error instanceof Error ? error.message : String(error))}`,
      );
      continue;
    }
    const unreadable = result.signals.find((s) => s.kind === 'unavailable' && s.reason === 'unreadable');
    if (unreadable?.kind === 'unavailable') {
      failed = true;
      output.err(`scan: ${terminalSafe(input)}: ${terminalSafe(unreadable.detail)}`);
    }
    if (parsed.json) output.out(formatJson(result));
    else for (const line of formatText(result)) output.out(line);
  }
  return failed ? EXIT.unreadable : EXIT.ok;
}
