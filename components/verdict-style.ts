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
