import * as ort from 'onnxruntime-web/wasm';
import { BrowserC2paReader } from '../provenance/browser-reader';
import { ProvenanceChecker } from '../provenance/provenance-checker';
import { AnalysisHost } from './analysis-host';
import { CLASSIFIER_CONFIG } from './classifier/config';
import { ClassifierModel } from './classifier/classifier-model';
import { WatermarkService } from './watermark/watermark-service';
import { encodeCropThumbnail, FaceAnalyser } from './faces/face-analyser';
import { FACE_ASSETS } from './faces/face-assets';
import { createMediapipeFaceFinder } from './faces/mediapipe-face-finder';
import { FrameStatsModel } from './frame-stats-model';
import { RemoteVideoReader } from './remote-video-reader';

/** A file shipped in the extension's public folder, by path. */
export function extensionUrl(path: string): string {
  return chrome.runtime.getURL(path);
}

async function loadBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(extensionUrl(path));
  if (!response.ok) throw new Error(`model file ${path} missing from the extension (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The analysis host as it runs in the browser: onnxruntime-web's wasm
 * backend, whose binary the bundler emits into the extension's assets,
 * single-threaded (an extension page is not cross-origin isolated), no
 * proxy worker.
 */
export function createBrowserAnalysisHost(): AnalysisHost {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  const frameStats = new FrameStatsModel(ort, () => loadBytes('/models/frame-stats.onnx'));
  const c2pa = new BrowserC2paReader(extensionUrl('/c2pa/c2pa_bg.wasm'));
  const watermarks = new WatermarkService(extensionUrl('/ocr/'));
  const classifier = new ClassifierModel(ort, () => loadBytes('/models/classifier.onnx'), CLASSIFIER_CONFIG.inputSize);
  const faces = new FaceAnalyser(
    () => createMediapipeFaceFinder(extensionUrl, () => loadBytes(`/${FACE_ASSETS.model}`)),
    (rgba, width, height) => classifier.run(rgba, width, height),
    encodeCropThumbnail,
  );
  return new AnalysisHost(
    frameStats,
    new RemoteVideoReader(),
    new ProvenanceChecker(c2pa),
    watermarks,
    classifier,
    faces,
  );
}
