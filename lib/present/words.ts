import type { FramePath } from '../core/report';
import type { RubricSignal } from '../core/rubric';
import type { ConformingProductRef } from '../core/conforming-products';
import type { ClassifierSignal, IdentityAssertionSignal, ProvenanceSignal, TrustListRef } from '../core/signals';
import { type ClassifierBand, classifierBand, type ReportVerdict } from '../core/verdict';
import { type MessageKey, plural, t } from './i18n';

/**
 * Every word the extension's pages and badges show about a verdict, a frame path, a provenance state or a trust
 * list, drawn from the message catalogue so that each is written once and read in the user's language.
 */

const VERDICT_KEYS: Record<ReportVerdict, MessageKey> = {
  ai: 'verdictAi',
  'likely-ai': 'verdictLikelyAi',
  uncertain: 'verdictUncertain',
  'no-signs': 'verdictNoSigns',
  'verified-capture': 'verdictVerifiedCapture',
  unavailable: 'verdictUnavailable',
  pending: 'verdictPending',
};

const MEANING_KEYS: Record<ReportVerdict, MessageKey> = {
  ai: 'meaningAi',
  'likely-ai': 'meaningLikelyAi',
  uncertain: 'meaningUncertain',
  'no-signs': 'meaningNoSigns',
  'verified-capture': 'meaningVerifiedCapture',
  unavailable: 'meaningUnavailable',
  pending: 'meaningPending',
};

/** Every verdict, in the order badges size their pill by. */
export const REPORT_VERDICTS: readonly ReportVerdict[] = Object.keys(VERDICT_KEYS) as ReportVerdict[];

/** A verdict's short label, for badges and lists. */
export function verdictLabel(verdict: ReportVerdict): string {
  return t(VERDICT_KEYS[verdict]);
}

/** What a verdict means, in plain words, for the detail page's headline. */
export function verdictMeaning(verdict: ReportVerdict): string {
  return t(MEANING_KEYS[verdict]);
}

/** A share (0..1) as a whole percentage, written as the user's language writes one. */
export function percent(share: number): string {
  return t('percent', [Math.round(share * 100)]);
}

/** A share as a percentage with one decimal below 1% (0.4%), where a whole number would read as none. */
export function finePercent(share: number): string {
  const value = share * 100;
  return t('percent', [value > 0 && value < 1 ? value.toFixed(1) : Math.round(value)]);
}

/**
 * How the classifier's calibrated score reads next to a verdict. Only the verdicts the classifier can drive carry it:
 * next to "AI-generated" from a manifest, watermark or label, or "verified capture", a percentage would read as
 * the certainty of that evidence, which it is not.
 */
export function scoreText(verdict: ReportVerdict, score: number | null): string {
  if (score === null || (verdict !== 'likely-ai' && verdict !== 'uncertain' && verdict !== 'no-signs')) return '';
  return t('scoreAi', [percent(score)]);
}

/** A verdict's label with its score, where it carries one: "Likely AI (81% AI)". */
export function verdictWithScore(verdict: ReportVerdict, score: number | null): string {
  return `${verdictLabel(verdict)}${scoreText(verdict, score)}`;
}

const PATH_KEYS: Record<FramePath, { long: MessageKey; short: MessageKey }> = {
  canvas: { long: 'pathCanvasLong', short: 'pathCanvasShort' },
  'tab-capture': { long: 'pathTabCaptureLong', short: 'pathTabCaptureShort' },
  'offscreen-fetch': { long: 'pathFetchLong', short: 'pathFetchShort' },
};

/** Where frames were read from: `long` completes a sentence ("read from the page"), `short` names it ("page canvas"). */
export function framePathText(path: FramePath, form: 'long' | 'short'): string {
  return t(PATH_KEYS[path][form]);
}

const PROVENANCE_KEYS: Record<ProvenanceSignal['state'], { lead: MessageKey; inline: MessageKey }> = {
  valid: { lead: 'provenanceValid', inline: 'provenanceInlineValid' },
  untrusted: { lead: 'provenanceUntrusted', inline: 'provenanceInlineUntrusted' },
  invalid: { lead: 'provenanceInvalid', inline: 'provenanceInlineInvalid' },
  absent: { lead: 'provenanceAbsent', inline: 'provenanceInlineAbsent' },
  error: { lead: 'provenanceError', inline: 'provenanceInlineError' },
};

/**
 * A provenance state in words: `lead` opens a card on the detail page ("Altered or broken after signing"),
 * `inline` follows "Content Credentials:" in the popup's evidence lines ("altered or broken after signing").
 */
export function provenanceStateText(state: ProvenanceSignal['state'], form: 'lead' | 'inline'): string {
  return t(PROVENANCE_KEYS[state][form]);
}

const TRUST_KEYS: Record<NonNullable<ProvenanceSignal['trust']>, MessageKey> = {
  official: 'trustOfficial',
  legacy: 'trustLegacy',
  user: 'trustUser',
  unknown: 'trustUnknown',
};

/** Which list vouches for a signer, in words. */
export function trustText(trust: NonNullable<ProvenanceSignal['trust']>): string {
  return t(TRUST_KEYS[trust]);
}

/**
 * The product the conforming products list names for a manifest, in words: its name and vendor, its standing and
 * the list's date, whether it may claim a capture, and a version below the conformant ones.
 */
