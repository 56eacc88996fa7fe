import type { RubricSignal } from './rubric';
import { segmentsPhrase } from './stream-credentials';
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

/** Short labels for badges and lists. */
/**
 * How the classifier's calibrated score reads next to a verdict. Only the verdicts the classifier can drive carry it:
 * next to "AI-generated" from a manifest, watermark or label, or "verified capture", a percentage would read as
 * the certainty of that evidence, which it is not.
 */
export function scoreText(verdict: ReportVerdict, score: number | null): string {
  if (score === null || (verdict !== 'likely-ai' && verdict !== 'uncertain' && verdict !== 'no-signs')) return '';
  return ` (${Math.round(score * 100)}% AI)`;
}

export const VERDICT_LABELS: Record<ReportVerdict, string> = {
  ai: 'AI-generated',
  'likely-ai': 'Likely AI',
  uncertain: 'Uncertain',
  'no-signs': 'No signs of AI',
  'verified-capture': 'Verified capture',
  unavailable: 'Unavailable',
  pending: 'Analysing…',
};

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

/** Which list verified the signer, in words. */
function listPhrase(p: ProvenanceSignal): string {
  switch (p.trust) {
    case 'official':
      return ' on the official C2PA Trust List';
    case 'legacy':
      return ' on the legacy interim trust list';
    case 'user':
      return ' by your own trust anchors';
    default:
      return '';
  }
}

function signerPhrase(p: ProvenanceSignal): string {
  // An unverified signer is named even when the certificate gave no name: who vouches is the point.
  const who = p.signer ? `signed by ${p.signer}` : p.state === 'valid' ? 'signed' : 'signed by an unnamed signer';
  const signer =
    p.state === 'valid'
      ? `${who}, signer verified${listPhrase(p)}`
      : `${who}; signature valid, signer not verified: not on any trust list in use`;
  // An expired certificate without a trusted time-stamp says nothing about the content: the claims stand, with it said.
  const expired = p.certificate === 'expired-since-signing' ? `${signer}; certificate expired since signing` : signer;
  return p.hashVerified === false ? `${expired}; ${hashPhrase(p)}` : expired;
}

/** Why the content hash of a manifest-bearing video was not checked against the video. */
function hashPhrase(p: ProvenanceSignal): string {
  if (p.source !== 'stream') return 'the file hash was not checked';
  // Each media segment is checked as it is appended, unless the manifest hashes only the whole file.
  if (p.segmentsChecked === undefined) return 'only the stream’s first segment was checked against it';
  return p.segmentsChecked > 0 || !p.detail ? segmentsPhrase(p) : 'the stream’s hash was not checked';
}

/**
 * What a manifest that declares AI says, with its signer and whether any trust list vouches for it: generated
 * whole (the asset rubric's `fullyGenAIMedia`), or with generated parts (`partlyGenAICreation`, `perceptibleGenAI`,
 * a generated ingredient placed into it), which `composite` carries.
 */
function aiDeclarationReason(p: ProvenanceSignal): string {
  const what = p.composite ? 'say it contains AI-generated parts' : 'declare it AI-generated';
  const by = p.generator ? `, made with ${p.generator}` : '';
  const whose = p.source === 'image' ? 'The poster image’s Content Credentials' : 'Content Credentials';
  return `${whose} ${what}${by} (${signerPhrase(p)}).`;
}

/** Whether the manifest's own asset-rubric signals include any of `signals`. */
function rubricSays(p: ProvenanceSignal | undefined, ...signals: RubricSignal[]): boolean {
  return !!p?.rubric?.signals.some((s) => signals.includes(s));
}

/**
 * What a readable manifest that declares no AI says in the rubric's "may contain" signals: a composition of
 * several sources (`compositionMayContainGenAI`) or a screen recording (`screenCaptureMayContainGenAI`), either of
 * which may show generated content the maker does not declare.
 */
function mayContainAiReason(p: ProvenanceSignal | undefined): string | undefined {
  if (!p || p.declaresAi || (p.state !== 'valid' && p.state !== 'untrusted')) return undefined;
  const what = rubricSays(p, 'screenCaptureMayContainGenAI')
    ? 'a screen recording, which may show AI-generated content'
    : rubricSays(p, 'compositionMayContainGenAI')
      ? 'a composition of several sources, which may contain AI-generated parts'
      : undefined;
  return what ? `Content Credentials say it is ${what} (${signerPhrase(p)}).` : undefined;
}

