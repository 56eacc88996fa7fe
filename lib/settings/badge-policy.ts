import type { VerdictSummary } from '../messaging/protocol';
import type { BadgePolicy } from './preferences';

/** Whether a video with this verdict carries a badge under the policy. */
export function badgeShown(policy: BadgePolicy, summary: VerdictSummary): boolean {
  return policy === 'all' || summary.flagged === true;
}
