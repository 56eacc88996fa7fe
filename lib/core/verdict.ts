import { productVouchesForCapture } from './conforming-products';
import { counted, english, type Phrase, percentPhrase, phrase, phraseText } from './reasons';
import { needsShownCheck } from './frame-match';
import type { RubricSignal } from './rubric';
import type {
  ClassifierSignal,
  FrameQualitySignal,
  PlatformLabelSignal,
  ProvenanceSignal,
  Signal,
  UnavailableSignal,
  WatermarkSignal,
} from './signals';

/** The verdicts a video can carry, from strongest evidence of AI to strongest evidence of a real capture. */
export const VERDICT_LEVELS = ['ai', 'likely-ai', 'uncertain', 'no-signs', 'verified-capture', 'unavailable'] as const;

/** One of {@link VERDICT_LEVELS}. */
export type VerdictLevel = (typeof VERDICT_LEVELS)[number];

/** A video whose evidence has not been gathered yet is `pending`, not judged. */
export type ReportVerdict = VerdictLevel | 'pending';

/** The engine's answer: a level, a probability of AI where a calibrated model gave one, and reasons in plain language, most important first. */
export interface Verdict {
  level: ReportVerdict;
  score: number | null;
  reasons: string[];
}

interface Gathered {
  classifier?: ClassifierSignal;
  provenance?: ProvenanceSignal;
  watermarks: WatermarkSignal[];
  platformLabels: PlatformLabelSignal[];
  creatorTexts: PlatformLabelSignal[];
  frameQuality?: FrameQualitySignal;
  unavailable: UnavailableSignal[];
}

function gather(signals: readonly Signal[]): Gathered {
  const g: Gathered = { watermarks: [], platformLabels: [], creatorTexts: [], unavailable: [] };
  for (const signal of signals) {
    switch (signal.kind) {
      case 'classifier':
        // With several classifier readings, the one that saw most frames speaks.
        if (!g.classifier || signal.framesScored > g.classifier.framesScored) g.classifier = signal;
        break;
      case 'provenance':
        g.provenance = strongerProvenance(g.provenance, signal);
        break;
      case 'watermark':
        g.watermarks.push(signal);
        break;
      case 'platform-label':
        (signal.source === 'platform' ? g.platformLabels : g.creatorTexts).push(signal);
        break;
      case 'frame-quality':
        g.frameQuality = signal;
        break;
      case 'unavailable':
        g.unavailable.push(signal);
        break;
      default:
        assertNever(signal);
    }
  }
  return g;
}

const PROVENANCE_RANK: Record<ProvenanceSignal['state'], number> = {
  valid: 4,
  untrusted: 3,
  invalid: 2,
  error: 1,
  absent: 0,
};

function strongerProvenance(a: ProvenanceSignal | undefined, b: ProvenanceSignal): ProvenanceSignal {
  if (!a) return b;
  return PROVENANCE_RANK[b.state] > PROVENANCE_RANK[a.state] ? b : a;
}

function assertNever(value: never): never {
  throw new Error(`Unknown signal: ${JSON.stringify(value)}`);
}

/** Which list verified the signer, in words (nothing when none did). */
function listPhrase(p: ProvenanceSignal): PhraseOrNothing {
  switch (p.trust) {
    case 'official':
      return phrase('reasonListOfficial');
    case 'legacy':
      return phrase('reasonListLegacy');
    case 'user':
      return phrase('reasonListUser');
    default:
      return '';
  }
}

/** A phrase, or an empty value where an optional part of a sentence is left out. */
type PhraseOrNothing = Phrase | '';

