import { english, phraseText, type Wording } from '../core/reasons';
import type { VideoReport } from '../core/report';
import { explainVerdict } from '../core/verdict';
import { type MessageKey, t } from './i18n';
import { percent, provenanceStateText } from './words';

/** A video's address as a short label: host and path, or what kind of source it has when it has none. */
export function srcLabel(src: string): string {
  if (!src) return t('srcNone');
  if (src.startsWith('blob:')) return t('srcStream');
  try {
    const url = new URL(src);
    return `${url.hostname}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return src;
  }
}

/** One line per piece of evidence, in plain words, for the popup's details. */
export function signalLines(video: VideoReport): string[] {
  const lines: string[] = [];
  for (const s of video.signals) {
    switch (s.kind) {
      case 'provenance': {
        const where = t(
          s.source === 'image' ? 'lineWhereImage' : s.source === 'stream' ? 'lineWhereStream' : 'lineWhereFile',
        );
        const parts = [provenanceStateText(s.state, 'inline')];
        if (s.signer) parts.push(t('lineSignedBy', [s.signer]));
        if (s.signingTime) parts.push(t('lineOnDate', [s.signingTime.slice(0, 10)]));
        if (s.generator) parts.push(t('lineMadeWith', [s.generator]));
        if (s.digitalSourceTypes.length) parts.push(t('lineSource', [s.digitalSourceTypes.join(', ')]));
        if (s.failureCodes?.length && s.state === 'invalid') parts.push(`(${s.failureCodes.join(', ')})`);
        if (s.detail) parts.push(s.detail);
        lines.push(t('lineProvenance', [where, parts.join('; ')]));
        for (const i of s.ingredients ?? []) {
          lines.push(
            `  ${
              i.generator
                ? t('lineIngredientMadeWith', [i.title, i.relationship, i.generator])
                : t('lineIngredient', [i.title, i.relationship])
            }`,
          );
        }
        break;
      }
      case 'platform-label':
        lines.push(
          s.source === 'platform' ? t('linePlatformLabel', [s.platform, s.label]) : t('linePostText', [s.label]),
        );
        break;
      case 'watermark':
        lines.push(t('lineWatermark', [s.generator, s.text, s.frames]));
        break;
      case 'classifier':
        lines.push(t('lineClassifier', [s.model, percent(s.score), s.framesScored]));
        break;
      case 'frame-quality':
        lines.push(
          s.blankFrames
            ? t('lineFramesReadBlank', [s.framesChecked, s.blankFrames])
            : t('lineFramesRead', [s.framesChecked]),
        );
        break;
      case 'unavailable':
        lines.push(t('lineCouldNotCheck', [s.detail]));
        break;
    }
  }
  return lines;
}

/** Reason phrases worded from the message catalogue, in the user's language. */
const catalogueWording: Wording = (key, values) => t(key as MessageKey, values);

/**
 * A video's reasons as the user reads them, most important first. They are worded again from the video's signals,
 * in the user's language, where those signals give the reasons stored (in English) with it; a reason the store
 * wrote on its own (a page over its video cap) is shown as stored.
 */
export function reasonTexts(video: Pick<VideoReport, 'reasons' | 'signals'>): string[] {
  const phrases = explainVerdict(video.signals).reasons;
  const same =
    phrases.length === video.reasons.length && phrases.every((p, i) => phraseText(p, english) === video.reasons[i]);
  return same ? phrases.map((p) => phraseText(p, catalogueWording)) : video.reasons;
}
