import type { ReportBundle, ReportReason } from '../reporting/schema';
import { reasonTexts } from './evidence';
import { type MessageKey, t } from './i18n';
import { verdictWithScore } from './words';

const REASON_KEYS: Record<ReportReason, MessageKey> = {
  impersonation: 'reportReasonImpersonation',
  scam: 'reportReasonScam',
  'misleading-news': 'reportReasonNews',
  'sexual-content': 'reportReasonSexual',
  other: 'reportReasonOther',
};

/** What the user said is wrong with a reported video, in their language (bundles keep the code and English). */
export function reportReasonText(reason: ReportReason): string {
  return t(REASON_KEYS[reason]);
}

/**
 * A short plain-text summary of a report in the user's language, copied to the clipboard when the user opens the
 * platform's own report flow, to paste into its form. (The bundle itself keeps codes and English reasons.)
 */
export function reportSummary(bundle: ReportBundle): string {
  const reasons = reasonTexts({ reasons: bundle.verdict.reasons, signals: bundle.signals });
  const lines = [
    t('summaryReportedAs', [reportReasonText(bundle.reason)]),
    t('summaryVerdict', [verdictWithScore(bundle.verdict.level, bundle.verdict.score)]),
    ...reasons.slice(0, 3).map((r) => `- ${r}`),
  ];
  if (bundle.notes) lines.push(t('historyNotes', [bundle.notes]));
  lines.push(t('summaryPage', [bundle.page.url]));
  if (bundle.video.src) lines.push(t('summaryVideo', [bundle.video.src]));
  lines.push(t('summaryChecked', [bundle.createdAt, bundle.software.extension, bundle.software.version]));
  return lines.join('\n');
}
