import type { FaceRecord, FrameRecord } from '../../core/report';

/** Most faces the popup lists for one video. */
export const FACES_SHOWN = 6;

/** One face as the detail view lists it. */
export interface FaceLine {
  mediaTime: number;
  detectorScore: number;
  /** The classifier's score on the crop, 0..1 (sigmoid of its logit; not calibrated for faces), or null. */
  aiScore: number | null;
  crop: string | null;
}

/** What the detail view says about faces on a video's sampled frames. */
export interface FaceSummary {
  /** Frames the detector ran on. */
  framesChecked: number;
  /** Frames with at least one face. */
  framesWithFaces: number;
  facesFound: number;
  /** The faces to list: the most confident detections, in frame order. */
  shown: FaceLine[];
}

/** The classifier's uncalibrated score for a face crop. */
export function faceAiScore(face: FaceRecord): number | null {
  return face.aiLogit === null ? null : 1 / (1 + Math.exp(-face.aiLogit));
}

/** Faces over a video's frame log; null when the detector ran on none of them. */
export function summariseFaces(frames: readonly FrameRecord[]): FaceSummary | null {
  const checked = frames.filter((f) => Array.isArray(f.faces));
  if (checked.length === 0) return null;
  const all = checked.flatMap((f) => (f.faces ?? []).map((face) => ({ face, mediaTime: f.mediaTime })));
  const shown = [...all]
    .sort((a, b) => b.face.detectorScore - a.face.detectorScore)
    .slice(0, FACES_SHOWN)
    .sort((a, b) => a.mediaTime - b.mediaTime)
    .map(({ face, mediaTime }) => ({
      mediaTime,
      detectorScore: face.detectorScore,
      aiScore: faceAiScore(face),
      crop: face.crop,
    }));
  return {
    framesChecked: checked.length,
    framesWithFaces: checked.filter((f) => (f.faces?.length ?? 0) > 0).length,
    facesFound: all.length,
    shown,
  };
}