/** The rubric's `mediaUnknownProvenance`, in words, for a manifest that could be read. */
function unknownPartsReason(p: ProvenanceSignal | undefined): string | undefined {
  if (!p || (p.state !== 'valid' && p.state !== 'untrusted') || !rubricSays(p, 'mediaUnknownProvenance')) return;
  return 'Part of it was made from media with no Content Credentials of its own.';
}

function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
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
export function evaluateVerdict(signals: readonly Signal[]): Verdict {
  if (signals.length === 0) return { level: 'pending', score: null, reasons: ['Not analysed yet.'] };
  const g = gather(signals);
  if (nothingToGoOnYet(g)) return { level: 'pending', score: null, reasons: ['Not analysed yet.'] };
  const score = g.classifier ? g.classifier.score : null;
  const reasons: string[] = [];
  const p = g.provenance;

  // Only a signer on a trust list in use makes a manifest's AI declaration a verdict of its own. Anyone can sign
  // with a certificate they made: from an unknown signer the declaration is a strong reason, not a verdict.
  const declaredByManifest = p?.state === 'valid' && p.declaresAi;
  const claimedByManifest = p?.state === 'untrusted' && p.declaresAi;
  const manifestReason = declaredByManifest || claimedByManifest ? aiDeclarationReason(p) : undefined;
  const unknownParts = unknownPartsReason(p);
  if (declaredByManifest || g.platformLabels.length > 0) {
    if (declaredByManifest) reasons.push(manifestReason!);
    for (const label of g.platformLabels) reasons.push(`${label.platform} labels it: “${label.label}”.`);
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
  if (p && p.state === 'valid' && p.captureDevice && p.source !== 'image' && hashChecked && certificateSound) {
    const who = p.signer ?? 'a capture device';
    if (watermarkFound) {
      reasons.push(
        `Conflicting evidence: a camera signature from ${who}, but a ${g.watermarks[0]!.generator} watermark is visible.`,
      );
      appendSupporting(g, reasons);
      return { level: 'uncertain', score, reasons };
    }
    reasons.push(`Content Credentials show a capture by ${who} with no AI edits (signer verified${listPhrase(p)}).`);
    if (unknownParts) reasons.push(unknownParts);
    if (classifierLevel === 'likely-ai')
      reasons.push(`The on-device classifier disagreed (${percent(g.classifier!.score)} AI).`);
    return { level: 'verified-capture', score, reasons };
  }

  const altered = p?.state === 'invalid';
  if (altered) {
    const codes = p.failureCodes?.length ? ` (${p.failureCodes.join(', ')})` : '';
    if (p.certificate === 'revoked') {
      reasons.push(`The signer’s certificate was revoked, says the OCSP response in the Content Credentials${codes}.`);
    } else {
      // A stream names the first segment that failed its signed hashes.
      const where = p.source === 'stream' && p.detail ? `: ${p.detail}` : '';
      reasons.push(`Content Credentials were altered or broken after signing${codes}${where}.`);
    }
  }
  if (
    p &&
    p.captureDevice &&
    (p.state === 'untrusted' || (p.state === 'valid' && (!hashChecked || !certificateSound)))
  ) {
    reasons.push(`Content Credentials claim a camera capture (${signerPhrase(p)}).`);
  }
  if (p?.state === 'error' && p.detail) reasons.push(`Content Credentials could not be read: ${p.detail}`);
  // A composition or a screen recording that declares no AI may still show some: said, and never "no signs".
  const mayContainAi = mayContainAiReason(p);
  if (mayContainAi) reasons.push(mayContainAi);
  if (unknownParts && !manifestReason) reasons.push(unknownParts);

  if (watermarkFound) {
    // The tracker only reports a generator's mark seen on several frames in a watermark's
    // place, so a clear mark names its maker the way a label does.
    const w = g.watermarks[0]!;
    reasons.unshift(watermarkReason(w));
    if (manifestReason) reasons.push(manifestReason);
    appendClassifier(g, reasons);
    return { level: 'ai', score, reasons };
  }

  if (manifestReason) {
    // An unverified signer's AI declaration: likely AI whatever the classifier says, which is shown beside it.
    reasons.push(manifestReason);
    if (unknownParts) reasons.push(unknownParts);
    appendClassifier(g, reasons);
    for (const t of g.creatorTexts) reasons.push(`The post itself says it is AI-made: “${t.label}”.`);
    return { level: 'likely-ai', score, reasons };
  }

  if (g.classifier && classifierLevel) {
    const c = g.classifier;
    const band = withCreatorText(classifierLevel, g.creatorTexts.length > 0);
    const level = (altered || mayContainAi) && band === 'no-signs' ? 'uncertain' : band;
    reasons.push(classifierReason(c, classifierLevel));
    for (const t of g.creatorTexts) reasons.push(`The post itself says it is AI-made: “${t.label}”.`);
    return { level, score, reasons };
  }

  if (g.creatorTexts.length > 0) {
    for (const t of g.creatorTexts) reasons.push(`The post itself says it is AI-made: “${t.label}”.`);
    return { level: 'uncertain', score, reasons };
  }

  const unreadable = unavailableReason(g);
  if (unreadable && !altered) return { level: 'unavailable', score: null, reasons: [unreadable, ...reasons] };

  if (unreadable) reasons.push(unreadable);
  const checked = g.frameQuality?.framesChecked ?? 0;
  reasons.push(
    checked > 0
      ? `No AI detector has judged this video yet; ${checked} frame${checked === 1 ? ' was' : 's were'} read.`
      : 'No AI detector has judged this video yet.',
  );
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

type ClassifierBand = 'likely-ai' | 'uncertain' | 'no-signs' | 'inconclusive';

function classifierBand(c: ClassifierSignal): ClassifierBand {
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

function classifierReason(c: ClassifierSignal, band: ClassifierBand): string {
  const frames = `${c.framesScored} frame${c.framesScored === 1 ? '' : 's'}`;
  switch (band) {
    case 'likely-ai':
      return `The on-device classifier rates it ${percent(c.score)} likely AI-generated over ${frames}.`;
    case 'uncertain':
      return `The on-device classifier is unsure (${percent(c.score)} AI over ${frames}).`;
    case 'no-signs':
      return `The on-device classifier saw no signs of AI generation over ${frames} (${percent(c.score)}).`;
    case 'inconclusive':
      return `The on-device classifier found nothing conclusive over ${frames} (${percent(c.score)} AI); a low score from it does not mean the video is real.`;
  }
}

/**
 * How a watermark reads in a reason: the generator, the creator's handle when one was read ("A visible Sora watermark,
 * @name, on 3 frames."), and whether it was known by its logo. Raw OCR text stays out: it is often slightly off
 * ("KLINGAl 1.6") and is kept in the signal for the details view.
 */
export function watermarkReason(w: WatermarkSignal): string {
  const handle = w.handle ? `, ${w.handle},` : '';
  const logo = w.logo ? ' (its logo)' : '';
  return `A visible ${w.generator} watermark${handle}${logo} on ${w.frames} frames.`;
}

function appendClassifier(g: Gathered, reasons: string[]): void {
  if (g.classifier) reasons.push(classifierReason(g.classifier, classifierBand(g.classifier)));
}

function appendSupporting(g: Gathered, reasons: string[]): void {
  for (const w of g.watermarks) reasons.push(watermarkReason(w));
  appendClassifier(g, reasons);
}

function unavailableReason(g: Gathered): string | undefined {
  const first = g.unavailable[0];
  const fq = g.frameQuality;
  const usableFrames = fq ? fq.framesChecked - fq.blankFrames : 0;
  if (usableFrames > 0) return undefined;
  if (first) return first.detail;
  if (fq && fq.framesChecked > 0) {
    return `Every sampled frame was black or blank (${fq.framesChecked} checked), so there was nothing to judge.`;
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
        return s.state === 'invalid' || ((s.state === 'valid' || s.state === 'untrusted') && s.declaresAi);
      case 'frame-quality':
      case 'unavailable':
        return false;
    }
  });
}
