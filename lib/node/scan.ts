/** Node only: the `npm run scan` pipeline, the extension's detection core applied to files and URLs. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { CLASSIFIER_CONFIG } from '../analysis/classifier/config';
import { isBlankFrame } from '../analysis/frame-quality';
import type { Signal } from '../core/signals';
import { evaluateVerdict, type ReportVerdict } from '../core/verdict';
import { classifyFrames } from './classifier';
import { decodeSpread } from './frames';
import { nodeClassifierModel, nodeFrameStatsModel } from './models';
import { readProvenance } from './provenance';
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
  /** PEM trust anchors for Content Credentials. */
  trustAnchors?: string;
  /** Frames sampled per video, as the extension's budget. */
  frames?: number;
  /** Read visible generator watermarks (OCR; slower). Default on. */
  watermarks?: boolean;
  /** Run the AI-frame classifier. Default on. */
  classifier?: boolean;
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

async function localCopy(input: string): Promise<{ file: string; cleanup: () => Promise<void> }> {
  if (!/^https?:\/\//i.test(input)) return { file: input, cleanup: async () => undefined };
  const response = await fetch(input);
  if (!response.ok) throw new Error(`could not fetch ${input} (HTTP ${response.status})`);
  const dir = await mkdtemp(join(tmpdir(), 'provenance-lens-scan-'));
  const file = join(dir, basename(new URL(input).pathname) || 'media');
  await writeFile(file, new Uint8Array(await response.arrayBuffer()));
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs every detector that works on files and fuses their signals, as the extension does for a video. */
export async function scanInput(input: string, options: ScanOptions = {}): Promise<ScanResult> {
  const signals: Signal[] = [];
  let copy: Awaited<ReturnType<typeof localCopy>> | null = null;
  try {
    copy = await localCopy(input);
    const type = TYPES[extname(copy.file).toLowerCase()] ?? 'video/mp4';
    signals.push(await readProvenance(copy.file, type, options.trustAnchors));
    const frames = decodeSpread(copy.file, options.frames ?? 8, 256);
    if (frames.length === 0) {
      signals.push({ kind: 'unavailable', reason: 'unreadable', detail: 'No frame of this file could be decoded.' });
    } else {
      const pictured = [];
      for (const f of frames) {
        if (f.width * f.height > 0 && !isBlankFrame(await frameStats.run(f.rgba, f.width, f.height))) pictured.push(f);
      }
      signals.push({
        kind: 'frame-quality',
        framesChecked: frames.length,
        blankFrames: frames.length - pictured.length,
      });
      if (options.classifier !== false) {
        const classified = await classifyFrames(pictured, classifier, CLASSIFIER_CONFIG, null);
        if (classified.signal) signals.push(classified.signal);
      }
    }
    if (options.watermarks !== false && frames.length > 0) signals.push(...(await readWatermarks(copy.file)).signals);
  } catch (error) {
    signals.push({
      kind: 'unavailable',
      reason: 'unreadable',
      detail: `The input could not be read: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    await copy?.cleanup();
  }
  const verdict = evaluateVerdict(signals);
  return { input, verdict: verdict.level, score: verdict.score, reasons: verdict.reasons, signals };
}
