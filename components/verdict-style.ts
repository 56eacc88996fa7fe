import type { ReportVerdict } from '../lib/core/verdict';

/** Colours and glyphs per verdict, shared by the badge and the popup so both read alike. */
export const VERDICT_STYLE: Record<ReportVerdict, { glyph: string; className: string }> = {
  ai: { glyph: '●', className: 'v-ai' },
  'likely-ai': { glyph: '●', className: 'v-likely-ai' },
  uncertain: { glyph: '?', className: 'v-uncertain' },
  'no-signs': { glyph: '○', className: 'v-no-signs' },
  'verified-capture': { glyph: '✓', className: 'v-verified' },
  unavailable: { glyph: '–', className: 'v-unavailable' },
  pending: { glyph: '…', className: 'v-pending' },
};

/**
 * How the classifier's calibrated score reads next to a verdict. Only the verdicts the classifier can drive carry it:
 * next to "AI-generated" from a manifest, watermark or label, or "verified capture", a percentage would read as
 * the certainty of that evidence, which it is not.
 */
export function scoreText(verdict: ReportVerdict, score: number | null): string {
  if (score === null || (verdict !== 'likely-ai' && verdict !== 'uncertain' && verdict !== 'no-signs')) return '';
  return ` (${Math.round(score * 100)}% AI)`;
}
