/** Node only: the `npm run scan` pipeline, the extension's detection core applied to files and URLs. */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { CLASSIFIER_CONFIG } from '../analysis/classifier/config';
import { STANDARD_FRAME_BUDGET } from '../core/frame-budget';
import { isBlankFrame } from '../analysis/frame-quality';
import { type FramesUnavailable, type FrameReading, judgeFrames } from '../core/frame-signals';
import type { ConformingProductRef } from '../core/conforming-products';
import type { IdentityAssertionSignal, ProvenanceSignal, ProvenanceTrust, Signal } from '../core/signals';
import type { WatermarkFrame } from '../core/watermark-tracker';
import { listOutOfDate } from '../provenance/trust';
import type { ReportVerdict } from '../core/verdict';
import { type DecodedFrame, decodeSpread } from './frames';
import { nodeClassifierModel, nodeFrameStatsModel } from './models';
import { nodeTrustSet, readProvenance } from './provenance';
import { readWatermarks } from './watermark';

/** What one input came to. */
export interface ScanResult {
  input: string;
  verdict: ReportVerdict;
  score: number | null;
  reasons: string[];
  signals: Signal[];
}

/** Scan options. */
export interface ScanOptions {
  /** PEM trust anchors for Content Credentials, on top of the bundled lists. */
  trustAnchors?: string;
  /** Use the bundled trust lists (official C2PA list and the legacy interim list). Default on. */
  bundledTrust?: boolean;
  /** Frames sampled per video, as the extension's budget. */
  frames?: number;
  /** Read visible generator watermarks (OCR; slower). Default on. */
  watermarks?: boolean;
  /** Run the AI-frame classifier. Default on. */
  classifier?: boolean;
  /** Largest download of a URL input, in bytes; a longer answer is abandoned. Default {@link DEFAULT_MAX_DOWNLOAD_BYTES}. */
  maxDownloadBytes?: number;
  /** Time allowed for a URL input's whole download, in ms. Default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  downloadTimeoutMs?: number;
}

/** Default cap on a URL input's download: larger than any clip the extension verifies by default (100 MB). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;
/** Default time limit on a URL input's download: a server that drip-feeds bytes does not hold the scan forever. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 60_000;

/** A URL input that was refused: too large, too slow, or not answered with the file. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

const frameStats = nodeFrameStatsModel();
const classifier = nodeClassifierModel();

/**
 * Downloads a URL input into a temporary file, counting bytes as they arrive:
 * the download is abandoned as soon as it passes `maxBytes` (whatever
 * Content-Length claimed) or the whole of it takes longer than `timeoutMs`,
 * so a lying or drip-feeding server costs a bounded amount of disk and time.
 */
export async function downloadToFile(url: string, file: string, maxBytes: number, timeoutMs: number): Promise<number> {
  const signal = AbortSignal.timeout(timeoutMs);
  const tooSlow = () => new DownloadError(`download of ${url} took longer than ${timeoutMs / 1000} s`);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw tooSlow();
    throw new DownloadError(`could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadError(`could not fetch ${url} (HTTP ${response.status})`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadError(`${url} is ${megabytes(declared)}, over the ${megabytes(maxBytes)} download limit`);
  }
  const out = createWriteStream(file);
  const closed = new Promise<void>((ok, fail) => {
    out.on('close', ok);
    out.on('error', fail);
  });
  let received = 0;
  try {
    if (!response.body) throw new DownloadError(`${url} answered without a body`);
    const reader = response.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) throw tooSlow();
        throw new DownloadError(`download of ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (chunk.done) break;
      received += chunk.value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new DownloadError(`${url} is larger than the ${megabytes(maxBytes)} download limit`);
      }
      if (!out.write(chunk.value)) await new Promise<void>((ok) => out.once('drain', () => ok()));
    }
  } finally {
    out.end();
    await closed;
  }
  return received;
}

