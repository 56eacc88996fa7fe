import type { LogoHit } from './logo-matcher';
import type { FrameReading, ReadLine } from './watermark-reader';

/** A frame for the OCR worker: an encoded image, optionally a crop of it in image pixels. */
export interface OcrRequest {
  id: number;
  modelBase: string;
  image: Blob;
  crop: { x: number; y: number; width: number; height: number } | null;
  /** Read text on the frame; false: only match it against the logo templates (see `readsText`). */
  text: boolean;
}

/** The worker's reading of one frame. */
export type OcrResponse =
  | {
      id: number;
      width: number;
      height: number;
      lines: ReadLine[];
      logos: LogoHit[];
      /** Text boxes the cheap detection pass found near the edges; null where text was not read. */
      candidates: number | null;
      /** Whole reading of this frame (decode included), and what loading the models took first (0 once loaded). */
      ms: number;
      load: number;
      /** The reader's own stages (ms). */
      stages: FrameReading['timings'];
    }
  | { id: number; error: string };
