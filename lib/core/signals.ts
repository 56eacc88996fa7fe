import type { RubricSignal } from './rubric';

/**
 * Every piece of evidence the extension gathers about a video is a `Signal`.
 * The union is discriminated by `kind`; new detectors add a member here and a
 * rule in the verdict engine, and nothing that calls the engine changes.
 */

/** Why no frame of a video could be judged. */
export type UnavailableReason =
  | 'drm'
  | 'never-loaded'
  | 'load-error'
  | 'blank-frames'
  | 'unreadable'
  | 'budget-exhausted';

/** A rectangle in the coordinates its context names (CSS pixels, image pixels, or 0..1 fractions). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Frame statistics from the frame-statistics model, all in 0..1. */
export interface FrameStats {
  meanLuma: number;
  lumaStd: number;
  edgeEnergy: number;
  darkFraction: number;
}

/**
 * What the frame-statistics model saw: whether frames carry picture at all.
 * It never speaks about AI, only about whether there was something to judge.
 */
export interface FrameQualitySignal {
  kind: 'frame-quality';
  framesChecked: number;
  blankFrames: number;
}

/** Frames could not be read at all, with the reason in `detail`. */
export interface UnavailableSignal {
  kind: 'unavailable';
  reason: UnavailableReason;
  detail: string;
}

/** A calibrated on-device classifier's view of the video's frames. */
export interface ClassifierSignal {
  kind: 'classifier';
  model: string;
  /** Calibrated probability that the clip is AI-generated. */
  score: number;
  framesScored: number;
  /** Calibrated probability of AI for each scored frame, in the order they were scored. */
  frames?: number[];
  /**
   * Chosen on validation data and shipped with the model: `likelyAi` for at most 1% false positives on real
   * clips; `uncertain` below it. Only a model that vouches for low scores sets `noSigns`: below it the
   * verdict may read "no signs". Without it, a low score says nothing (never "real").
   */
  thresholds: { likelyAi: number; uncertain: number; noSigns?: number };
}

/** How readily the classifier's score becomes "likely AI" or "uncertain" (thresholds in classifier.json). */
export type Sensitivity = 'conservative' | 'balanced' | 'eager';

/** State of a C2PA / Content Credentials manifest found in the media. */
export type ProvenanceState = 'valid' | 'untrusted' | 'invalid' | 'absent' | 'error';

/** A trust list a signer was checked against: bundled (`official`, `legacy`) or the user's own anchors. */
export interface TrustListRef {
  id: 'official' | 'legacy' | 'user';
  name: string;
  /** When the list was issued (ISO 8601), where it says. */
  issued?: string;
  /** When the list's publisher said it would next be updated; past that it is out of date (it still validates). */
  nextUpdate?: string;
}

/**
 * Who vouches for the signer: the official C2PA Trust List, the frozen interim list (`legacy`), the user's own
 * anchors, or no list in use (`unknown`: signed, but not by anyone on the trust lists).
 */
export type ProvenanceTrust = TrustListRef['id'] | 'unknown';