async function localCopy(input: string, options: ScanOptions): Promise<{ file: string; cleanup: () => Promise<void> }> {
  if (!/^https?:\/\//i.test(input)) return { file: input, cleanup: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'provenance-lens-scan-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const file = join(dir, basename(new URL(input).pathname) || 'media');
  try {
    await downloadToFile(
      input,
      file,
      options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
      options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { file, cleanup };
}

/** The Content Credentials at a glance, for `scan --json`: state, who vouches for the signer and that list's dates. */
export interface ProvenanceSummary {
  state: ProvenanceSignal['state'];
  trust: ProvenanceTrust | null;
  list: { name: string; issued: string | null; nextUpdate: string | null; outOfDate: boolean } | null;
  signer: string | null;
  certificate: ProvenanceSignal['certificate'] | null;
  /** The product on the C2PA Conforming Products List that made the claim, with what it may claim; null when none. */
  product: ConformingProductRef | null;
  /** The CAWG identity assertions, each with its own standing (never the manifest's). */
  identities: IdentityAssertionSignal[];
}

/** The summary of a scan's provenance signal; null when the file was not read for Content Credentials. */
export function provenanceSummary(signals: readonly Signal[], now = Date.now()): ProvenanceSummary | null {
  const p = signals.find((s): s is ProvenanceSignal => s.kind === 'provenance');
  if (!p) return null;
  const list = p.trustList;
  return {
    state: p.state,
    trust: p.trust ?? null,
    list: list
      ? {
          name: list.name,
          issued: list.issued ?? null,
          nextUpdate: list.nextUpdate ?? null,
          outOfDate: listOutOfDate(list, now),
        }
      : null,
    signer: p.signer ?? null,
    certificate: p.certificate ?? null,
    product: p.product ?? null,
    identities: p.identities ?? [],
  };
}

/**
 * Reads decoded frames as the extension's frame pipeline reads sampled ones: the frame-statistics model says whether
 * a frame is blank, and the classifier (when on) scores each frame with picture.
 */
export async function readFrames(frames: readonly DecodedFrame[], withClassifier = true): Promise<FrameReading[]> {
  const readings: FrameReading[] = [];
  for (const f of frames) {
    const blank = f.width * f.height === 0 || isBlankFrame(await frameStats.run(f.rgba, f.width, f.height));
    const aiLogit = !blank && withClassifier ? await classifier.run(f.rgba, f.width, f.height) : null;
    readings.push({ blank, aiLogit });
  }
  return readings;
}

/**
 * The verdict of a scanned file from what its detectors read: the frame readings (oldest first), the other
 * detectors' signals (provenance), why frames could not be read and the frames read for watermarks with their
 * sightings, fused by the builder the extension's background uses for a video.
 */
export function judgeScan(
  frames: readonly FrameReading[],
  others: readonly Signal[],
  unavailable: FramesUnavailable | null,
  withClassifier = true,
  watermarks: readonly WatermarkFrame[] = [],
): Omit<ScanResult, 'input'> {
  const { signals, verdict } = judgeFrames(
    {
      frames,
      framesAnalysed: frames.length,
      blankFrames: frames.filter((f) => f.blank).length,
      unavailable,
      classifier: withClassifier ? CLASSIFIER_CONFIG : null,
      watermarks,
    },
    others,
  );
  return { verdict: verdict.level, score: verdict.score, reasons: verdict.reasons, signals };
}

/** Runs every detector that works on files and fuses their signals, as the extension does for a video. */
export async function scanInput(input: string, options: ScanOptions = {}): Promise<ScanResult> {
  // Provenance; the frame pipeline's signals (watermarks too) come from the shared builder, as in the background.
  const others: Signal[] = [];
  let frames: FrameReading[] = [];
  let watermarks: WatermarkFrame[] = [];
  let unavailable: FramesUnavailable | null = null;
  let copy: Awaited<ReturnType<typeof localCopy>> | null = null;
  try {
    copy = await localCopy(input, options);
    const type = TYPES[extname(copy.file).toLowerCase()] ?? 'video/mp4';
    const bundled = options.bundledTrust !== false;
    const trust = await nodeTrustSet(options.trustAnchors ?? '', { official: bundled, legacy: bundled });
    others.push(await readProvenance(copy.file, type, trust));
    const decoded = decodeSpread(copy.file, options.frames ?? STANDARD_FRAME_BUDGET.framesPerVideo, 256);
    if (decoded.length === 0) unavailable = { reason: 'unreadable', detail: 'No frame of this file could be decoded.' };
    frames = await readFrames(decoded, options.classifier !== false);
    if (options.watermarks !== false && decoded.length > 0) watermarks = (await readWatermarks(copy.file)).frames;
  } catch (error) {
    unavailable = {
      reason: 'unreadable',
      detail: `The input could not be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    await copy?.cleanup();
  }
  return { input, ...judgeScan(frames, others, unavailable, options.classifier !== false, watermarks) };
}
