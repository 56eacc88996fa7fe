import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseMarkText } from '../../../lib/core/generator-marks';
import {
  boxesFromProbabilityMap,
  DEFAULT_DETECTOR_OPTIONS,
  detectorInputSize,
} from '../../../lib/analysis/watermark/text-detector';
import { ctcGreedyDecode, parseDictionary, recognitionWidth } from '../../../lib/analysis/watermark/text-recognizer';
import { WatermarkReader, WATERMARK_MODEL_FILES } from '../../../lib/analysis/watermark/watermark-reader';
import { WatermarkTracker } from '../../../lib/core/watermark-tracker';
import {
  drawtextEscape,
  extractFrame,
  ffmpeg,
  FONT_LATIN,
  HAVE_FFMPEG,
  loadModelFile,
  tempDir,
  type Frame,
} from './video-frames';

describe('detectorInputSize', () => {
  it('scales the longer side to maxSide and both sides to multiples of 32', () => {
    expect(detectorInputSize(1280, 720, 960)).toEqual({ width: 960, height: 544 });
    expect(detectorInputSize(1920, 1080, 960)).toEqual({ width: 960, height: 544 });
    // Small phone re-encodes are enlarged, so their small text reaches the size DB was trained on.
    expect(detectorInputSize(264, 480, 960)).toEqual({ width: 544, height: 960 });
    expect(detectorInputSize(10, 2000, 960)).toEqual({ width: 32, height: 960 });
  });
});

describe('boxesFromProbabilityMap', () => {
  const W = 40;
  const H = 20;
  function map(fill: (x: number, y: number) => number): Float32Array {
    const m = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) m[y * W + x] = fill(x, y);
    return m;
  }

  it('returns one unclipped box per confident region, best first, and drops weak or thin ones', () => {
    const prob = map((x, y) => {
      if (x >= 4 && x < 14 && y >= 4 && y < 8) return 0.9; // strong 10×4 kernel
      if (x >= 20 && x < 30 && y >= 4 && y < 8) return 0.45; // above the pixel threshold, below the box threshold
      if (x >= 20 && x < 36 && y >= 14 && y < 18) return 0.7; // weaker but kept
      if (x === 38 && y >= 2 && y < 18) return 0.95; // one pixel wide: noise
      return 0.05;
    });
    const boxes = boxesFromProbabilityMap(prob, W, H, DEFAULT_DETECTOR_OPTIONS);
    expect(boxes).toHaveLength(2);
    const [first, second] = boxes;
    expect(first!.score).toBeCloseTo(0.9, 5);
    // 10×4 kernel: offset = 40 × 1.5 / 28 ≈ 2.14 px on each side.
    const d = (10 * 4 * 1.5) / 28;
    expect(first!.x).toBeCloseTo(4 - d, 5);
    expect(first!.y).toBeCloseTo(4 - d, 5);
    expect(first!.width).toBeCloseTo(10 + 2 * d, 5);
    expect(first!.height).toBeCloseTo(4 + 2 * d, 5);
    expect(second!.score).toBeCloseTo(0.7, 5);
    // Clipped at the map's right edge.
    expect(second!.x + second!.width).toBeLessThanOrEqual(W);
  });

  it('finds nothing on an empty map', () => {
    expect(
      boxesFromProbabilityMap(
        map(() => 0.1),
        W,
        H,
        DEFAULT_DETECTOR_OPTIONS,
      ),
    ).toEqual([]);
  });
});

