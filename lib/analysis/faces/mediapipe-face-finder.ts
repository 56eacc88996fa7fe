import { FaceDetector } from '@mediapipe/tasks-vision';
import type { FaceFinder } from './face-analyser';
import { FACE_ASSETS } from './face-assets';
import { MIN_DETECTOR_SCORE, type PixelFace } from './face-geometry';

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
      minDetectionConfidence: MIN_DETECTOR_SCORE,
    },
  );
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
