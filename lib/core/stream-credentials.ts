import type { ProvenanceSignal } from './signals';

/** Failure code for a stream that appended a different init segment after its credentials were read. */
export const INIT_CHANGED_CODE = 'stream.initSegmentChanged';

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/**
 * Whether later media segments of a stream can change its reading: not once
 * it is invalid, withdrawn, without credentials, or signed with one hash over
 * the whole file (no single segment can be checked against that).
 */
export function streamSettled(p: ProvenanceSignal | undefined): boolean {
  if (!p) return false;
  if (p.state === 'invalid' || p.state === 'absent') return true;
  if (p.state === 'error') return p.failureCodes?.includes(INIT_CHANGED_CODE) === true;
  return p.segmentsChecked === 0;
}

/**
 * Folds the reading of one more media segment (segment `index`, checked
 * against the stream's init segment) into the stream's credentials so far.
 * The first mismatch makes the whole stream invalid and stays; a segment
 * whose reading failed counts as skipped; every matching one adds to
 * `segmentsChecked`.
 */
export function mergeStreamReading(
  previous: ProvenanceSignal | undefined,
  reading: ProvenanceSignal,
  index: number,
  skipped: number,
): ProvenanceSignal {
  const usable = previous && (previous.state === 'valid' || previous.state === 'untrusted') ? previous : undefined;
  const checkedBefore = usable?.segmentsChecked ?? 0;
  const skippedBefore = Math.max(previous?.segmentsSkipped ?? 0, skipped);
  if (previous && streamSettled(previous)) return { ...previous, segmentsSkipped: skippedBefore };
  if (reading.state === 'error') {
    return usable
      ? { ...usable, segmentsSkipped: skippedBefore + 1 }
      : { ...reading, segmentsChecked: 0, segmentsSkipped: skippedBefore + 1 };
  }
  const checked = reading.segmentsChecked ?? 0;
  if (reading.state === 'invalid' && checked > 0) {
    const after = checkedBefore > 0 ? `: the stream was altered after segment ${index - 1}` : '';
    return {
      ...(usable ?? reading),
      state: 'invalid',
      failureCodes: reading.failureCodes,
      detail: `segment ${index} does not match the stream’s signed hashes${after}`,
      segmentsChecked: checkedBefore + checked,
      segmentsSkipped: skippedBefore,
      ...(reading.segmentMs !== undefined ? { segmentMs: reading.segmentMs } : {}),
    };
  }
  return { ...reading, segmentsChecked: checkedBefore + checked, segmentsSkipped: skippedBefore };
}

/** The stream switched to another init segment after segment `index`: its credentials no longer cover it. */
export function withdrawStream(previous: ProvenanceSignal | undefined, index: number): ProvenanceSignal | undefined {
  if (!previous || previous.state === 'invalid') return undefined;
  return {
    ...previous,
    state: 'error',
    failureCodes: [INIT_CHANGED_CODE],
    detail: `the stream switched to another init segment after ${plural(index, 'segment')}, which its credentials do not cover`,
  };
}