/** What a Content Credentials manifest says about the video, once validated. */
export interface ProvenanceSignal {
  kind: 'provenance';
  state: ProvenanceState;
  /** The manifest declares generative AI (e.g. IPTC `trainedAlgorithmicMedia`). */
  declaresAi: boolean;
  /** The manifest says a capture device made the content and lists no AI actions. */
  captureDevice: boolean;
  /** The AI declaration covers only part of the content (a composite, an AI edit of a capture). */
  composite?: boolean;
  /**
   * The C2PA asset rubric's local signals of the active manifest (see rubric.ts), with the rubric they follow
   * (`version`: its name, version and date). They drive `declaresAi`, `composite` and `captureDevice`.
   */
  rubric?: { version: string; signals: RubricSignal[] };
  digitalSourceTypes: string[];
  /** What made the content: the creating action's software agent, else the claim generator. */
  generator?: string;
  /** Who signed: the certificate's organisation, else its common name. */
  signer?: string;
  /** When it was signed (ISO 8601), where the manifest has a timestamp. */
  signingTime?: string;
  /** What the active manifest says was done to the content (`c2pa.created`, `c2pa.edited`…), with the software. */
  actions?: Array<{ action: string; agent?: string }>;
  /** The ingredients the active manifest names, with what made each where known. */
  ingredients?: Array<{
    title: string;
    relationship: string;
    generator?: string;
    declaresAi?: boolean;
    /** The rubric's local signals of the ingredient's own manifest, where it has one. */
    rubric?: RubricSignal[];
  }>;
  failureCodes?: string[];
  /** For a `valid` or `untrusted` signature: which list vouches for the signer (`unknown` for none). */
  trust?: ProvenanceTrust;
  /** The list behind `trust`, with its dates. */
  trustList?: TrustListRef;
  /**
   * The signing certificate's own standing, apart from the content: `expired-since-signing` when it has expired
   * and no trusted time-stamp proves it was valid when it signed (the claims stand, said with that caveat);
   * `revoked` when an OCSP response carried in the manifest says so (the state is then `invalid`).
   */
  certificate?: 'expired-since-signing' | 'revoked';
  /** A time-stamp from a trusted authority proves when it was signed. */
  timeStampTrusted?: boolean;
  /** Where the bytes came from: the whole file, a stream's init and first segments, an image of the post. */
  source?: 'file' | 'stream' | 'image';
  /** False when only part of the file could be checked (too large, stream fragments). */
  hashVerified?: boolean;
  /** Streams: media segments checked against the init segment's per-segment hashes (0: signed as one file). */
  segmentsChecked?: number;
  /** Streams: media segments not checked (appended while earlier ones were being checked, too large, unreadable). */
  segmentsSkipped?: number;
  /** Streams: the analysis host's time to validate the latest segment, in ms. */
  segmentMs?: number;
  detail?: string;
  /**
   * In the extension, for a video file's credentials: whether the file whose bytes were verified is the video the
   * page shows (see `lib/core/frame-match.ts`). `matched`: screenshots of the video (what the screen showed)
   * match the verified file's frames around the same media times; `differs`: they do not (the server answered
   * the page with other bytes than the extension); `unconfirmed`: not compared, or not yet. Absent where no page is
   * involved (`scan` reads the very file it judges). Only a `matched` file's capture or AI declaration decides.
   */
  shown?: 'matched' | 'differs' | 'unconfirmed';
  /** The verified file's frame hashes at the media times compared with the page's (null: no frame decoded there). */
  fileFrames?: FileFrameHash[];
  /** The analysis host's time to decode and hash the verified file's frames, in ms, over every round. */
  fileFramesMs?: number;
}

/**
 * Frames decoded from a verified file around one of the page's media times (seconds): their difference hashes,
 * empty where none could be decoded.
 */
export interface FileFrameHash {
  mediaTime: number;
  hashes: string[];
}

/** A visible generator watermark seen on several frames. */
export interface WatermarkSignal {
  kind: 'watermark';
  generator: string;
  /** What OCR read (or the logo's name when the mark has no letters). */
  text: string;
  frames: number;
  box: Box;
  /** The creator's handle printed with the mark (Sora), as read. */
  handle?: string;
  /** True when the mark was recognised by its picture (a logo without letters) rather than read. */
  logo?: boolean;
}

/** The hosting platform's own AI disclosure, or the post's own words declaring AI. */
export interface PlatformLabelSignal {
  kind: 'platform-label';
  platform: string;
  label: string;
  /** `platform`: the site's own label; `creator-text`: hashtags or caption text, a weaker claim. */
  source: 'platform' | 'creator-text';
}

/** Every kind of evidence the verdict engine accepts. */
export type Signal =
  | FrameQualitySignal
  | UnavailableSignal
  | ClassifierSignal
  | ProvenanceSignal
  | WatermarkSignal
  | PlatformLabelSignal;

/** The `kind` tags of {@link Signal}. */
export type SignalKind = Signal['kind'];
