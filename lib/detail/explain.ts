import { type ClassifierConfig, calibratedScore } from '../core/classifier-calibration';
import type { FrameRecord, VideoReport } from '../core/report';
import { plural, t } from '../present/i18n';
import { asComputeDevice } from '../core/compute';

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
  // Room on the left for the widest axis label a language writes ("100 %" in Spanish).
  const pad = { left: 48, right: 12, top: 10, bottom: 26 };
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
    if (s.kind === 'unavailable') items.push({ what: t('uncheckedFrames'), why: s.detail });
    if (s.kind === 'provenance' && s.state === 'error') {
      items.push({ what: t('uncheckedCredentials'), why: s.detail ?? t('uncheckedReaderFailed') });
    }
    if (s.kind === 'provenance' && s.hashVerified === false && s.state !== 'absent' && s.state !== 'error') {
      items.push({
        what: t('uncheckedHash'),
        why: s.source === 'stream' ? t('uncheckedHashStream') : (s.detail ?? t('uncheckedHashPart')),
      });
    }
  }
  const hasProvenance = video.signals.some((s) => s.kind === 'provenance' && s.source !== 'image');
  if (!hasProvenance) {
    items.push({
      what: t('uncheckedCredentials'),
      why: video.src.startsWith('blob:')
        ? t('uncheckedStreamUnseen')
        : video.src
          ? t('uncheckedNotReadYet')
          : t('uncheckedNoAddress'),
    });
  }
  const hasClassifier = video.signals.some((s) => s.kind === 'classifier');
  if (!hasClassifier && video.verdict !== 'unavailable') {
    const withPicture = video.frames.filter((f) => !f.blank && typeof f.aiLogit === 'number').length;
    items.push({
      what: t('uncheckedClassifier'),
      why: t('uncheckedClassifierWhy', [config.minFramesForVerdict, withPicture]),
    });
  }
  if (!video.platform) {
    items.push({ what: t('uncheckedPlatformLabel'), why: t('uncheckedNoAdapter') });
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
  return t('detailFromCache', [date]);
}

/**
 * The detail page's line on where the models ran for this video (see lib/core/compute.ts), or null before a frame
 * was analysed (and for a report from storage whose record is damaged): the CPU engine and its threads, and what GPU
 * the browser offered, said as not used.
 */
export function analysedOnLine(video: Pick<VideoReport, 'analysedOn'>): string | null {
  const device = asComputeDevice(video.analysedOn);
  if (!device) return null;
  const gpu =
    device.gpu === 'unsupported'
      ? t('detailGpuUnsupported')
      : device.gpu === 'no-adapter'
        ? t('detailGpuNoAdapter')
        : device.gpu === 'software'
          ? t('detailGpuSoftware')
          : device.gpuVendor
            ? t('detailGpuHardware', [device.gpuVendor])
            : t('detailGpuHardwareUnnamed');
  return `${plural('detailAnalysedOnCpu', device.threads)} ${gpu}`;
}
