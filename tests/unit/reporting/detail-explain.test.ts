import { describe, expect, it } from 'vitest';
import { calibratedScore } from '../../../lib/analysis/classifier/calibration';
import { CLASSIFIER_CONFIG } from '../../../lib/analysis/classifier/config';
import { chartGeometry, frameScore, uncheckedItems } from '../../../lib/detail/explain';
import { parseDetailRoute, videoPageUrl } from '../../../lib/detail/detail-url';
import { sampleVideo } from './fixtures';

describe('detail view logic', () => {
  it('scores each frame with the shipped calibration and lays them out over time', () => {
    const video = sampleVideo();
    const scores = video.frames.map((f) => frameScore(f, CLASSIFIER_CONFIG));
    expect(scores[1]).toBeCloseTo(calibratedScore([3], CLASSIFIER_CONFIG), 10);
    expect(frameScore({ ...video.frames[0]!, blank: true }, CLASSIFIER_CONFIG)).toBeNull();
    const g = chartGeometry(video.frames, CLASSIFIER_CONFIG, 500, 200);
    expect(g.points.map((p) => p.mediaTime)).toEqual([0.5, 1.5, 2.5]);
    expect(g.points[0]!.x).toBe(g.pad.left);
    expect(g.points[2]!.x).toBe(500 - g.pad.right);
    // Higher scores sit higher (smaller y).
    expect(g.points[1]!.y).toBeLessThan(g.points[0]!.y);
    expect(g.yOf(1)).toBe(g.pad.top);
  });

  it('says what could not be checked and why', () => {
    const blob = sampleVideo({ src: 'blob:https://x/1', signals: [], frames: [], platform: null });
    const items = uncheckedItems(blob, CLASSIFIER_CONFIG);
    expect(items.map((i) => i.what)).toEqual([
      'Content Credentials',
      'The frame classifier',
      'The platform’s own label',
    ]);
    expect(items[0]!.why).toMatch(/stream/);
    const tooLarge = sampleVideo({
      signals: [
        {
          kind: 'provenance',
          state: 'error',
          declaresAi: false,
          captureDevice: false,
          digitalSourceTypes: [],
          detail: 'file too large to verify (300 MB > 100 MB)',
        },
        { kind: 'unavailable', reason: 'drm', detail: 'The stream is DRM-protected.' },
      ],
    });
    expect(uncheckedItems(tooLarge, CLASSIFIER_CONFIG)).toEqual(
      expect.arrayContaining([
        { what: 'Content Credentials', why: 'file too large to verify (300 MB > 100 MB)' },
        { what: 'The frames', why: 'The stream is DRM-protected.' },
      ]),
    );
  });

  it('round-trips its address', () => {
    expect(videoPageUrl(7, 'a b', 'report')).toBe('/detail.html?tab=7&video=a+b&view=report');
    expect(parseDetailRoute('?tab=7&video=a+b&view=report')).toEqual({ view: 'report', tabId: 7, videoId: 'a b' });
    expect(parseDetailRoute('?view=history')).toEqual({ view: 'history', reportId: null });
    expect(parseDetailRoute('?tab=x').view).toBe('invalid');
  });
});
