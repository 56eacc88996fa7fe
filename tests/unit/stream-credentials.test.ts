import { describe, expect, it } from 'vitest';
import type { ProvenanceSignal } from '../../lib/core/signals';
import {
  INIT_CHANGED_CODE,
  mergeStreamReading,
  streamSettled,
  withdrawStream,
} from '../../lib/core/stream-credentials';
import { evaluateVerdict } from '../../lib/core/verdict';

function reading(over: Partial<ProvenanceSignal> = {}): ProvenanceSignal {
  return {
    kind: 'provenance',
    state: 'untrusted',
    declaresAi: true,
    captureDevice: false,
    digitalSourceTypes: ['trainedAlgorithmicMedia'],
    generator: 'Runway Gen-4',
    source: 'stream',
    hashVerified: false,
    segmentsChecked: 1,
    ...over,
  };
}

describe('mergeStreamReading', () => {
  it('counts each segment that matches and stays invalid from the first that does not', () => {
    let p = mergeStreamReading(undefined, reading(), 1, 0);
    p = mergeStreamReading(p, reading(), 2, 0);
    expect(p).toMatchObject({ state: 'untrusted', segmentsChecked: 2, segmentsSkipped: 0 });
    p = mergeStreamReading(p, reading({ state: 'invalid', failureCodes: ['assertion.bmffHash.mismatch'] }), 3, 1);
    expect(p).toMatchObject({ state: 'invalid', segmentsChecked: 3, segmentsSkipped: 1, generator: 'Runway Gen-4' });
    expect(p.detail).toBe(
      'segment 3 does not match the stream’s signed hashes: the stream was altered after segment 2',
    );
    expect(streamSettled(p)).toBe(true);
    // A later matching segment does not make the stream whole again.
    expect(mergeStreamReading(p, reading(), 4, 1).state).toBe('invalid');
  });

  it('counts a segment whose reading failed as skipped and keeps what was known', () => {
    const p = mergeStreamReading(undefined, reading(), 1, 0);
    const failed = mergeStreamReading(p, reading({ state: 'error', detail: 'worker restarted' }), 2, 0);
    expect(failed).toMatchObject({ state: 'untrusted', segmentsChecked: 1, segmentsSkipped: 1 });
  });

  it('stops at a stream signed as one file: no segment can be checked against that', () => {
    const p = mergeStreamReading(undefined, reading({ segmentsChecked: 0, detail: 'hash not verified' }), 1, 0);
    expect(streamSettled(p)).toBe(true);
    expect(evaluateVerdict([p]).reasons[0]).toMatch(/the stream’s hash was not checked/);
  });

  it('withdraws the credentials when the stream switches to another init segment', () => {
    const p = withdrawStream(mergeStreamReading(undefined, reading(), 1, 0), 1)!;
    expect(p).toMatchObject({ state: 'error', failureCodes: [INIT_CHANGED_CODE] });
    expect(streamSettled(p)).toBe(true);
    expect(evaluateVerdict([p]).level).not.toBe('ai');
  });

  it('names the failing segment in the verdict', () => {
    let p = mergeStreamReading(undefined, reading({ declaresAi: false, digitalSourceTypes: [] }), 1, 0);
    p = mergeStreamReading(p, reading({ state: 'invalid', declaresAi: false }), 2, 0);
    expect(evaluateVerdict([p]).reasons.join(' ')).toMatch(/altered or broken after signing.*segment 2 does not match/);
  });
});