function signerPhrase(p: ProvenanceSignal): Phrase {
  // An unverified signer is named even when the certificate gave no name: who vouches is the point.
  const who = p.signer
    ? phrase('reasonSignedBy', p.signer)
    : phrase(p.state === 'valid' ? 'reasonSigned' : 'reasonSignedUnnamed');
  const signer =
    p.state === 'valid' ? phrase('reasonSignerVerified', who, listPhrase(p)) : phrase('reasonSignerUnverified', who);
  // An expired certificate without a trusted time-stamp says nothing about the content: the claims stand, with it said.
  const expired = p.certificate === 'expired-since-signing' ? phrase('reasonExpired', signer) : signer;
  return p.hashVerified === false ? phrase('reasonAndHash', expired, hashPhrase(p)) : expired;
}

/** Why the content hash of a manifest-bearing video was not checked against the video. */
function hashPhrase(p: ProvenanceSignal): Phrase {
  if (p.source !== 'stream') return phrase('reasonHashNotChecked');
  // Each media segment is checked as it is appended, unless the manifest hashes only the whole file.
  if (p.segmentsChecked === undefined) return phrase('reasonFirstSegmentOnly');
  return p.segmentsChecked > 0 || !p.detail ? segmentsPhrase(p) : phrase('reasonStreamHashNotChecked');
}

/** How much of a stream its credentials were checked against. */
function segmentsPhrase(p: ProvenanceSignal): Phrase {
  const skipped = p.segmentsSkipped ?? 0;
  const tail = skipped > 0 ? counted('reasonSegmentsSkipped', skipped) : '';
  return counted('reasonSegments', p.segmentsChecked ?? 0, tail);
}

/**
 * What a manifest that declares AI says, with its signer and whether any trust list vouches for it: generated
 * whole (the asset rubric's `fullyGenAIMedia`), or with generated parts (`partlyGenAICreation`, `perceptibleGenAI`,
 * a generated ingredient placed into it), which `composite` carries.
 */
function aiDeclarationReason(p: ProvenanceSignal): Phrase {
  const whose = whosePhrase(p);
  if (p.composite) {
    return p.generator
      ? phrase('reasonContainsBy', whose, p.generator, signerPhrase(p))
      : phrase('reasonContains', whose, signerPhrase(p));
  }
  const what = p.generator ? phrase('reasonWhatAiBy', p.generator) : phrase('reasonWhatAi');
  return phrase('reasonDeclared', whose, what, signerPhrase(p));
}

/** Whose credentials speak: the poster's, the video's, or a file at the video's address not shown to be what plays. */
function whosePhrase(p: ProvenanceSignal): Phrase {
  if (p.source === 'image') return phrase('reasonWhoseImage');
  if (p.shown === 'differs') return phrase('reasonWhoseOtherFile');
  return phrase(unconfirmed(p) ? 'reasonWhoseUnconfirmed' : 'reasonWhoseFile');
}

/**
 * Whether a file's credentials are not known to be the video's own: the extension read them from its own download,
 * and frames the page rendered were not (or not yet) matched with the file's. A server can answer the page and the
 * extension with different bytes, so such credentials are shown as belonging to a file at the address, and decide
 * nothing: no capture, and no AI declaration either (a forged declaration on a real video is a false AI).
 */
function unconfirmed(p: ProvenanceSignal): boolean {
  return needsShownCheck(p) && p.shown !== undefined && p.shown !== 'matched';
}

/** Whether the manifest's own asset-rubric signals include any of `signals`. */
function rubricSays(p: ProvenanceSignal | undefined, ...signals: RubricSignal[]): boolean {
  return !!p?.rubric?.signals.some((s) => signals.includes(s));
}

/**
 * What a readable manifest that declares no AI says in the rubric's "may contain" signals: a screen recording
 * (`screenCaptureMayContainGenAI`) or a composition of several sources (`compositionMayContainGenAI`), either of
 * which may show generated content the maker does not declare.
 */
