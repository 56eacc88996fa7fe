import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameCanvas, grabFrame, OCR_FRAME_SIDE } from '../../lib/content/frame-grabber';

/**
 * The frame grab as the page's main thread runs it: each `drawImage` of a video frame is a synchronous copy, scale
 * and colour conversion, so the small frame and the watermark reader's larger copy must not be drawn in one task.
 * The canvas here records its draws into a shared log; `between` stands for the content script's next paced turn.
 */
const log: string[] = [];

class FakeCanvas {
  constructor(
    public width: number,
    public height: number,
  ) {}
  getContext() {
    return { drawImage: () => log.push(`draw ${Math.max(this.width, this.height)}`) };
  }
  convertToBlob() {
    return Promise.resolve(new Blob([`jpeg ${this.width}`], { type: 'image/jpeg' }));
  }
}

/** The part of FileReader the encoder uses, over Node's Blob. */
class FakeReader {
  result: string | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  readAsDataURL(blob: Blob) {
    void blob.arrayBuffer().then((b) => {
      this.result = `data:${blob.type};base64,${Buffer.from(b).toString('base64')}`;
      this.onload?.();
    });
  }
}

function fakeVideo(): HTMLVideoElement & { currentTime: number; currentSrc: string } {
  return { videoWidth: 1280, videoHeight: 720, currentTime: 2, currentSrc: 'https://example.test/a.mp4' } as never;
}

beforeEach(() => {
  log.length = 0;
  vi.stubGlobal('OffscreenCanvas', FakeCanvas);
  vi.stubGlobal('FileReader', FakeReader);
});
afterEach(() => vi.unstubAllGlobals());

describe('grabFrame', () => {
  it('draws the larger copy for the watermark reader in a later turn than the small frame', async () => {
    const between = () => {
      log.push('turn');
      return Promise.resolve();
    };
    const frame = await grabFrame(fakeVideo(), new FrameCanvas(), new FrameCanvas(), between);
    expect(log).toEqual(['draw 256', 'turn', `draw ${OCR_FRAME_SIDE}`]);
    expect(frame.jpeg).toMatch(/^data:image\/jpeg;base64,/);
    expect(frame.ocrJpeg).toMatch(/^data:image\/jpeg;base64,/);
    expect(frame.mediaTime).toBe(2);
  });

  it('takes no turn and draws once when no larger copy is wanted', async () => {
    const between = vi.fn(() => Promise.resolve());
    const frame = await grabFrame(fakeVideo(), new FrameCanvas(), undefined, between);
    expect(log).toEqual(['draw 256']);
    expect(between).not.toHaveBeenCalled();
    expect(frame.ocrJpeg).toBeUndefined();
  });

  it('drops the larger copy when the page changed the source during the turn (never another video read as this one)', async () => {
    const video = fakeVideo();
    const frame = await grabFrame(video, new FrameCanvas(), new FrameCanvas(), async () => {
      video.currentSrc = 'https://example.test/other.mp4';
    });
    expect(log).toEqual(['draw 256']);
    expect(frame.ocrJpeg).toBeUndefined();
    expect(frame.jpeg).toMatch(/^data:image\/jpeg/);
  });

  it('drops the larger copy when the video jumped in time during the turn', async () => {
    const video = fakeVideo();
    const frame = await grabFrame(video, new FrameCanvas(), new FrameCanvas(), async () => {
      video.currentTime = 7;
    });
    expect(frame.ocrJpeg).toBeUndefined();
  });

  it('lets a released canvas go, and makes a new one when asked again', () => {
    const ocr = new FrameCanvas();
    const first = ocr.sized(960, 540);
    expect(ocr.holding).toBe(true);
    expect(ocr.sized(960, 540)).toBe(first);
    ocr.release();
    expect(ocr.holding).toBe(false);
    expect(ocr.sized(960, 540)).not.toBe(first);
  });
});
