import type { Signal } from '../core/signals';
import type { ReportVerdict } from '../core/verdict';
import type { VerdictSummary } from '../messaging/protocol';
import type { BadgePolicy } from './preferences';

/**
 * Whether something in the evidence points towards AI, so that "flagged
 * only" badges show the video: an `ai` or `likely-ai` verdict, or an
 * `uncertain` one that rests on a classifier score in its uncertain band, a
 * watermark, a label, the post's own words, or credentials that declare AI or
 * were altered. An `uncertain` verdict that only says "nothing conclusive" is
 * not flagged: in the user's words it is a video with no signs of AI.
 */
export function isFlagged(level: ReportVerdict, signals: readonly Signal[]): boolean {
  if (level === 'ai' || level === 'likely-ai') return true;
  if (level !== 'uncertain') return false;
  return signals.some((s) => {
    switch (s.kind) {
      case 'classifier':
        return s.score >= s.thresholds.uncertain;
      case 'watermark':
      case 'platform-label':
        return true;
      case 'provenance':
        return s.state === 'invalid' || ((s.state === 'valid' || s.state === 'untrusted') && s.declaresAi);
      case 'frame-quality':
      case 'unavailable':
        return false;
    }
  });
}

/** Whether a video with this verdict carries a badge under the policy. */
export function badgeShown(policy: BadgePolicy, summary: VerdictSummary): boolean {
  return policy === 'all' || summary.flagged === true;
}
