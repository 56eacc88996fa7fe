import { LazySession, type OrtModule } from '../frame-stats-model';
import { classifierInput } from './preprocess';

/**
 * The AI-frame classifier behind one lazy session. It takes the sampled
 * frame as the page sends it and returns the raw logit of "AI"; clip-level
 * calibration happens where the frames of a video are gathered.
 */
export class ClassifierModel {
  private readonly session: LazySession;

  constructor(
    private readonly ort: OrtModule,
    loadModelBytes: () => Promise<Uint8Array>,
    private readonly size: number,
  ) {
    this.session = new LazySession(ort, loadModelBytes);
  }

  /** Loads and runs the model once ahead of the first frame. */
  async warm(): Promise<void> {
    await this.runTensor(new Float32Array(3 * this.size * this.size));
  }

  /** The logit of "AI" for one frame of RGBA pixels. */
  run(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Promise<number> {
    return this.runTensor(classifierInput(rgba, width, height, this.size));
  }

  /** The logit for an already prepared NCHW input. */
  async runTensor(input: Float32Array): Promise<number> {
    const session = await this.session.get();
    const tensor = new this.ort.Tensor('float32', input, [1, 3, this.size, this.size]);
    const result = await session.run({ frame: tensor });
    const logit = result.logit;
    if (!logit) throw new Error('classifier returned no "logit" output');
    const value = (logit.data as Float32Array)[0]!;
    tensor.dispose();
    logit.dispose();
    return value;
  }
}
