import { FaceDetector } from '@mediapipe/tasks-vision';
import type { FaceFinder } from './face-analyser';
import { FACE_ASSETS } from './face-assets';
import { DETECTOR_FLOOR, type PixelFace } from './face-geometry';

/** Side of the blank image the detector runs on once loaded, and how many times. */
const WARM_UP_SIDE = 128;
const WARM_UP_RUNS = 2;

/**
 * MediaPipe's FaceDetector with the short-range BlazeFace model (faces
 * within a few metres of the camera: talking heads, selfies, interviews),
 * on the CPU delegate, in IMAGE mode. Everything it loads comes from the
 * extension itself; the bundler strips MediaPipe's usage logging (see
 * scripts/faces/build-assets.ts), so it sends nothing anywhere.
 */
export async function createMediapipeFaceFinder(
  url: (path: string) => string,
  loadModel: () => Promise<Uint8Array>,
): Promise<FaceFinder> {
  const detector = await FaceDetector.createFromOptions(
    { wasmLoaderPath: url(FACE_ASSETS.wasmLoader), wasmBinaryPath: url(FACE_ASSETS.wasmBinary) },
    {
      baseOptions: { modelAssetBuffer: await loadModel(), delegate: 'CPU' },
      runningMode: 'IMAGE',
      minDetectionConfidence: DETECTOR_FLOOR,
    },
  );
  // The first detections build the graph and tier up the wasm (0.3–0.7 s measured): pay that once, here,
  // rather than inside a frame's analysis.
  const blank = await createImageBitmap(new ImageData(WARM_UP_SIDE, WARM_UP_SIDE));
  try {
    for (let i = 0; i < WARM_UP_RUNS; i++) detector.detect(blank);
  } finally {
    blank.close();
  }
  return {
    detect(image: ImageBitmap): PixelFace[] {
      const result = detector.detect(image);
      return result.detections.flatMap((d) => {
        const box = d.boundingBox;
        if (!box) return [];
        return [
          {
            x: box.originX,
            y: box.originY,
            width: box.width,
            height: box.height,
            score: d.categories[0]?.score ?? 0,
          },
        ];
      });
    },
  };
}