function mayContainAiReason(p: ProvenanceSignal | undefined): Phrase | undefined {
  if (!p || p.declaresAi || (p.state !== 'valid' && p.state !== 'untrusted')) return undefined;
  if (rubricSays(p, 'screenCaptureMayContainGenAI')) return phrase('reasonMayContainScreen', signerPhrase(p));
  if (rubricSays(p, 'compositionMayContainGenAI')) return phrase('reasonMayContainComposition', signerPhrase(p));
  return undefined;
}

/** The rubric's `mediaUnknownProvenance`, for a manifest that could be read. */
function unknownPartsReason(p: ProvenanceSignal | undefined): Phrase | undefined {
  if (!p || (p.state !== 'valid' && p.state !== 'untrusted') || !rubricSays(p, 'mediaUnknownProvenance')) return;
  return phrase('reasonUnknownParts');
}

/**
 * What credentials not shown to be the video's own claim, said as a file's at this address: its AI declaration or
 * its capture. Nothing for credentials that claim neither (they would decide nothing anyway).
 */
function unshownClaimReason(p: ProvenanceSignal): Phrase | undefined {
  if (p.state !== 'valid' && p.state !== 'untrusted') return undefined;
  if (p.declaresAi) return aiDeclarationReason(p);
  if (p.captureDevice) return phrase('reasonFileClaimsCapture', whosePhrase(p), signerPhrase(p));
  return undefined;
}

/** A verdict with its reasons as phrases, before they are put into words. */
export interface ExplainedVerdict {
  level: ReportVerdict;
  score: number | null;
  reasons: Phrase[];
}

/** A shown file's manifest, signed under a trust list in use, that declares AI: a verdict of its own. */
function manifestDeclaresAi(p: ProvenanceSignal | undefined): boolean {
  return p?.state === 'valid' && p.declaresAi && !unconfirmed(p);
}

/**
 * Whether the signals already make the verdict `ai` by a declaration: a trusted manifest's or the platform's own
 * label. Nothing read from the frames later (a generator's mark, a classifier score) can change that level, so the
 * watermark reader, the costliest step per frame, need not read this video at all.
 */
export function declaredAi(signals: readonly Signal[]): boolean {
  const g = gather(signals);
  return manifestDeclaresAi(g.provenance) || g.platformLabels.length > 0;
}

/** {@link explainVerdict}, its reasons in English. */
export function evaluateVerdict(signals: readonly Signal[]): Verdict {
  const v = explainVerdict(signals);
  return { level: v.level, score: v.score, reasons: v.reasons.map((r) => phraseText(r, english)) };
}

/**
 * Fuses the signals gathered for one video into one verdict.
 *
 * The order of the rules encodes how much each kind of evidence can carry:
 * only a declaration makes `ai` (a manifest whose signer is on a trust list
 * in use, the platform's own label, or a generator's visible watermark seen
 * on several frames); an AI declaration from a signer no list vouches for is
 * a strong reason, `likely-ai` with the signer named, and a classifier can at
 * most say `likely-ai` too; altered credentials are never a pass; and with
 * nothing to judge the answer is `unavailable` or `uncertain`, never a guess.
 */
