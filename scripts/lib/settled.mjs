import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Frames the shipped classifier needs before it gives a score. */
export const MIN_FRAMES = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../public/models/classifier.json', import.meta.url)), 'utf8'),
).minFramesForVerdict;

/**
 * Whether a video (as the popup's results list it) has its settled verdict: one that later frames cannot change
 * (an AI declaration or mark, a verified capture), a verdict from the frames the classifier needs, or a reason it
 * cannot be judged at all.
 */
export function isSettled(video) {
  return (
    ['unavailable', 'ai', 'verified-capture'].includes(video.verdict) ||
    (video.verdict !== 'pending' && video.framesAnalysed >= MIN_FRAMES)
  );
}
