import { hexHammingDistance } from './frame-hash';
import type { FrameRecord } from './report';
import type { FileFrameHash } from './signals';

/**
 * Most differing bits (of 64) between a frame the page rendered and the verified file's frame decoded at the same
 * media time. Two renderings of one frame differ by what the paths do to it (JPEG, scaling, colour conversion, and
 * the page's clock running up to a frame ahead of the picture it paints): a few bits, at most 6 in the frame hash's
 * own tests and within the verdict cache's 12 for two viewings. Two unrelated frames differ by about 32 bits, and
 * ≤ 12 by chance has a probability of about 2·10⁻⁷ per frame for independent bits (far more for two similar scenes,
 * which is why one frame is never enough: see {@link SHOWN_FRAMES_NEEDED}).
 */
export const SHOWN_HASH_TOLERANCE = 12;
/** Frames the page rendered that are compared with the verified file, at most: a handful, each one decode. */
export const SHOWN_FRAMES_COMPARED = 3;
/**
 * Of the frames compared, how many must match for the file to be what plays: two of three, so that one frame taken
 * in a scene cut or a seek (the page's clock and its picture a frame apart across a cut) does not deny a real
 * file, and one lucky frame of a similar scene does not confirm a forged one.
 */
export const SHOWN_FRAMES_NEEDED = 2;
/** Two media times name the same moment when they are this close (seconds): the file is decoded at the page's time. */
const SAME_TIME_S = 0.001;
/** Frames compared must be at least this far apart in media time (seconds), so that each shows its own picture. */
const DISTINCT_FRAMES_S = 0.1;

/** What the comparison says: the verified file is what plays, it is not, or not enough frames were compared yet. */
export type ShownState = 'matched' | 'differs' | 'unconfirmed';

/** The outcome of comparing the page's frames with the verified file's. */
export interface ShownComparison {
  state: ShownState;
  /** Frames compared, and of those, the ones whose hashes were within {@link SHOWN_HASH_TOLERANCE}. */
  compared: number;
  matched: number;
  /** Frames the page rendered that still need the file's frames at their media times, for a decision. */
  wanted: Array<{ mediaTime: number; hash: string }>;
}

/**
 * The frames of the video's log that can vouch for what the user saw (`FrameRecord.shown`: crops of screenshots),
 * with picture and a hash; one per moment, the first {@link SHOWN_FRAMES_COMPARED} of them.
 */
export function shownFrames(frames: readonly FrameRecord[]): Array<{ mediaTime: number; hash: string }> {
  const picked: Array<{ mediaTime: number; hash: string }> = [];
  for (const f of frames) {
    if (picked.length >= SHOWN_FRAMES_COMPARED) break;
    if (f.shown !== true || f.blank || typeof f.hash !== 'string') continue;
    // Frames of one moment (a paused video sampled again) are one picture: each vouches once.
    if (picked.some((p) => Math.abs(p.mediaTime - f.mediaTime) < DISTINCT_FRAMES_S)) continue;
    picked.push({ mediaTime: f.mediaTime, hash: f.hash });
  }
  return picked;
}

/**
 * Compares the frames the page rendered with the verified file's frames at the same media times: `matched` once
 * {@link SHOWN_FRAMES_NEEDED} are within {@link SHOWN_HASH_TOLERANCE} bits, `differs` once that can no longer happen
 * among {@link SHOWN_FRAMES_COMPARED} (a time where the file has no frame counts as a difference), `unconfirmed`
 * while frames are missing on either side.
 */
export function compareShown(frames: readonly FrameRecord[], file: readonly FileFrameHash[]): ShownComparison {
  let compared = 0;
  let matched = 0;
  const wanted: Array<{ mediaTime: number; hash: string }> = [];
  for (const page of shownFrames(frames)) {
    const decoded = file.find((f) => Math.abs(f.mediaTime - page.mediaTime) < SAME_TIME_S);
    if (!decoded) {
      wanted.push(page);
      continue;
    }
    compared++;
    if (decoded.hashes.some((h) => hexHammingDistance(h, page.hash) <= SHOWN_HASH_TOLERANCE)) matched++;
  }
  const cannotReach = compared - matched > SHOWN_FRAMES_COMPARED - SHOWN_FRAMES_NEEDED;
  const state: ShownState = matched >= SHOWN_FRAMES_NEEDED ? 'matched' : cannotReach ? 'differs' : 'unconfirmed';
  return { state, compared, matched, wanted: state === 'unconfirmed' ? wanted : [] };
}

/**
 * Whether a provenance reading's decisive claims (a capture, an AI declaration) are about the file that needs its
 * frames compared with the page's: a video file's credentials read by the extension, which a server can answer
 * with other bytes than the page's. A stream's credentials come from the segments the page itself appended, and a
 * poster never verifies a capture.
 */
export function needsShownCheck(p: { source?: 'file' | 'stream' | 'image' }): boolean {
  return p.source !== 'stream' && p.source !== 'image';
}
