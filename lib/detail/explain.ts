import { type ClassifierConfig, calibratedScore } from '../analysis/classifier/calibration';
import type { FrameRecord, VideoReport } from '../core/report';
import type { ProvenanceSignal, TrustListRef } from '../core/signals';
import type { ReportVerdict } from '../core/verdict';

/** What each verdict means, in plain words, for the detail page's headline. */
export const VERDICT_MEANING: Record<ReportVerdict, string> = {
  ai: 'Something that can vouch for it says this video was made or changed with AI.',
  'likely-ai':
    'Content Credentials from a signer no trust list vouches for declare it AI-made, or the on-device classifier rates it above the line that no real clip of its test data reached. This is a strong hint, not proof.',
  uncertain: 'Nothing here says either way. That is not the same as real: most checks found nothing to go on.',
  'no-signs': 'A model that vouches for low scores found no signs of AI. It can still miss some.',
  'verified-capture': 'Content Credentials from a signer you trust say a camera captured it, and they check out.',
  unavailable: 'The video could not be read, so nothing was judged.',
  pending: 'Still waiting for frames to analyse.',
};

/** IPTC digital source types, named for people. */
export const SOURCE_TYPE_NAMES: Record<string, string> = {
  trainedAlgorithmicMedia: 'made by generative AI',
  compositeWithTrainedAlgorithmicMedia: 'partly made by generative AI',
  algorithmicMedia: 'made by an algorithm (not trained AI)',
  compositeSynthetic: 'composite with synthetic parts',
  digitalCapture: 'captured by a camera',
  digitalCreation: 'made on a computer',
  composite: 'composite of several sources',
  minorHumanEdits: 'minor human edits',
  humanEdits: 'edited by a person',
  screenCapture: 'screen recording',
  virtualRecording: 'virtual recording',
  negativeFilm: 'scanned negative film',
  positiveFilm: 'scanned positive film',
  print: 'scanned print',
  dataDrivenMedia: 'made from data',
};

/** A source type's name, or the raw IPTC term when unknown. */
export function sourceTypeName(type: string): string {
  return SOURCE_TYPE_NAMES[type] ?? type;
}

/** Each provenance state in words. */
export const PROVENANCE_STATE_WORDS: Record<ProvenanceSignal['state'], string> = {
  valid: 'Signature valid; the signer is on a trust list you use',
  untrusted: 'Signed, but not by anyone on the trust lists',
  invalid: 'Altered or broken after signing',
  absent: 'No Content Credentials found',
  error: 'Could not be read',
};

/** Which list vouches for a signer, in words. */
export const TRUST_WORDS: Record<NonNullable<ProvenanceSignal['trust']>, string> = {
  official: 'Official C2PA Trust List',
  legacy: 'Legacy: the interim trust list (frozen on 2026-01-01)',
  user: 'Your own trust anchors',
  unknown: 'None of the trust lists in use',
};

/** A trust list's dates in words, saying when it is out of date (it still validates). */
export function trustListDates(list: TrustListRef, now = Date.now()): string {
  const day = (iso?: string) =>
    iso && Number.isFinite(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 10) : iso;
  const parts = [list.issued ? `issued ${day(list.issued)}` : null];
  if (list.nextUpdate) {
    const due = Date.parse(list.nextUpdate);
    parts.push(
      Number.isFinite(due) && due < now
        ? `out of date since ${day(list.nextUpdate)} (it still validates)`
        : `next update due ${day(list.nextUpdate)}`,
    );
  }
  return parts.filter(Boolean).join(', ');
}

/** A frame's own calibrated score, where the classifier ran on it; null otherwise. */
export function frameScore(frame: FrameRecord, config: ClassifierConfig): number | null {
  return frame.blank || typeof frame.aiLogit !== 'number' ? null : calibratedScore([frame.aiLogit], config);
}

/** One point of the score-over-time chart. */
export interface ChartPoint {
  mediaTime: number;
  score: number;
  x: number;
  y: number;
}

