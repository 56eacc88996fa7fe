/**
 * A verdict's reasons as phrases: a message key and its values, so that each language words them its own way.
 * `evaluateVerdict` renders them in English with {@link REASON_EN} (stored results, reports and `scan` speak
 * English); the extension's pages render the same phrases from the message catalogue in the user's language, where
 * every key below has an entry (the English ones identical, which a unit test checks).
 */

/** A value a phrase slots in: text or a number as is, or another phrase rendered first. */
export type PhraseValue = string | number | Phrase;

/** One reason, or part of one, before it is put into words. */
export interface Phrase {
  key: ReasonKey;
  values: PhraseValue[];
}

/**
 * The English wording of every reason phrase; `$1`…`$9` are the phrase's values. Two placeholders never touch
 * (`$2$3`): Chromium reads that as a named placeholder and refuses to load the extension, so optional parts are
 * whole variants of a sentence instead.
 */
export const REASON_EN = {
  percent: '$1%',
  reasonNotAnalysed: 'Not analysed yet.',
  /** Words another module wrote (why frames could not be read), passed on as they are. */
  reasonVerbatim: '$1',
  reasonDeclared: '$1 declare it $2 ($3).',
  reasonWhoseImage: 'The poster image’s Content Credentials',
  reasonWhoseFile: 'Content Credentials',
  reasonWhoseUnconfirmed: 'Content Credentials of a file at this address, not confirmed to be what plays,',
  reasonWhoseOtherFile: 'Content Credentials of a file at this address, whose frames differ from what plays,',
  reasonFileClaimsCapture: '$1 claim a camera capture ($2).',
  reasonWhatAi: 'AI-generated',
  reasonWhatAiBy: 'AI-generated, made with $1',
  reasonContains: '$1 say it contains AI-generated parts ($2).',
  reasonContainsBy: '$1 say it contains AI-generated parts, made with $2 ($3).',
  reasonMayContainComposition:
    'Content Credentials say it is a composition of several sources, which may contain AI-generated parts ($1).',
  reasonMayContainScreen: 'Content Credentials say it is a screen recording, which may show AI-generated content ($1).',
  reasonUnknownParts: 'Part of it was made from media with no Content Credentials of its own.',
  reasonPlatformLabel: '$1 labels it: “$2”.',
  reasonConflict: 'Conflicting evidence: a camera signature from $1, but a $2 watermark is visible.',
  reasonCaptureDevice: 'a capture device',
  reasonCapture: 'Content Credentials show a capture by $1 with no AI edits (signer verified$2).',
  reasonCaptureProduct:
    'The C2PA Conforming Products List (of $3) lets $1 by $2 claim a capture: a conforming capture product.',
  reasonCaptureUserAnchors:
    'Only your own trust anchors make this capture verified: the product that signed it is not listed as a conforming capture device on the C2PA Conforming Products List.',
  reasonCaptureNotConforming:
    'Content Credentials carry a signed capture claim ($1) from a product not listed as a conforming capture device, so it is no verified capture.',
  reasonCaptureProductNotAllowed:
    'Content Credentials carry a signed capture claim ($1), but the C2PA Conforming Products List does not let $2 claim a capture, so it is no verified capture.',
  reasonClassifierDisagreed: 'The on-device classifier disagreed ($1 AI).',
  reasonRevoked: 'The signer’s certificate was revoked, says the OCSP response in the Content Credentials.',
  reasonAltered: 'Content Credentials were altered or broken after signing.',
  reasonAlteredCodes: 'Content Credentials were altered or broken after signing ($1).',
  reasonAlteredWhere: 'Content Credentials were altered or broken after signing: $1.',
  reasonAlteredCodesWhere: 'Content Credentials were altered or broken after signing ($1): $2.',
  reasonRevokedCodes: 'The signer’s certificate was revoked, says the OCSP response in the Content Credentials ($1).',
  reasonClaimCapture: 'Content Credentials claim a camera capture ($1).',
  reasonUnreadable: 'Content Credentials could not be read: $1',
  reasonPostSays: 'The post itself says it is AI-made: “$1”.',
  reasonBlank: 'Every sampled frame was black or blank ($1 checked), so there was nothing to judge.',
  reasonNoDetectorRead_one: 'No AI detector has judged this video yet; $1 frame was read.',
  reasonNoDetectorRead_other: 'No AI detector has judged this video yet; $1 frames were read.',
  reasonNoDetector: 'No AI detector has judged this video yet.',
  reasonFrames_one: '$1 frame',
  reasonFrames_other: '$1 frames',
  reasonClassifierLikelyAi: 'The on-device classifier rates it $1 likely AI-generated over $2.',
  reasonClassifierUncertain: 'The on-device classifier is unsure ($1 AI over $2).',
  reasonClassifierNoSigns: 'The on-device classifier saw no signs of AI generation over $2 ($1).',
  reasonClassifierInconclusive:
    'The on-device classifier found nothing conclusive over $2 ($1 AI); a low score from it does not mean the video is real.',
  reasonWatermark: 'A visible $1 watermark on $2 frames.',
  reasonWatermarkHandle: 'A visible $1 watermark, $2, on $3 frames.',
  reasonWatermarkLogo: 'A visible $1 watermark (its logo) on $2 frames.',
  reasonWatermarkHandleLogo: 'A visible $1 watermark, $2, (its logo) on $3 frames.',
  reasonListOfficial: ' on the official C2PA Trust List',
  reasonListLegacy: ' on the legacy interim trust list',
  reasonListUser: ' by your own trust anchors',
  reasonSignedBy: 'signed by $1',
  reasonSigned: 'signed',
  reasonSignedUnnamed: 'signed by an unnamed signer',
  reasonSignerVerified: '$1, signer verified$2',
  reasonSignerUnverified: '$1; signature valid, signer not verified: not on any trust list in use',
  reasonExpired: '$1; certificate expired since signing',
  reasonAndHash: '$1; $2',
  reasonHashNotChecked: 'the file hash was not checked',
  reasonFirstSegmentOnly: 'only the stream’s first segment was checked against it',
  reasonStreamHashNotChecked: 'the stream’s hash was not checked',
  reasonSegments_one: '$1 segment of the stream checked against it$2',
  reasonSegments_other: '$1 segments of the stream checked against it$2',
  reasonSegmentsSkipped_one: ' ($1 segment not checked)',
  reasonSegmentsSkipped_other: ' ($1 segments not checked)',
} as const;

