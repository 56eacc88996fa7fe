import type { ConformingProductRef } from './conforming-products';
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

/**
 * How far a CAWG identity assertion was verified, apart from the claim signer: `trusted` (its signature checks out
 * and its credential's issuer is trusted), `untrusted` (the signature checks out, no trusted issuer vouches for
 * it), `invalid` (the reader found it broken: a signature mismatch, the wrong assertions referenced), `unverified`
 * (the reader could not check it and left it undecoded) or `malformed` (not an identity assertion one can read).
 */
export type IdentityStatus = 'trusted' | 'untrusted' | 'invalid' | 'unverified' | 'malformed';

/**
 * A CAWG identity assertion (`cawg.identity`): a named actor (a person or organisation) who vouches for the
 * content, signed apart from the claim. Shown beside the claim signer; it never fails the manifest.
 */
export interface IdentityAssertionSignal {
  /** The assertion's label (`cawg.identity`, `cawg.identity__1`). */
  label: string;
  /** How it is signed: an X.509 certificate (`cawg.x509.cose`), an identity claims aggregation (`ica`), or other. */
  method: 'x509' | 'ica' | 'other';
  status: IdentityStatus;
  /** Who it names: each verified identity (a name or user name, with its kind, address and provider). */
  identities: Array<{ name: string; type?: string; uri?: string; provider?: string; verifiedAt?: string }>;
  /** Who issued the credential: the aggregator's DID (ICA), or the certificate's organisation (X.509). */
  issuer?: string;
  /** The reader's status codes for this assertion (`cawg.x509.credential.untrusted`…). */
  codes?: string[];
}

/** One X.509 certificate of a signature's chain, as read from the manifest's own bytes (never fetched). */
export interface CertificateFacts {
  /** The subject's distinguished name, in the certificate's order (`C=US, O=…, CN=…`). */
  subject: string;
  /** The issuer's distinguished name, same form. */
  issuer: string;
  /** The subject's common name and organisation, where it has them (for plain words). */
  commonName?: string;
  organization?: string;
  /** Validity (ISO 8601). */
  notBefore: string;
  notAfter: string;
  /** Serial number, hexadecimal. */
  serialNumber: string;
  /** SHA-256 over the certificate's DER bytes, lower-case hexadecimal. */
  sha256: string;
}

/**
 * The certificates behind a manifest's signature, read from its COSE signature: the signer's chain (signing
 * certificate first) and, where the manifest carries one, the RFC 3161 time-stamp with its authority's chain.
 * Which list anchors the chain is the signal's `trust`.
 */
export interface SignatureFacts {
  chain: CertificateFacts[];
  timeStamp?: {
    /** The time the authority vouches for (ISO 8601). */
    time: string;
    /** The authority's certificates (its own first, where it can be told). */
    chain: CertificateFacts[];
  };
}

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
  /**
   * The product on the C2PA Conforming Products List that made and signed the claim (matched by the signing
   * certificate's organisation and the product's name), with what the list lets it claim; null when the list was
   * consulted and holds no such product; absent when no list was available.
   */
  product?: ConformingProductRef | null;
  /** The active manifest's CAWG identity assertions, each verified (or not) apart from the claim signer. */
  identities?: IdentityAssertionSignal[];
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
  /** The signing certificate chain and time-stamp, read from the active manifest's signature (BMFF files and streams). */
  signature?: SignatureFacts;
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
