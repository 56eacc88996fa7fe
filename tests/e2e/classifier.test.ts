import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifierSignal } from '../../lib/core/signals';
import { type E2E, openPage, startE2E, waitFor } from './harness';

// The shipped classifier in the extension's offscreen document, in Chromium, on real clips from ../shared/data
// (served under /shared/). These clips were part of the training data: this checks that the extension runs the model
// as training did, not how well it generalises (see models/classifier/EVAL.md for that).
const DATA = resolve(__dirname, '../../../shared/data');
const AI = 'ai-video/THUDM__CogVideo/resources__videos__1.mp4';
const REAL = 'real-video/facebookresearch__co-tracker/gradio_demo__videos__apple.mp4';
const present = [AI, REAL].every((f) => existsSync(join(DATA, f)));
if (!present) console.warn(`skipping the classifier e2e test: ${DATA} is absent`);

let e2e: E2E;
beforeAll(async () => {
  if (present) e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

async function classifierOf(file: string): Promise<ClassifierSignal> {
  const { page, tabId } = await openPage(e2e, `/pages/classifier.html?src=/shared/${file}`);
  const r = await waitFor(
    e2e,
    tabId,
    (res) => res.videos[0]?.signals.some((s) => s.kind === 'classifier' && s.framesScored >= 4) ?? false,
    60_000,
  );
  await page.close();
  const signal = r.videos[0]!.signals.find((s): s is ClassifierSignal => s.kind === 'classifier')!;
  return signal;
}

describe.runIf(present)('AI-frame classifier in the extension', () => {
  it('scores a generated clip above a real camera clip, with per-frame scores', async () => {
    const ai = await classifierOf(AI);
    const real = await classifierOf(REAL);
    for (const s of [ai, real]) {
      expect(s.frames).toHaveLength(s.framesScored);
      for (const p of s.frames!) expect(p).toBeGreaterThanOrEqual(0);
      for (const p of s.frames!) expect(p).toBeLessThanOrEqual(1);
    }
    expect(ai.score, `AI ${ai.score} vs real ${real.score}`).toBeGreaterThan(real.score);
    expect(real.score).toBeLessThan(real.thresholds.likelyAi);
  }, 150_000);
});