/** The key of a reason phrase. */
export type ReasonKey = keyof typeof REASON_EN;

/** Builds a phrase. */
export function phrase(key: ReasonKey, ...values: PhraseValue[]): Phrase {
  return { key, values };
}

/** The `_one` or `_other` form of a counted phrase, with the count as `$1`. */
export function counted(
  key: 'reasonNoDetectorRead' | 'reasonFrames' | 'reasonSegments' | 'reasonSegmentsSkipped',
  count: number,
  ...rest: PhraseValue[]
): Phrase {
  return phrase(`${key}_${count === 1 ? 'one' : 'other'}`, count, ...rest);
}

/** A share (0..1) as a whole percentage. */
export function percentPhrase(share: number): Phrase {
  return phrase('percent', Math.round(share * 100));
}

/** Words a phrase's key with its (already rendered) values. */
export type Wording = (key: ReasonKey, values: string[]) => string;

/** Puts a phrase into words, its nested phrases first. */
export function phraseText(p: Phrase, wording: Wording): string {
  return wording(
    p.key,
    p.values.map((v) => (typeof v === 'object' ? phraseText(v, wording) : String(v))),
  );
}

/** `$1`…`$9` replaced by the values, `$$` by a dollar sign: the browser's message format. */
export function fillTemplate(template: string, values: readonly string[]): string {
  return template.replace(/\$(\$|[1-9])/g, (_, which: string) =>
    which === '$' ? '$' : (values[Number(which) - 1] ?? ''),
  );
}

/** The English wording, as stored results, reports and `scan` carry it. */
export const english: Wording = (key, values) => fillTemplate(REASON_EN[key], values);
