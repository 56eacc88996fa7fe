import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatermarkSignal } from '../../lib/core/signals';
import { type E2E, openPage, startE2E, waitFor } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('visible generator watermarks', () => {
  it('reads a corner mark on several frames in the OCR worker and names the generator', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/watermark.html');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos[0]?.signals.some((s) => s.kind === 'watermark') ?? false,
      60_000,
    );
    const v = r.videos[0]!;
    const mark = v.signals.find((s): s is WatermarkSignal => s.kind === 'watermark')!;
    expect(mark.generator).toBe('Kling');
    expect(mark.frames).toBeGreaterThanOrEqual(2);
    // Bottom-right corner, in fractions of the frame.
    expect(mark.box.x).toBeGreaterThan(0.6);
    expect(mark.box.y).toBeGreaterThan(0.8);
    expect(v.verdict).toBe('ai');
    // The reason names the generator, not the raw OCR text.
    expect(v.reasons[0]).toMatch(/^A visible Kling watermark on \d+ frames\.$/);
    await page.close();
  });

  it('gives no watermark signal on a clip without one', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/same-origin.html');
    await waitFor(e2e, tabId, (res) => (res.videos[0]?.framesAnalysed ?? 0) >= 4, 40_000);
    // Give the OCR worker time to read the frames it was sent.
    await page.waitForTimeout(4000);
    const r = await waitFor(e2e, tabId, () => true);
    expect(r.videos[0]!.signals.some((s) => s.kind === 'watermark')).toBe(false);
    await page.close();
  });
});