export function explainVerdict(signals: readonly Signal[]): ExplainedVerdict {
  if (signals.length === 0) return { level: 'pending', score: null, reasons: [phrase('reasonNotAnalysed')] };
  const g = gather(signals);
  if (nothingToGoOnYet(g)) return { level: 'pending', score: null, reasons: [phrase('reasonNotAnalysed')] };
  const score = g.classifier ? g.classifier.score : null;
  const reasons: Phrase[] = [];
  const p = g.provenance;

  // Only a signer on a trust list in use makes a manifest's AI declaration a verdict of its own. Anyone can sign
  // with a certificate they made: from an unknown signer the declaration is a strong reason, not a verdict.
  // Credentials of a file not shown to be what plays decide nothing; their claims are said, as the file's.
  const notShown = !!p && unconfirmed(p);
  const declaredByManifest = manifestDeclaresAi(p);
  const claimedByManifest = p?.state === 'untrusted' && p.declaresAi && !notShown;
  const manifestReason = p && (declaredByManifest || claimedByManifest) ? aiDeclarationReason(p) : undefined;
  const unshownReason = notShown ? unshownClaimReason(p) : undefined;
  const unknownParts = unknownPartsReason(p);
  if (declaredByManifest || g.platformLabels.length > 0) {
    if (declaredByManifest) reasons.push(manifestReason!);
    for (const label of g.platformLabels) reasons.push(phrase('reasonPlatformLabel', label.platform, label.label));
    if (claimedByManifest) reasons.push(manifestReason!);
    if (unknownParts && (declaredByManifest || claimedByManifest)) reasons.push(unknownParts);
    appendSupporting(g, reasons);
    return { level: 'ai', score, reasons };
  }

  const watermarkFound = g.watermarks.length > 0;
  const classifierLevel = g.classifier ? classifierBand(g.classifier) : undefined;

  // A camera-signed poster says nothing about the video's own frames: only the video's credentials verify it.
  // Nor does a camera signature whose content hash was not checked against the whole file (too large to
  // download, a stream's first segment only): the pixels shown may not be the ones signed. An AI
  // declaration needs no such check above: a valid signature declaring AI is the maker's own word,
  // whatever happened to the pixels since, and its reason says the hash was not checked.
  const hashChecked = p?.hashVerified !== false;
  // Nor does a signature whose certificate has expired with no trusted time-stamp to say it was valid when it
  // signed: whoever holds an expired key could sign a capture today. It stays a claim.
  const certificateSound = p?.certificate === undefined;
  // Nor does a capture claim from a product the C2PA Conforming Products List does not let claim captures: a trusted
  // list vouches for who signed, the products list for what that signer's product may say. Anchors the user
  // imported themselves are the one exception: they vouch for the signer and its claims alike, and the reason says
  // that only they make it verified.
  const byUserAnchors = p?.trust === 'user' && !productVouchesForCapture(p.product);
  const captureVouched = productVouchesForCapture(p?.product) || byUserAnchors;
  const signedCapture = !!p && p.state === 'valid' && p.captureDevice && p.source !== 'image';
  if (p && signedCapture && hashChecked && certificateSound && captureVouched && !notShown) {
    const who = p.signer ?? phrase('reasonCaptureDevice');
    if (watermarkFound) {
      reasons.push(phrase('reasonConflict', who, g.watermarks[0]!.generator));
      appendSupporting(g, reasons);
      return { level: 'uncertain', score, reasons };
    }
    reasons.push(phrase('reasonCapture', who, listPhrase(p)));
    reasons.push(
      byUserAnchors || !p.product
        ? phrase('reasonCaptureUserAnchors')
        : phrase('reasonCaptureProduct', p.product.name, p.product.vendor, p.product.listDate),
    );
    if (unknownParts) reasons.push(unknownParts);
    if (classifierLevel === 'likely-ai')
      reasons.push(phrase('reasonClassifierDisagreed', percentPhrase(g.classifier!.score)));
    return { level: 'verified-capture', score, reasons };
  }

  const altered = p?.state === 'invalid';
  if (altered) {
    const codes = p.failureCodes?.length ? p.failureCodes.join(', ') : null;
    if (p.certificate === 'revoked') {
      reasons.push(codes ? phrase('reasonRevokedCodes', codes) : phrase('reasonRevoked'));
    } else {
      // A stream names the first segment that failed its signed hashes.
      const where = p.source === 'stream' && p.detail ? p.detail : null;
      reasons.push(
        codes && where
          ? phrase('reasonAlteredCodesWhere', codes, where)
          : codes
            ? phrase('reasonAlteredCodes', codes)
            : where
              ? phrase('reasonAlteredWhere', where)
              : phrase('reasonAltered'),
      );
    }
  }
  if (
    p &&
    p.captureDevice &&
    !notShown &&
    (p.state === 'untrusted' || (p.state === 'valid' && (!hashChecked || !certificateSound)))
  ) {
    reasons.push(phrase('reasonClaimCapture', signerPhrase(p)));
  } else if (p && signedCapture && !captureVouched && !notShown) {
    reasons.push(
      p.product
        ? phrase('reasonCaptureProductNotAllowed', signerPhrase(p), p.product.name)
        : phrase('reasonCaptureNotConforming', signerPhrase(p)),
    );
  }
  if (unshownReason) reasons.push(unshownReason);
  if (p?.state === 'error' && p.detail) reasons.push(phrase('reasonUnreadable', p.detail));
  // A composition or a screen recording that declares no AI may still show some: said, and never "no signs".
  const mayContainAi = notShown ? undefined : mayContainAiReason(p);
  if (mayContainAi) reasons.push(mayContainAi);
  if (unknownParts && !manifestReason && !notShown) reasons.push(unknownParts);

  if (watermarkFound) {
    // The tracker only reports a generator's mark seen on several frames in a watermark's
    // place, so a clear mark names its maker the way a label does.
    const w = g.watermarks[0]!;
    reasons.unshift(watermarkPhrase(w));
    if (manifestReason) reasons.push(manifestReason);
    appendClassifier(g, reasons);
    return { level: 'ai', score, reasons };
  }

  if (manifestReason) {
    // An unverified signer's AI declaration: likely AI whatever the classifier says, which is shown beside it.
    reasons.push(manifestReason);
    if (unknownParts) reasons.push(unknownParts);
    appendClassifier(g, reasons);
    for (const t of g.creatorTexts) reasons.push(phrase('reasonPostSays', t.label));
    return { level: 'likely-ai', score, reasons };
  }

  if (g.classifier && classifierLevel) {
    const c = g.classifier;
    const band = withCreatorText(classifierLevel, g.creatorTexts.length > 0);
    // Claims of a file not shown to be what plays never let the classifier alone say "no signs".
    const level = (altered || mayContainAi || unshownReason) && band === 'no-signs' ? 'uncertain' : band;
    reasons.push(classifierReason(c, classifierLevel));
    for (const t of g.creatorTexts) reasons.push(phrase('reasonPostSays', t.label));
    return { level, score, reasons };
  }

  if (g.creatorTexts.length > 0) {
    for (const t of g.creatorTexts) reasons.push(phrase('reasonPostSays', t.label));
    return { level: 'uncertain', score, reasons };
  }

  const unreadable = unavailableReason(g);
  if (unreadable && !altered) return { level: 'unavailable', score: null, reasons: [unreadable, ...reasons] };

  if (unreadable) reasons.push(unreadable);
  const checked = g.frameQuality?.framesChecked ?? 0;
  reasons.push(checked > 0 ? counted('reasonNoDetectorRead', checked) : phrase('reasonNoDetector'));
  return { level: 'uncertain', score, reasons };
}