/** Geometry of the score-over-time chart, in the SVG's own units. */
export interface ChartGeometry {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
  points: ChartPoint[];
  /** Media time at the left and right edges. */
  domain: [number, number];
  /** y of a score (0..1). */
  yOf: (score: number) => number;
  /** x of a media time. */
  xOf: (time: number) => number;
}

/** Lays the frames' scores out over media time; frames without a score are left out. */
export function chartGeometry(
  frames: readonly FrameRecord[],
  config: ClassifierConfig,
  width = 760,
  height = 200,
): ChartGeometry {
  const pad = { left: 40, right: 12, top: 10, bottom: 26 };
  const scored = frames
    .map((f) => ({ mediaTime: f.mediaTime, score: frameScore(f, config) }))
    .filter((p): p is { mediaTime: number; score: number } => p.score !== null)
    .sort((a, b) => a.mediaTime - b.mediaTime);
  const last = scored.at(-1)?.mediaTime ?? 1;
  const first = scored[0]?.mediaTime ?? 0;
  const domain: [number, number] = last - first < 1 ? [Math.max(0, first - 0.5), first + 0.5] : [first, last];
  const xOf = (t: number) => pad.left + ((t - domain[0]) / (domain[1] - domain[0])) * (width - pad.left - pad.right);
  const yOf = (s: number) => pad.top + (1 - s) * (height - pad.top - pad.bottom);
  return {
    width,
    height,
    pad,
    domain,
    xOf,
    yOf,
    points: scored.map((p) => ({ ...p, x: xOf(p.mediaTime), y: yOf(p.score) })),
  };
}

/** Something the extension could not check for a video, and why. */
export interface Unchecked {
  what: string;
  why: string;
}

/** Lists what could not be checked for a video, and why, in plain words. */
export function uncheckedItems(video: VideoReport, config: ClassifierConfig): Unchecked[] {
  const items: Unchecked[] = [];
  for (const s of video.signals) {
    if (s.kind === 'unavailable') items.push({ what: 'The frames', why: s.detail });
    if (s.kind === 'provenance' && s.state === 'error') {
      items.push({ what: 'Content Credentials', why: s.detail ?? 'the reader failed' });
    }
    if (s.kind === 'provenance' && s.hashVerified === false && s.state !== 'absent' && s.state !== 'error') {
      items.push({
        what: 'The whole file’s hash',
        why:
          s.source === 'stream'
            ? 'only the stream’s first segments were checked'
            : (s.detail ?? 'only part of the file could be checked'),
      });
    }
  }
  const hasProvenance = video.signals.some((s) => s.kind === 'provenance' && s.source !== 'image');
  if (!hasProvenance) {
    items.push({
      what: 'Content Credentials',
      why: video.src.startsWith('blob:')
        ? 'the stream’s first segments were not seen (the page started it before the extension could watch)'
        : video.src
          ? 'not read yet'
          : 'the video has no address to read',
    });
  }
  const hasClassifier = video.signals.some((s) => s.kind === 'classifier');
  if (!hasClassifier && video.verdict !== 'unavailable') {
    const withPicture = video.frames.filter((f) => !f.blank && typeof f.aiLogit === 'number').length;
    items.push({
      what: 'The frame classifier',
      why: `it needs ${config.minFramesForVerdict} frames with picture; it has ${withPicture} so far`,
    });
  }
  if (!video.platform) {
    items.push({ what: 'The platform’s own label', why: 'no site adapter recognised this page' });
  }
  return items;
}

/**
 * The detail page's line for a verdict restored from the verdict cache, or null for one judged on this viewing:
 * the user sees that the evidence is from an earlier viewing, and why it still applies.
 */
export function fromCacheLine(
  video: Pick<VideoReport, 'fromCache'>,
  format: { locale?: string; timeZone?: string } = {},
): string | null {
  if (!video.fromCache) return null;
  const date = new Date(video.fromCache.judgedAt).toLocaleString(format.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: format.timeZone,
  });
  return `Judged earlier on ${date}; this frame matches.`;
}
