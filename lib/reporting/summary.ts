import { scoreText, VERDICT_LABELS } from '../core/verdict';
import { REPORT_REASONS, type ReportBundle } from './schema';

/**
 * A short plain-text summary of a report, copied to the clipboard when the
 * user opens the platform's own report flow, to paste into its form.
 */
export function reportSummary(bundle: ReportBundle): string {
  const reason = REPORT_REASONS.find((r) => r.value === bundle.reason)?.label ?? bundle.reason;
  const score = scoreText(bundle.verdict.level, bundle.verdict.score);
  const lines = [
    `Reported as: ${reason}.`,
    `Provenance Lens verdict: ${VERDICT_LABELS[bundle.verdict.level]}${score}.`,
    ...bundle.verdict.reasons.slice(0, 3).map((r) => `- ${r}`),
  ];
  if (bundle.notes) lines.push(`Notes: ${bundle.notes}`);
  lines.push(`Page: ${bundle.page.url}`);
  if (bundle.video.src) lines.push(`Video: ${bundle.video.src}`);
  lines.push(`Checked ${bundle.createdAt} with ${bundle.software.extension} ${bundle.software.version}.`);
  return lines.join('\n');
}