export function productText(product: ConformingProductRef | null): string {
  if (!product) return t('productNotListed');
  const status = product.status === 'conformant' ? t('productConformant') : t('productStatusOther', [product.status]);
  const kind = t(product.kind === 'generator' ? 'productGenerator' : 'productValidator');
  const parts = [
    t('productListed', [product.name, product.vendor, `${status} ${kind}`, dayText(product.listDate)]),
    t(product.mayClaimCapture ? 'productMayCapture' : 'productMayNotCapture'),
  ];
  if (product.belowMinVersion && product.minVersion) parts.push(t('productBelowVersion', [product.minVersion]));
  return parts.join('; ');
}

const IDENTITY_KEYS: Record<IdentityAssertionSignal['status'], MessageKey> = {
  trusted: 'identityTrusted',
  untrusted: 'identityUntrusted',
  invalid: 'identityInvalid',
  unverified: 'identityUnverified',
  malformed: 'identityMalformed',
};

/** One CAWG identity assertion in words: who it names (and who verified each), who issued it, and its standing. */
export function identityText(identity: IdentityAssertionSignal): string {
  const names = identity.identities.map((i) => (i.provider ? t('identityVia', [i.name, i.provider]) : i.name));
  const who = names.length > 0 ? names.join(', ') : t('identityNone');
  const standing = [t(IDENTITY_KEYS[identity.status])];
  if (identity.issuer) standing.push(t('identityIssuedBy', [identity.issuer]));
  return t('identityLine', [who, standing.join('; ')]);
}

/** A date as the user reads it (the day only), or the raw text when it is not one. */
export function dayText(iso: string | undefined): string {
  if (!iso) return t('dateNotGiven');
  const time = Date.parse(iso);
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : iso;
}

/** A moment in UTC as the browser's language writes one ("3 dic 2026, 7:00:00 UTC"), or the raw text when it is not one. */
export function utcTimeText(iso: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return iso;
  return new Date(time).toLocaleString(undefined, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'long' });
}

/** A trust list's dates in words, saying when it is out of date (it still validates). */
export function trustListDates(list: TrustListRef, now = Date.now()): string {
  const parts = list.issued ? [t('listIssued', [dayText(list.issued)])] : [];
  if (list.nextUpdate) {
    const due = Date.parse(list.nextUpdate);
    parts.push(
      Number.isFinite(due) && due < now
        ? t('listOutOfDateSince', [dayText(list.nextUpdate)])
        : t('listNextUpdate', [dayText(list.nextUpdate)]),
    );
  }
  return parts.join(', ');
}

const SOURCE_TYPE_KEYS: Record<string, MessageKey> = {
  trainedAlgorithmicMedia: 'sourceTrainedAlgorithmicMedia',
  compositeWithTrainedAlgorithmicMedia: 'sourceCompositeWithTrainedAlgorithmicMedia',
  algorithmicMedia: 'sourceAlgorithmicMedia',
  compositeSynthetic: 'sourceCompositeSynthetic',
  digitalCapture: 'sourceDigitalCapture',
  computationalCapture: 'sourceComputationalCapture',
  compositeCapture: 'sourceCompositeCapture',
  digitalCreation: 'sourceDigitalCreation',
  composite: 'sourceComposite',
  minorHumanEdits: 'sourceMinorHumanEdits',
  humanEdits: 'sourceHumanEdits',
  screenCapture: 'sourceScreenCapture',
  virtualRecording: 'sourceVirtualRecording',
  negativeFilm: 'sourceNegativeFilm',
  positiveFilm: 'sourcePositiveFilm',
  print: 'sourcePrint',
  dataDrivenMedia: 'sourceDataDrivenMedia',
};

/** An IPTC digital source type named for people, or the raw term when unknown. */
export function sourceTypeName(type: string): string {
  const key = Object.hasOwn(SOURCE_TYPE_KEYS, type) ? SOURCE_TYPE_KEYS[type] : undefined;
  return key ? t(key) : type;
}

const RUBRIC_KEYS: Record<RubricSignal, MessageKey> = {
  fullyGenAIMedia: 'rubricFullyGenAIMedia',
  partlyGenAICreation: 'rubricPartlyGenAICreation',
  compositionMayContainGenAI: 'rubricCompositionMayContainGenAI',
  capturedMedia: 'rubricCapturedMedia',
  capturedMediaStitched: 'rubricCapturedMediaStitched',
  screenCaptureMayContainGenAI: 'rubricScreenCaptureMayContainGenAI',
  mediaUnknownProvenance: 'rubricMediaUnknownProvenance',
  perceptibleGenAI: 'rubricPerceptibleGenAI',
};

/**
 * One of the C2PA asset rubric's local signals in plain words (lib/core/rubric.ts says what triggers each);
 * `midSentence` starts it in lower case, to follow other words.
 */
export function rubricSignalText(signal: RubricSignal, midSentence = false): string {
  const words = t(RUBRIC_KEYS[signal]);
  return midSentence ? words.charAt(0).toLowerCase() + words.slice(1) : words;
}

const BAND_KEYS: Record<ClassifierBand, MessageKey> = {
  'likely-ai': 'bandLikelyAi',
  uncertain: 'bandUncertain',
  'no-signs': 'bandNoSigns',
  inconclusive: 'bandInconclusive',
};

/** Where a clip score sits against the model's own thresholds, in words (the band rule itself lives in core). */
export function classifierBandText(s: ClassifierSignal): string {
  return t(BAND_KEYS[classifierBand(s)]);
}

/** "3 frames" / "1 frame". */
export function framesText(count: number): string {
  return plural('frames', count);
}

/** Seconds as m:ss.s. */
export function mediaTimeText(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}