/**
 * Only a file's missing or unreadable credentials are known: the frames have
 * not been looked at yet, so nothing can be said about the video.
 */
function nothingToGoOnYet(g: Gathered): boolean {
  const p = g.provenance;
  const provenanceSilent = !p || p.state === 'absent' || p.state === 'error';
  return (
    provenanceSilent &&
    !g.classifier &&
    !g.frameQuality &&
    g.unavailable.length === 0 &&
    g.watermarks.length === 0 &&
    g.platformLabels.length === 0 &&
    g.creatorTexts.length === 0
  );
}

/** Where a classifier's clip score sits against its own thresholds. */
export type ClassifierBand = 'likely-ai' | 'uncertain' | 'no-signs' | 'inconclusive';

/** The band a classifier reading falls in: the one rule the verdict and the detail page both read. */
export function classifierBand(c: ClassifierSignal): ClassifierBand {
  if (c.score >= c.thresholds.likelyAi) return 'likely-ai';
  if (c.score >= c.thresholds.uncertain) return 'uncertain';
  if (c.thresholds.noSigns !== undefined && c.score < c.thresholds.noSigns) return 'no-signs';
  return 'inconclusive';
}

/** The post's own words that it is AI-made move the classifier's answer one step towards AI, never to `ai`. */
function withCreatorText(band: ClassifierBand, creatorSaysAi: boolean): VerdictLevel {
  if (band === 'inconclusive') return 'uncertain';
  if (!creatorSaysAi) return band;
  return band === 'no-signs' ? 'uncertain' : 'likely-ai';
}