describe('CTC decoding', () => {
  const alphabet = ['', 'a', 'b', ' '];
  function probs(steps: number[]): Float32Array {
    const out = new Float32Array(steps.length * alphabet.length);
    steps.forEach((c, t) => {
      for (let k = 0; k < alphabet.length; k++) out[t * alphabet.length + k] = k === c ? 0.8 : 0.2 / 3;
    });
    return out;
  }

  it('collapses repeats, drops blanks and keeps letters a blank separates', () => {
    const decoded = ctcGreedyDecode(probs([1, 1, 0, 1, 2, 2, 0, 3, 2]), 9, alphabet.length, alphabet);
    expect(decoded.text).toBe('aab b');
    expect(decoded.confidence).toBeCloseTo(0.8, 5);
  });

  it('reads nothing from blanks, with zero confidence', () => {
    expect(ctcGreedyDecode(probs([0, 0, 0]), 3, alphabet.length, alphabet)).toEqual({ text: '', confidence: 0 });
  });

  it('keeps the aspect of a line up to the width cap', () => {
    expect(recognitionWidth(100, 24)).toBe(200);
    expect(recognitionWidth(5000, 20)).toBe(960);
  });
});

describe('the PaddleOCR dictionary', () => {
  it('gives the 6625 classes of the recognition model: blank, 6623 keys, space', async () => {
    const alphabet = parseDictionary(new TextDecoder().decode(await loadModelFile(WATERMARK_MODEL_FILES.dictionary)));
    expect(alphabet).toHaveLength(6625);
    expect(alphabet[0]).toBe('');
    expect(alphabet[6624]).toBe(' ');
    for (const c of ['S', 'o', 'r', 'a', '可', '灵', '即', '梦', '海', '螺', '生', '成']) expect(alphabet).toContain(c);
  });
});

let reader: WatermarkReader;

beforeAll(() => {
  // Node has no cross-origin isolation; the single-threaded wasm build is what runs here.
  ort.env.wasm.numThreads = 1;
  reader = new WatermarkReader(ort, loadModelFile);
});

describe('WatermarkReader loading', { timeout: 60_000 }, () => {
  const tiny = { width: 64, height: 32, data: new Uint8Array(64 * 32 * 4).fill(128) };

  it('retries a failed load on the next frame and loads each file once after that', async () => {
    const loads: string[] = [];
    let fail = true;
    // A small detector input: this test is about loading, not reading.
    const r = new WatermarkReader(
      ort,
      async (name) => {
        loads.push(name);
        if (fail && name === WATERMARK_MODEL_FILES.recogniser) throw new Error('recogniser fetch failed');
        return loadModelFile(name);
      },
      { detector: { ...DEFAULT_DETECTOR_OPTIONS, maxSide: 64 } },
    );
    await expect(r.readFrame(tiny.data, tiny.width, tiny.height)).rejects.toThrow('recogniser fetch failed');
    fail = false;
    await Promise.all([1, 2].map(() => r.readFrame(tiny.data, tiny.width, tiny.height)));
    await expect(r.readFrame(tiny.data, tiny.width, tiny.height)).resolves.toMatchObject({ lines: [] });
    expect(loads.filter((n) => n === WATERMARK_MODEL_FILES.recogniser)).toHaveLength(2);
    expect(loads.filter((n) => n === WATERMARK_MODEL_FILES.detector)).toHaveLength(1);
    expect(loads.filter((n) => n === WATERMARK_MODEL_FILES.dictionary)).toHaveLength(1);
  });

  it('rejects a buffer too small for the stated size', async () => {
    await expect(reader.readFrame(new Uint8Array(16), 64, 32)).rejects.toThrow('needs');
  });
});

/** True when fontconfig knows a font that covers Chinese; this machine usually has none. */
function haveCjkFont(): string | null {
  try {
    const out = execFileSync('fc-list', [':lang=zh', 'file'], { encoding: 'utf8' }).trim();
    return out ? (out.split('\n')[0]!.replace(/:\s*$/, '') ?? null) : null;
  } catch {
    return null;
  }
}

if (!HAVE_FFMPEG) console.info('[watermark] ffmpeg is absent (FFMPEG or PATH): the synthetic-clip tests are skipped.');

