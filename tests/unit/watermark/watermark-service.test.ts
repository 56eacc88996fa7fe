import { describe, expect, it } from 'vitest';
import { QUIET_TEXT_FRAMES, readsText } from '../../../lib/analysis/watermark/ocr-budget';
import type { OcrResponse } from '../../../lib/analysis/watermark/ocr-worker-protocol';
import { WatermarkService } from '../../../lib/analysis/watermark/watermark-service';

/** What the stand-in reader finds on one frame: text boxes near the edges, and a logo. */
interface Scene {
  candidates: number;
  logo?: string;
}

/** A watermark service over a stand-in reader that shows `scenes` in turn and records whether it was asked for text. */
function serviceShowing(scenes: Scene[]) {
  const asked: boolean[] = [];
  const service = new WatermarkService(async (_image, _crop, text): Promise<OcrResponse> => {
    const scene = scenes[asked.length] ?? { candidates: 0 };
    asked.push(text);
    return {
      id: 0,
      width: 960,
      height: 540,
      lines: [],
      logos: scene.logo
        ? [{ template: 'sora-1', generator: scene.logo, score: 0.9, box: { x: 880, y: 480, width: 60, height: 40 } }]
        : [],
      candidates: text ? scene.candidates : null,
      ms: 1,
      load: 0,
      stages: { detect: 0, recognise: 0, logos: 0 },
    };
  });
  const readAll = async (frames: number) => {
    for (let i = 0; i < frames; i++) await service.read('v1', new Blob(['frame']), null);
  };
  return { service, asked, readAll };
}

describe('readsText', () => {
  it('stops reading text after two frames with no text near the edges, never once a mark was seen', () => {
    expect(QUIET_TEXT_FRAMES).toBe(2);
    expect(readsText([], false)).toBe(true);
    expect(readsText([0], false)).toBe(true);
    expect(readsText([0, 0], false)).toBe(false);
    expect(readsText([0, 3], false)).toBe(true);
    expect(readsText([2, 0], false)).toBe(true);
    expect(readsText([0, 0], true)).toBe(true);
  });
});

describe('WatermarkService: text only where text was seen', () => {
  it('matches the third frame of a clip without any edge text against the logos only', async () => {
    const { asked, readAll } = serviceShowing([{ candidates: 0 }, { candidates: 0 }, { candidates: 0 }]);
    await readAll(3);
    expect(asked).toEqual([true, true, false]);
  });

  it('keeps reading text where the cheap pass found some near the edges on either frame', async () => {
    const late = serviceShowing([{ candidates: 0 }, { candidates: 1 }, { candidates: 0 }]);
    await late.readAll(3);
    expect(late.asked).toEqual([true, true, true]);
    const early = serviceShowing([{ candidates: 4 }, { candidates: 0 }, { candidates: 0 }]);
    await early.readAll(3);
    expect(early.asked).toEqual([true, true, true]);
  });

  it('still names a logo seen on the logos-only frame, and reads text on every frame after it', async () => {
    // Sora 1's bar logo first showing on the third frame, as on one of the shared clips.
    const { service, asked, readAll } = serviceShowing([
      { candidates: 0 },
      { candidates: 0 },
      { candidates: 0, logo: 'Sora' },
      { candidates: 0, logo: 'Sora' },
    ]);
    await readAll(4);
    expect(asked).toEqual([true, true, false, true]);
    // Two sightings: the multi-frame rule confirmed the mark, so the reader wants no more frames.
    expect(service.wants('v1')).toBe(false);
    expect(service.room('v1')).toMatchObject({ frames: 0, done: true });
  });

  it('starts again from text for a video forgotten and seen again', async () => {
    const { service, asked, readAll } = serviceShowing([{ candidates: 0 }, { candidates: 0 }]);
    await readAll(2);
    service.forget('v1');
    await readAll(1);
    expect(asked).toEqual([true, true, true]);
  });
});
