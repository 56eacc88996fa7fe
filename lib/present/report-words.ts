import type { ReportReason } from '../reporting/schema';
import { type MessageKey, t } from './i18n';

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
