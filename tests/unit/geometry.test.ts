import { describe, expect, it } from 'vitest';
import { cropToImagePixels, downscaledSize, videoContentRect, visiblePart } from '../../lib/core/geometry';

const viewport = { width: 800, height: 600 };

describe('cropToImagePixels', () => {
  it('maps CSS pixels one to one when the screenshot has the viewport size', () => {
    expect(cropToImagePixels({ x: 10, y: 20, width: 100, height: 50 }, viewport, viewport)).toEqual({
      x: 10,
      y: 20,
      width: 100,
      height: 50,
    });
  });

  it('scales by image over viewport, which folds in devicePixelRatio 2', () => {
    const image = { width: 1600, height: 1200 };
    expect(cropToImagePixels({ x: 10, y: 20, width: 100, height: 50 }, viewport, image)).toEqual({
      x: 20,
      y: 40,
      width: 200,
      height: 100,
    });
  });

  it('scales each axis on its own (page zoom can make them differ)', () => {
    const image = { width: 1000, height: 900 };
    expect(cropToImagePixels({ x: 80, y: 60, width: 160, height: 120 }, viewport, image)).toEqual({
      x: 100,
      y: 90,
      width: 200,
      height: 180,
    });
  });

  it('rounds outwards so fractional edges keep the whole picture', () => {
    // 10.3 * 1.5 = 15.45 → 15; (10.3 + 20.2) * 1.5 = 45.75 → 46.
    const image = { width: 1200, height: 900 };
    expect(cropToImagePixels({ x: 10.3, y: 10.3, width: 20.2, height: 20.2 }, viewport, image)).toEqual({
      x: 15,
      y: 15,
      width: 31,
      height: 31,
    });
  });

  it('clamps a rectangle that sticks out of the viewport to the image', () => {
    const image = { width: 1600, height: 1200 };
    expect(cropToImagePixels({ x: -50, y: 550, width: 100, height: 100 }, viewport, image)).toEqual({
      x: 0,
      y: 1100,
      width: 100,
      height: 100,
    });
    expect(cropToImagePixels({ x: 700, y: -10, width: 300, height: 20 }, viewport, image)).toEqual({
      x: 1400,
      y: 0,
      width: 200,
      height: 20,
    });
  });

  it('returns null when the rectangle lies wholly outside the image', () => {
    expect(cropToImagePixels({ x: 900, y: 10, width: 100, height: 100 }, viewport, viewport)).toBeNull();
    expect(cropToImagePixels({ x: 10, y: -200, width: 100, height: 100 }, viewport, viewport)).toBeNull();
  });

  it('returns null for degenerate rectangles and viewports', () => {
    expect(cropToImagePixels({ x: 10, y: 10, width: 0, height: 100 }, viewport, viewport)).toBeNull();
    // Under two image pixels on a side is not a frame.
    expect(cropToImagePixels({ x: 10, y: 10, width: 100, height: 1 }, viewport, viewport)).toBeNull();
    expect(cropToImagePixels({ x: 0, y: 0, width: 10, height: 10 }, { width: 0, height: 600 }, viewport)).toBeNull();
  });
});

describe('visiblePart', () => {
  it('returns a rectangle fully inside the viewport unchanged', () => {
    const rect = { x: 10, y: 20, width: 100, height: 50 };
    expect(visiblePart(rect, viewport)).toEqual(rect);
  });

  it('cuts off what is outside on every side', () => {
    expect(visiblePart({ x: -20, y: -30, width: 100, height: 100 }, viewport)).toEqual({
      x: 0,
      y: 0,
      width: 80,
      height: 70,
    });
    expect(visiblePart({ x: 750, y: 580, width: 100, height: 100 }, viewport)).toEqual({
      x: 750,
      y: 580,
      width: 50,
      height: 20,
    });
  });

  it('returns null when nothing is inside, including a rectangle just touching the edge', () => {
    expect(visiblePart({ x: 0, y: 700, width: 100, height: 100 }, viewport)).toBeNull();
    expect(visiblePart({ x: 800, y: 0, width: 100, height: 100 }, viewport)).toBeNull();
    expect(visiblePart({ x: -100, y: 0, width: 100, height: 100 }, viewport)).toBeNull();
  });
});

describe('downscaledSize', () => {
  it('scales the longer side down to the limit, keeping the aspect ratio', () => {
    expect(downscaledSize(1920, 1080, 256)).toEqual({ width: 256, height: 144 });
    expect(downscaledSize(1080, 1920, 256)).toEqual({ width: 144, height: 256 });
  });

  it('never upscales', () => {
    expect(downscaledSize(100, 50, 256)).toEqual({ width: 100, height: 50 });
    expect(downscaledSize(256, 256, 256)).toEqual({ width: 256, height: 256 });
  });

  it('keeps at least one pixel on the short side', () => {
    expect(downscaledSize(10000, 10, 256)).toEqual({ width: 256, height: 1 });
  });
});

describe('videoContentRect', () => {
  const square = { x: 10, y: 20, width: 400, height: 400 };

  it('letterboxes a landscape video in a square box (bars above and below)', () => {
    expect(videoContentRect(square, 1920, 1080, 'contain')).toEqual({ x: 10, y: 107.5, width: 400, height: 225 });
  });

  it('pillarboxes a portrait video in a square box (bars left and right)', () => {
    expect(videoContentRect(square, 1080, 1920, 'contain')).toEqual({ x: 97.5, y: 20, width: 225, height: 400 });
  });

  it('upscales a small video to fill the box with contain', () => {
    expect(videoContentRect(square, 200, 100, 'contain')).toEqual({ x: 10, y: 120, width: 400, height: 200 });
  });

  it('returns the box for cover and fill, which use the whole box', () => {
    expect(videoContentRect(square, 1920, 1080, 'cover')).toEqual(square);
    expect(videoContentRect(square, 1920, 1080, 'fill')).toEqual(square);
  });

  it('never upscales with scale-down, centring the video at its natural size', () => {
    expect(videoContentRect(square, 200, 100, 'scale-down')).toEqual({ x: 110, y: 170, width: 200, height: 100 });
  });

  it('behaves like contain with scale-down when the video is bigger than the box', () => {
    expect(videoContentRect(square, 1920, 1080, 'scale-down')).toEqual(videoContentRect(square, 1920, 1080, 'contain'));
  });

  it('returns the box while the video size is still unknown', () => {
    expect(videoContentRect(square, 0, 0, 'contain')).toEqual(square);
  });
});

describe('videoContentRect with object-fit: none', () => {
  it('centres the picture at natural size', () => {
    expect(videoContentRect({ x: 0, y: 0, width: 400, height: 300 }, 200, 100, 'none')).toEqual({
      x: 100,
      y: 100,
      width: 200,
      height: 100,
    });
  });

  it('clips a picture larger than the box to the box', () => {
    expect(videoContentRect({ x: 10, y: 20, width: 100, height: 50 }, 400, 200, 'none')).toEqual({
      x: 10,
      y: 20,
      width: 100,
      height: 50,
    });
  });
});
