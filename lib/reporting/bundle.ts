import type { VideoReport } from '../core/report';
import { isJpeg, sha256Hex } from './hash';
import { BUNDLE_SCHEMA_NAME, BUNDLE_VERSION, type ReportBundle, type ReportReason, validateBundle } from './schema';

/** Most frames a bundle carries. */
export const MAX_BUNDLE_FRAMES = 24;
/** Longest note kept, in characters. */
export const MAX_NOTES = 2000;

/** One stored frame image: a small JPEG and the media time it shows. */
export interface FrameImage {
  mediaTime: number;
  jpeg: Uint8Array;
}

/** What the user filled in on the report form. */
export interface ReportForm {
  reason: ReportReason;
  notes: string;
  includeFrames: boolean;
}

/** Everything a bundle is built from. */
export interface BundleInput {
  video: VideoReport;
  page: { url: string; title: string };
  form: ReportForm;
  frames: readonly FrameImage[];
  software: ReportBundle['software'];
  /** Injected for tests. */
  now?: () => Date;
  newId?: () => string;
}

/** A bundle with the frames' bytes beside it (the manifest lists them by `file`). */
export interface BuiltReport {
  bundle: ReportBundle;
  frames: Uint8Array[];
}

/** The video's address worth keeping: `blob:` URLs mean nothing outside the page, so they become null. */
export function reportableSrc(src: string): string | null {
  if (!src || /^(blob|data|mediastream|mediasource):/i.test(src)) return null;
  return src;
}

/**
 * Builds an evidence bundle from a video's report and the user's form:
 * page, video, media times sampled, verdict, every signal, versions, time,
 * and (when the user chose so) the frames as JPEG with the SHA-256 of each.
 * Throws when the result would not satisfy the schema, so a malformed
 * bundle is never kept or sent.
 */
export async function buildBundle(input: BundleInput): Promise<BuiltReport> {
  const { video, form } = input;
  const chosen = form.includeFrames
    ? [...input.frames].sort((a, b) => a.mediaTime - b.mediaTime).slice(0, MAX_BUNDLE_FRAMES)
    : [];
  const frames: ReportBundle['frames'] = [];
  for (const [i, frame] of chosen.entries()) {
    if (!isJpeg(frame.jpeg)) throw new Error(`frame ${i + 1} is not a JPEG`);
    frames.push({
      file: `frames/${String(i + 1).padStart(2, '0')}.jpg`,
      mediaTime: Math.max(0, frame.mediaTime),
      sha256: await sha256Hex(frame.jpeg),
      bytes: frame.jpeg.length,
    });
  }
  const bundle: ReportBundle = {
    schema: BUNDLE_SCHEMA_NAME,
    version: BUNDLE_VERSION,
    id: (input.newId ?? (() => crypto.randomUUID()))(),
    createdAt: (input.now?.() ?? new Date()).toISOString(),
    reason: form.reason,
    notes: form.notes.trim().slice(0, MAX_NOTES),
    page: { url: input.page.url, title: input.page.title.slice(0, 1000) },
    video: {
      src: reportableSrc(video.src),
      frameUrl: video.pageUrl,
      width: video.width,
      height: video.height,
      platform: video.platform,
    },
    mediaTimes: video.frames.map((f) => Math.max(0, f.mediaTime)),
    verdict: { level: video.verdict, score: video.score, reasons: [...video.reasons] },
    signals: structuredClone(video.signals),
    frames,
    software: input.software,
  };
  const problems = validateBundle(bundle);
  if (problems.length > 0) throw new Error(`the report does not fit its schema: ${problems.join('; ')}`);
  return { bundle, frames: chosen.map((f) => f.jpeg) };
}