describe.skipIf(!HAVE_FFMPEG)(
  'WatermarkReader + WatermarkTracker on synthetic clips (real ONNX models)',
  { timeout: 60_000 },
  () => {
    const FRAME_TIMES = [0.5, 1.5, 2.5];
    let dir: ReturnType<typeof tempDir>;

    beforeAll(() => {
      dir = tempDir('watermark-synthetic-');
    });
    afterAll(() => dir.remove());

    /** A 3-second 1280×720 clip of moving noise with the given drawtext/drawbox filters burnt in. */
    function makeClip(name: string, filters: string[]): string {
      const file = join(dir.path, `${name}.mp4`);
      const graph = ['color=c=0x406080:s=1280x720:d=3:r=10', 'format=yuv420p', 'noise=alls=25:allf=t', ...filters];
      ffmpeg(['-f', 'lavfi', '-i', graph.join(','), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '26', file]);
      return file;
    }

    function text(t: string, opts: string, font = FONT_LATIN): string {
      return `drawtext=fontfile=${font}:text='${drawtextEscape(t)}':${opts}`;
    }

    async function track(file: string): Promise<{ tracker: WatermarkTracker; texts: string[] }> {
      const tracker = new WatermarkTracker();
      const texts: string[] = [];
      for (const time of FRAME_TIMES) {
        const frame: Frame = extractFrame(file, time);
        const reading = await reader.readFrame(frame.data, frame.width, frame.height);
        texts.push(...reading.lines.map((l) => l.text));
        tracker.addFrame({ width: frame.width, height: frame.height, lines: reading.lines });
      }
      return { tracker, texts };
    }

    it('reads a burnt-in news chyron that mentions Sora, and gives no watermark signal', async () => {
      const file = makeClip('chyron', [
        'drawbox=x=0:y=600:w=iw:h=80:color=0xAA1020@1:t=fill',
        text('OpenAI unveils Sora video model', 'x=40:y=620:fontsize=40:fontcolor=white'),
      ]);
      const { tracker, texts } = await track(file);
      // The negative only means something if OCR did read the word.
      expect(texts.some((t) => normaliseMarkText(t).includes('sora'))).toBe(true);
      expect(tracker.signals()).toEqual([]);
    });

    it('finds a small fixed corner "KlingAI" on every frame and names Kling', async () => {
      const file = makeClip('kling-corner', [
        text('KlingAI 2.0', 'x=w-tw-24:y=h-th-20:fontsize=26:fontcolor=white@0.85'),
      ]);
      const { tracker } = await track(file);
      const signal = tracker.signal();
      expect(signal).toMatchObject({ kind: 'watermark', generator: 'Kling', frames: 3 });
      expect(signal!.box.x).toBeGreaterThan(0.75);
      expect(signal!.box.y).toBeGreaterThan(0.85);
    });

    it('finds a small "Sora" that hops between edge positions each second and names Sora', async () => {
      const x = 'if(lt(t,1),30,if(lt(t,2),w-tw-30,30))';
      const y = 'if(lt(t,1),30,if(lt(t,2),(h-th)/2,h-th-30))';
      const file = makeClip('sora-moving', [text('Sora', `x='${x}':y='${y}':fontsize=28:fontcolor=white@0.8`)]);
      const { tracker } = await track(file);
      expect(tracker.signal()).toMatchObject({ kind: 'watermark', generator: 'Sora', text: 'Sora', frames: 3 });
    });

    const cjk = haveCjkFont();
    it.skipIf(!cjk)('finds a corner "可灵AI" and names Kling (needs a CJK font)', async () => {
      const file = makeClip('kling-cjk', [text('可灵AI', 'x=w-tw-24:y=h-th-20:fontsize=30:fontcolor=white', cjk!)]);
      const { tracker } = await track(file);
      expect(tracker.signal()).toMatchObject({ generator: 'Kling' });
    });
    if (!cjk) console.info('[watermark] no CJK font installed: the synthetic "可灵AI" case is skipped.');
  },
);
