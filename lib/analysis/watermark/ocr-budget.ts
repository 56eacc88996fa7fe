/**
 * OCR frames read per video: enough for the multi-frame rule, few enough to stay cheap. The content script sends
 * this many frames at OCR size and the analysis host reads at most this many, so both import it from here (a module
 * without dependencies, safe in the content script's bundle).
 */
export const OCR_FRAMES_PER_VIDEO = 6;

/**
 * OCR frames read of a video on which no generator mark was seen at all: the marks this reader knows are on every
 * frame (a fixed corner mark) or move around without leaving the picture (Sora's), so three frames with none is
 * enough to stop; a video with a sighting goes on to {@link OCR_FRAMES_PER_VIDEO} for the multi-frame rule. OCR is
 * the costliest step per frame (0.6–1.1 s of CPU), so this halves the reader's cost on a feed of unmarked clips.
 */
export const OCR_FRAMES_WITHOUT_SIGHTING = 3;

/**
 * Frames read for text, none with any text near the edges, after which a video's remaining frames are only matched
 * against the logo templates. A mark with letters is text at an edge on every frame it is on, so the cheap detection
 * pass finds it as a candidate even where recognition misreads it; logos without letters (Sora 1's bars) are matched
 * on every frame anyway. Measured on the 18 marked shared clips (frames as the page takes them, 0.7 s apart): no
 * mark was first named on a frame after two frames without candidates, except by its logo (models/watermark/MODEL_CARD.md).
 */
export const QUIET_TEXT_FRAMES = 2;

/**
 * Whether the next frame of a video is read for text: always once a mark was seen, and otherwise unless
 * {@link QUIET_TEXT_FRAMES} frames were read for text and the cheap pass found no text near the edges on any of them.
 * `candidates` holds, per frame read for text, how many text boxes near the edges that pass found.
 */
export function readsText(candidates: readonly number[], sighted: boolean): boolean {
  if (sighted) return true;
  return candidates.length < QUIET_TEXT_FRAMES || candidates.some((c) => c > 0);
}

/** Frames read of a video at most: more once some frame showed a generator's mark (see above). */
export function ocrBudget(sighted: boolean): number {
  return sighted ? OCR_FRAMES_PER_VIDEO : OCR_FRAMES_WITHOUT_SIGHTING;
}

/** Frames one video may have waiting in the reader's queue (the multi-frame rule needs two sightings, so two). */
export const MAX_WAITING_PER_VIDEO = 2;

/** Where one video's watermark reading stands, as its room is computed from it. */
export interface OcrStanding {
  /** Frames read so far, the one being read included. */
  reads: number;
  /** Frames waiting their turn in the reader's queue. */
  waiting: number;
  /** Some frame showed a generator's mark. */
  sighted: boolean;
  /** The multi-frame rule confirmed a mark: nothing more to read. */
  confirmed: boolean;
  /** A frame of this video is being read now (its sightings may still widen the budget). */
  reading?: boolean;
}

/**
 * How many more frames of a video the reader takes now: what its budget leaves after the frames read and waiting,
 * and no more than the queue holds for one video without a newer frame pushing an older one out. The host reports
 * this to the background, which sends a frame's larger copy only while it is above zero.
 */
export function ocrRoom(s: OcrStanding): number {
  if (s.confirmed) return 0;
  const budget = ocrBudget(s.sighted) - s.reads - s.waiting;
  return Math.max(0, Math.min(budget, MAX_WAITING_PER_VIDEO - s.waiting));
}

/**
 * Whether the reader will take no more frames of this video, whatever happens: its mark is confirmed, or it has read
 * its whole budget with nothing waiting or being read (a frame still in the reader could show a mark and widen the
 * budget). Unlike a room of zero (which a full queue also gives), this is final, so the page can stop drawing the
 * larger copies that would only be thrown away.
 */
export function ocrDone(s: OcrStanding): boolean {
  if (s.confirmed) return true;
  return s.waiting === 0 && !s.reading && s.reads >= ocrBudget(s.sighted);
}

/** A video's room before the host said anything about it: nothing read, nothing waiting. */
export const FIRST_OCR_ROOM = ocrRoom({ reads: 0, waiting: 0, sighted: false, confirmed: false });
