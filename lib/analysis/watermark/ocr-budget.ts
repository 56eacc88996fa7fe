/**
 * OCR frames read per video: enough for the multi-frame rule, few enough to stay cheap. The content script sends
 * this many frames at OCR size and the analysis host reads at most this many, so both import it from here (a module
 * without dependencies, safe in the content script's bundle).
 */
export const OCR_FRAMES_PER_VIDEO = 6;
