import type * as Ort from 'onnxruntime-web';
import type { FrameStats } from '../core/signals';
import { rgbaToNchw } from './frame-quality';

/** Side of the square the frame is resized to before the statistics model runs. */
export const FRAME_STATS_INPUT_SIDE = 64;

/** The onnxruntime-web surface the wrapper uses, so Node tests and the browser pass their own build. */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

/**
 * One inference session created on first use and shared after; a failed
 * load is forgotten so the next call tries again instead of poisoning the host.
 */
export class LazySession {
  private session: Promise<Ort.InferenceSession> | null = null;

  constructor(
    private readonly ort: OrtModule,
    private readonly loadModelBytes: () => Promise<Uint8Array>,
  ) {}

  /** The session, loading it if needed. */
  get(): Promise<Ort.InferenceSession> {
    if (!this.session) {
      this.session = this.loadModelBytes().then((bytes) =>
        this.ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] }),
      );
      this.session.catch(() => {
        this.session = null;
      });
    }
    return this.session;
  }
}

/**
 * The frame-statistics model behind one lazily created session: the first
 * frame pays for loading, later frames reuse it, and a failed load is retried
 * on the next frame instead of poisoning the host.
 */
export class FrameStatsModel {
  private readonly session: LazySession;

  constructor(
    private readonly ort: OrtModule,
    loadModelBytes: () => Promise<Uint8Array>,
  ) {
    this.session = new LazySession(ort, loadModelBytes);
  }

  /** Loads the session and runs it once, so the first real frame does not pay for compiling wasm. */
  async warm(): Promise<void> {
    const side = 8;
    await this.run(new Uint8Array(side * side * 4), side, side);
  }

  /** Runs the model on RGBA pixels. */
  async run(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Promise<FrameStats> {
    const session = await this.session.get();
    const input = new this.ort.Tensor('float32', rgbaToNchw(rgba, width, height), [1, 3, height, width]);
    const result = await session.run({ frame: input });
    const stats = result.stats;
    if (!stats) throw new Error('frame-stats model returned no "stats" output');
    const d = stats.data as Float32Array;
    input.dispose();
    stats.dispose();
    return { meanLuma: d[0]!, lumaStd: d[1]!, edgeEnergy: d[2]!, darkFraction: d[3]! };
  }
}
