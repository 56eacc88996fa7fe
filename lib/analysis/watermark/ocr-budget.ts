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
