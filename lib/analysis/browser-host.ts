import * as ort from 'onnxruntime-web/wasm';
import { BrowserC2paReader } from '../provenance/browser-reader';
import { ProvenanceChecker } from '../provenance/provenance-checker';
import { BUNDLED_TRUST_DIR, type BundledTrust, loadBundledTrust, trustSet } from '../provenance/trust';
import { AnalysisHost } from './analysis-host';
import { CLASSIFIER_CONFIG } from './classifier/config';
import { ClassifierModel } from './classifier/classifier-model';
import { WatermarkService, workerOcr } from './watermark/watermark-service';
import type { HostEventSink } from '../messaging/protocol';
import { encodeCropThumbnail, FaceAnalyser } from './faces/face-analyser';
import { FACE_ASSETS } from './faces/face-assets';
import { createMediapipeFaceFinder } from './faces/mediapipe-face-finder';
import { FrameStatsModel } from './frame-stats-model';
import { RemoteVideoReader } from './remote-video-reader';
import { type GpuLike, probeCompute } from './compute-probe';
import type { ComputeDevice } from '../core/compute';

/** A file shipped in the extension's public folder, by path. */
export function extensionUrl(path: string): string {
  return chrome.runtime.getURL(path);
}

async function loadBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(extensionUrl(path));
  if (!response.ok) throw new Error(`model file ${path} missing from the extension (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

async function loadText(path: string): Promise<string> {
  const response = await fetch(extensionUrl(path));
  if (!response.ok) throw new Error(`file ${path} missing from the extension (${response.status})`);
  return response.text();
}

/**
 * The analysis host as it runs in the browser: onnxruntime-web's wasm
 * backend, whose binary the bundler emits into the extension's assets,
 * single-threaded (an extension page is not cross-origin isolated), no
 * proxy worker. Its events go to `emit` (the adapter that carries them to the background).
 */
export function createBrowserAnalysisHost(emit: HostEventSink): AnalysisHost {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  const frameStats = new FrameStatsModel(ort, () => loadBytes('/models/frame-stats.onnx'));
  const c2pa = new BrowserC2paReader(extensionUrl('/c2pa/c2pa_bg.wasm'));
  const watermarks = new WatermarkService(workerOcr(extensionUrl('/ocr/')));
  const classifier = new ClassifierModel(ort, () => loadBytes('/models/classifier.onnx'), CLASSIFIER_CONFIG.inputSize);
  const faces = new FaceAnalyser(
    () => createMediapipeFaceFinder(extensionUrl, () => loadBytes(`/${FACE_ASSETS.model}`)),
    (rgba, width, height) => classifier.run(rgba, width, height),
    encodeCropThumbnail,
  );
  // The bundled trust lists are the extension's own files, read once; a failed read is tried again next time.
  let bundled: Promise<BundledTrust> | null = null;
  const bundle = () => {
    bundled ??= loadBundledTrust((file) => loadText(`/${BUNDLED_TRUST_DIR}/${file}`)).catch((error: unknown) => {
      bundled = null;
      throw error;
    });
    return bundled;
  };
  // Asked once, off the frame path: the first frames go out without it rather than wait for the browser's GPU process.
  let compute: ComputeDevice | null = null;
  void probeCompute((navigator as Navigator & { gpu?: GpuLike }).gpu, ort.env.wasm.numThreads ?? 1).then(
    (found) => (compute = found),
  );
  return new AnalysisHost(
    frameStats,
    new RemoteVideoReader(),
    new ProvenanceChecker(c2pa),
    watermarks,
    classifier,
    faces,
    async (choice) => trustSet(await bundle(), choice.lists, choice.userAnchors),
    emit,
    undefined,
    () => compute,
  );
}
