/** Where the extension ships the MediaPipe vision wasm and the face model (copied by wxt.config.ts). */
export const FACE_ASSETS = {
  wasmLoader: 'mediapipe/vision_wasm_internal.js',
  wasmBinary: 'mediapipe/vision_wasm_internal.wasm',
  model: 'mediapipe/face_detection_short_range.tflite',
} as const;