const CLASSIFIER_REASONS = {
  'likely-ai': 'reasonClassifierLikelyAi',
  uncertain: 'reasonClassifierUncertain',
  'no-signs': 'reasonClassifierNoSigns',
  inconclusive: 'reasonClassifierInconclusive',
} as const satisfies Record<ClassifierBand, Phrase['key']>;

function classifierReason(c: ClassifierSignal, band: ClassifierBand): Phrase {
  return phrase(CLASSIFIER_REASONS[band], percentPhrase(c.score), counted('reasonFrames', c.framesScored));
}

/**
 * How a watermark reads in a reason: the generator, the creator's handle when one was read ("A visible Sora watermark,
 * @name, on 3 frames."), and whether it was known by its logo. Raw OCR text stays out: it is often slightly off
 * ("KLINGAl 1.6") and is kept in the signal for the details view.
 */
export function watermarkReason(w: WatermarkSignal): string {
  return phraseText(watermarkPhrase(w), english);
}

function watermarkPhrase(w: WatermarkSignal): Phrase {
  if (w.handle)
    return phrase(w.logo ? 'reasonWatermarkHandleLogo' : 'reasonWatermarkHandle', w.generator, w.handle, w.frames);
  return phrase(w.logo ? 'reasonWatermarkLogo' : 'reasonWatermark', w.generator, w.frames);
}

function appendClassifier(g: Gathered, reasons: Phrase[]): void {
  if (g.classifier) reasons.push(classifierReason(g.classifier, classifierBand(g.classifier)));
}

function appendSupporting(g: Gathered, reasons: Phrase[]): void {
  for (const w of g.watermarks) reasons.push(watermarkPhrase(w));
  appendClassifier(g, reasons);
}

function unavailableReason(g: Gathered): Phrase | undefined {
  const first = g.unavailable[0];
  const fq = g.frameQuality;
  const usableFrames = fq ? fq.framesChecked - fq.blankFrames : 0;
  if (usableFrames > 0) return undefined;
  if (first) return phrase('reasonVerbatim', first.detail);
  if (fq && fq.framesChecked > 0) {
    return phrase('reasonBlank', fq.framesChecked);
  }
  return undefined;
}

/**
 * Whether something in the evidence points towards AI, so that "flagged
 * only" badges show the video: an `ai` or `likely-ai` verdict, or an
 * `uncertain` one that rests on a classifier score in its uncertain band, a
 * watermark, a label, the post's own words, or credentials that declare AI or
 * were altered. An `uncertain` verdict that only says "nothing conclusive" is
 * not flagged: in the user's words it is a video with no signs of AI.
 */
export function isFlagged(level: ReportVerdict, signals: readonly Signal[]): boolean {
  if (level === 'ai' || level === 'likely-ai') return true;
  if (level !== 'uncertain') return false;
  return signals.some((s) => {
    switch (s.kind) {
      case 'classifier':
        return s.score >= s.thresholds.uncertain;
      case 'watermark':
      case 'platform-label':
        return true;
      case 'provenance':
        return (
          s.state === 'invalid' || ((s.state === 'valid' || s.state === 'untrusted') && s.declaresAi && !unconfirmed(s))
        );
      case 'frame-quality':
      case 'unavailable':
        return false;
    }
  });
}
