import { describe, expect, it } from 'vitest';
import type {
  ClassifierSignal,
  FrameQualitySignal,
  PlatformLabelSignal,
  ProvenanceSignal,
  Signal,
  UnavailableSignal,
  WatermarkSignal,
} from '../../lib/core/signals';
import type { ConformingProductRef } from '../../lib/core/conforming-products';
import { evaluateVerdict, isFlagged } from '../../lib/core/verdict';

const THRESHOLDS = { likelyAi: 0.8, uncertain: 0.4, noSigns: 0.4 };

function frames(framesChecked: number, blankFrames = 0): FrameQualitySignal {
  return { kind: 'frame-quality', framesChecked, blankFrames };
}

function classifier(score: number, overrides: Partial<ClassifierSignal> = {}): ClassifierSignal {
  return { kind: 'classifier', model: 'test-clf', score, framesScored: 4, thresholds: THRESHOLDS, ...overrides };
}

function provenance(overrides: Partial<ProvenanceSignal>): ProvenanceSignal {
  return {
    kind: 'provenance',
    state: 'valid',
    declaresAi: false,
    captureDevice: false,
    digitalSourceTypes: [],
    ...overrides,
  };
}

function watermark(generator = 'Sora'): WatermarkSignal {
  return {
    kind: 'watermark',
    generator,
    text: `${generator} mark`,
    frames: 3,
    box: { x: 0, y: 0, width: 1, height: 1 },
  };
}

function label(source: PlatformLabelSignal['source'], text = 'AI-generated'): PlatformLabelSignal {
  return { kind: 'platform-label', platform: 'TikTok', label: text, source };
}

function unavailable(detail = 'The video is DRM-protected, so its frames cannot be read.'): UnavailableSignal {
  return { kind: 'unavailable', reason: 'drm', detail };
}

const aiManifest = provenance({
  declaresAi: true,
  generator: 'Veo',
  signer: 'Google LLC',
  digitalSourceTypes: ['trainedAlgorithmicMedia'],
});
/** A capture device the C2PA Conforming Products List lets claim captures. */
const CONFORMING_CAMERA: ConformingProductRef = {
  name: 'Leica M11-P',
  vendor: 'Leica Camera AG',
  kind: 'generator',
  status: 'conformant',
  listDate: '2026-08-20',
  mayClaimCapture: true,
};
const cameraManifest = provenance({
  captureDevice: true,
  signer: 'Leica Camera AG',
  trust: 'official',
  product: CONFORMING_CAMERA,
});

describe('evaluateVerdict: nothing to judge', () => {
  it('is pending with no signals', () => {
    expect(evaluateVerdict([])).toEqual({ level: 'pending', score: null, reasons: ['Not analysed yet.'] });
  });

  it('is uncertain with no score when only frame quality is known, saying no detector judged it', () => {
    const v = evaluateVerdict([frames(3)]);
    expect(v.level).toBe('uncertain');
    expect(v.score).toBeNull();
    expect(v.reasons).toHaveLength(1);
    expect(v.reasons[0]).toMatch(/No AI detector has judged this video/);
    expect(v.reasons[0]).toContain('3 frames were read');
  });

  it('uses the singular for one frame read', () => {
    expect(evaluateVerdict([frames(1)]).reasons[0]).toContain('1 frame was read');
  });

  it('is unavailable when every frame checked was blank', () => {
    const v = evaluateVerdict([frames(4, 4)]);
    expect(v.level).toBe('unavailable');
    expect(v.score).toBeNull();
    expect(v.reasons[0]).toMatch(/black or blank \(4 checked\)/);
  });

  it('is not unavailable when at least one checked frame had picture', () => {
    expect(evaluateVerdict([frames(4, 3)]).level).toBe('uncertain');
  });

  it('is unavailable with the signal detail as the reason when frames could not be read at all', () => {
    const detail = 'Protected by DRM.';
    expect(evaluateVerdict([unavailable(detail)])).toEqual({ level: 'unavailable', score: null, reasons: [detail] });
  });

  it('prefers the unavailable detail over the blank-frame wording when both apply', () => {
    const v = evaluateVerdict([unavailable('Protected by DRM.'), frames(2, 2)]);
    expect(v).toEqual({ level: 'unavailable', score: null, reasons: ['Protected by DRM.'] });
  });

  it('is no longer unavailable once usable frames arrived after an unavailable signal', () => {
    const v = evaluateVerdict([unavailable(), frames(2, 1)]);
    expect(v.level).not.toBe('unavailable');
    expect(v.level).toBe('uncertain');
    expect(v.reasons.join(' ')).not.toContain('DRM');
  });
});

describe('evaluateVerdict: declarations make `ai`', () => {
  it('is ai when valid Content Credentials declare AI, naming the generator and a verified signer', () => {
    const v = evaluateVerdict([aiManifest, frames(2)]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toContain('made with Veo');
    expect(v.reasons[0]).toContain('signed by Google LLC, signer verified');
    expect(v.score).toBeNull();
  });

  it('is only likely AI when the signer of an AI declaration is on no trust list in use, and names the signer', () => {
    const untrusted = { ...aiManifest, state: 'untrusted' as const, trust: 'unknown' as const };
    const v = evaluateVerdict([untrusted, frames(2)]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons).toEqual([
      'Content Credentials declare it AI-generated, made with Veo (signed by Google LLC; signature valid, signer not verified: not on any trust list in use).',
    ]);
    // The same declaration from a trusted signer is AI-generated.
    expect(evaluateVerdict([{ ...untrusted, state: 'valid', trust: 'official' }]).level).toBe('ai');
  });

  it('keeps an untrusted AI declaration a strong reason whatever the classifier says, and shows both', () => {
    const untrusted = { ...aiManifest, state: 'untrusted' as const };
    for (const score of [0.1, 0.5, 0.95]) {
      const v = evaluateVerdict([untrusted, classifier(score)]);
      expect(v.level).toBe('likely-ai');
      expect(v.score).toBe(score);
      expect(v.reasons[0]).toMatch(
        /^Content Credentials declare it AI-generated, made with Veo \(signed by Google LLC;/,
      );
      expect(v.reasons[1]).toMatch(/on-device classifier/);
    }
  });

  it('names an untrusted signer that gave no name as such', () => {
    const v = evaluateVerdict([provenance({ state: 'untrusted', declaresAi: true })]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[0]).toContain('signed by an unnamed signer; signature valid, signer not verified');
  });

  it('lets a label or a watermark make an untrusted AI declaration AI-generated, the declaration kept as a reason', () => {
    const untrusted = { ...aiManifest, state: 'untrusted' as const };
    const labelled = evaluateVerdict([untrusted, label('platform')]);
    expect(labelled.level).toBe('ai');
    expect(labelled.reasons[0]).toBe('TikTok labels it: “AI-generated”.');
    expect(labelled.reasons[1]).toMatch(/made with Veo \(signed by Google LLC; signature valid, signer not verified/);
    const marked = evaluateVerdict([untrusted, watermark()]);
    expect(marked.level).toBe('ai');
    expect(marked.reasons[0]).toMatch(/^A visible Sora watermark/);
    expect(marked.reasons[1]).toMatch(/signed by Google LLC; signature valid, signer not verified/);
  });

  it('adds the post’s own words to an untrusted AI declaration without making it AI-generated', () => {
    const v = evaluateVerdict([{ ...aiManifest, state: 'untrusted' }, label('creator-text', '#veo')]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[1]).toBe('The post itself says it is AI-made: “#veo”.');
  });

  it('says AI-generated when the manifest names no generator', () => {
    const v = evaluateVerdict([provenance({ declaresAi: true })]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toContain('declare it AI-generated');
  });

  it('does not trust an AI declaration from invalid or errored credentials', () => {
    expect(evaluateVerdict([{ ...aiManifest, state: 'invalid' }]).level).not.toBe('ai');
    expect(evaluateVerdict([{ ...aiManifest, state: 'error' }]).level).not.toBe('ai');
  });

  it("is ai on the platform's own label, quoting it", () => {
    const v = evaluateVerdict([label('platform', 'Made with AI'), frames(1)]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toBe('TikTok labels it: “Made with AI”.');
  });

  it('keeps the classifier score and lists supporting evidence after the declaration', () => {
    const v = evaluateVerdict([classifier(0.3), watermark('Sora'), label('platform')]);
    expect(v.level).toBe('ai');
    expect(v.score).toBe(0.3);
    expect(v.reasons[0]).toContain('TikTok labels it');
    expect(v.reasons.some((r) => r.includes('Sora watermark'))).toBe(true);
    expect(v.reasons.some((r) => r.includes('classifier'))).toBe(true);
  });

  it("is only uncertain on the creator's own text, never ai", () => {
    const v = evaluateVerdict([label('creator-text', '#aiart')]);
    expect(v.level).toBe('uncertain');
    expect(v.score).toBeNull();
    expect(v.reasons).toEqual(['The post itself says it is AI-made: “#aiart”.']);
  });
});

describe('evaluateVerdict: classifier', () => {
  it.each([
    [0.95, 'likely-ai'],
    [0.8, 'likely-ai'],
    [0.79, 'uncertain'],
    [0.4, 'uncertain'],
    [0.39, 'no-signs'],
    [0.02, 'no-signs'],
  ])('with thresholds 0.8/0.4 puts score %s in band %s, reporting the score', (score, level) => {
    const v = evaluateVerdict([classifier(score), frames(4)]);
    expect(v.level).toBe(level);
    expect(v.score).toBe(score);
  });

  it('says nothing from a low score when the model does not vouch for low scores', () => {
    const v = evaluateVerdict([classifier(0.1, { thresholds: { likelyAi: 0.93, uncertain: 0.7 } })]);
    expect(v.level).toBe('uncertain');
    expect(v.score).toBe(0.1);
    expect(v.reasons[0]).toMatch(/nothing conclusive.*does not mean the video is real/);
  });

  it("judges by the classifier's own thresholds, not fixed ones", () => {
    expect(evaluateVerdict([classifier(0.6, { thresholds: { likelyAi: 0.5, uncertain: 0.2 } })]).level).toBe(
      'likely-ai',
    );
    expect(
      evaluateVerdict([classifier(0.6, { thresholds: { likelyAi: 0.95, uncertain: 0.7, noSigns: 0.7 } })]).level,
    ).toBe('no-signs');
  });

  it('never says ai on a classifier alone, even at certainty', () => {
    const v = evaluateVerdict([classifier(1)]);
    expect(v.level).toBe('likely-ai');
    expect(v.reasons[0]).toContain('100% likely AI-generated over 4 frames');
  });

  it('moves the band one step towards AI when the post itself says it is AI-made', () => {
    expect(evaluateVerdict([classifier(0.1), label('creator-text')]).level).toBe('uncertain');
    expect(evaluateVerdict([classifier(0.5), label('creator-text')]).level).toBe('likely-ai');
    // Already at the top band: creator text must not push it to a declaration-level verdict.
    expect(evaluateVerdict([classifier(0.9), label('creator-text')]).level).toBe('likely-ai');
  });

  it('lists the creator text after the classifier reason', () => {
    const v = evaluateVerdict([classifier(0.1), label('creator-text', '#sora')]);
    expect(v.reasons[0]).toContain('saw no signs of AI generation over 4 frames');
    expect(v.reasons[1]).toContain('“#sora”');
  });

  it('uses the classifier reading that saw more frames, whatever the order', () => {
    const few = classifier(0.95, { framesScored: 2 });
    const many = classifier(0.1, { framesScored: 10 });
    for (const signals of [
      [few, many],
      [many, few],
    ]) {
      const v = evaluateVerdict(signals);
      expect(v.level).toBe('no-signs');
      expect(v.score).toBe(0.1);
      expect(v.reasons[0]).toContain('10 frames');
    }
  });
});

describe('evaluateVerdict: watermark', () => {
  it('is ai on a generator watermark seen on several frames, naming the generator first', () => {
    const v = evaluateVerdict([watermark('Sora'), frames(3)]);
    expect(v.level).toBe('ai');
    expect(v.reasons[0]).toContain('Sora watermark');
    expect(v.reasons[0]).toContain('3 frames');
  });

  it('stays ai when the classifier sees no signs, and still reports the classifier', () => {
    const v = evaluateVerdict([classifier(0.05), watermark('Kling')]);
    expect(v.level).toBe('ai');
    expect(v.score).toBe(0.05);
    expect(v.reasons[0]).toContain('Kling');
    expect(v.reasons[1]).toContain('classifier saw no signs');
  });
});

describe('evaluateVerdict: capture provenance', () => {
  it('is verified-capture on valid credentials from a capture device', () => {
    const v = evaluateVerdict([cameraManifest, frames(2)]);
    expect(v.level).toBe('verified-capture');
    expect(v.reasons[0]).toContain('Leica Camera AG');
  });

  it('names the conforming product and the list it is on', () => {
    const v = evaluateVerdict([cameraManifest, frames(2)]);
    expect(v.reasons[1]).toBe(
      'The C2PA Conforming Products List (of 2026-08-20) lets Leica M11-P by Leica Camera AG claim a capture: a conforming capture product.',
    );
  });

  it('stays verified-capture when the classifier disagrees, but says so', () => {
    const v = evaluateVerdict([cameraManifest, classifier(0.9)]);
    expect(v.level).toBe('verified-capture');
    expect(v.score).toBe(0.9);
    expect(v.reasons[2]).toContain('classifier disagreed (90% AI)');
  });

  it('is uncertain when a verified capture carries a generator watermark', () => {
    const v = evaluateVerdict([cameraManifest, watermark('Sora')]);
    expect(v.level).toBe('uncertain');
    expect(v.reasons[0]).toMatch(/Conflicting evidence/);
    expect(v.reasons[0]).toContain('Leica Camera AG');
    expect(v.reasons[0]).toContain('Sora');
  });

  it('does not call an untrusted capture claim verified', () => {
    const v = evaluateVerdict([{ ...cameraManifest, state: 'untrusted' }, frames(2)]);
    expect(v.level).not.toBe('verified-capture');
    expect(v.level).toBe('uncertain');
    expect(v.reasons.some((r) => r.includes('claim a camera capture') && r.includes('signer not verified'))).toBe(true);
  });

  it('is no verified capture when the trusted signer’s product is not on the conforming products list', () => {
    for (const trust of ['official', 'legacy'] as const) {
      const v = evaluateVerdict([{ ...cameraManifest, trust, product: null }, frames(2)]);
      expect(v.level).toBe('uncertain');
      expect(v.reasons[0]).toMatch(
        /^Content Credentials carry a signed capture claim \(signed by Leica Camera AG, signer verified on the (official C2PA|legacy interim) Trust List\) from a product not listed as a conforming capture device, so it is no verified capture\.$/i,
      );
    }
  });

  it('is no verified capture when no products list was consulted at all', () => {
    const unlooked = { ...cameraManifest };
    delete unlooked.product;
    expect(evaluateVerdict([unlooked, frames(2)]).level).toBe('uncertain');
  });

  it('is no verified capture from a listed product the list does not let claim captures', () => {
    const editor = { ...CONFORMING_CAMERA, name: 'Snapseed', vendor: 'Google LLC', mayClaimCapture: false };
    const v = evaluateVerdict([{ ...cameraManifest, signer: 'Google LLC', product: editor }, frames(2)]);
    expect(v.level).toBe('uncertain');
    expect(v.reasons[0]).toContain('does not let Snapseed claim a capture, so it is no verified capture');
  });

  it('is no verified capture from a product that is revoked, a validator, or older than its conformant versions', () => {
    for (const product of [
      { ...CONFORMING_CAMERA, status: 'revoked_vulnerability' },
      { ...CONFORMING_CAMERA, kind: 'validator' as const },
      { ...CONFORMING_CAMERA, belowMinVersion: true, minVersion: '2.0' },
    ]) {
      const v = evaluateVerdict([{ ...cameraManifest, product }, frames(2)]);
      expect(v.level).not.toBe('verified-capture');
      expect(v.reasons[0]).toContain('does not let Leica M11-P claim a capture');
    }
  });

  it('lets the user’s own anchors vouch for a capture from an unlisted product, and says only they do', () => {
    for (const product of [null, { ...CONFORMING_CAMERA, mayClaimCapture: false }]) {
      const v = evaluateVerdict([{ ...cameraManifest, trust: 'user', product }, frames(2)]);
      expect(v.level).toBe('verified-capture');
      expect(v.reasons[0]).toContain('signer verified by your own trust anchors');
      expect(v.reasons[1]).toMatch(/^Only your own trust anchors make this capture verified/);
    }
  });

  it('lets a watermark decide against a capture claim the products list does not back', () => {
    expect(evaluateVerdict([{ ...cameraManifest, product: null }, watermark('Sora')]).level).toBe('ai');
  });

  it('lets the classifier speak when a capture claim is only untrusted', () => {
    expect(evaluateVerdict([{ ...cameraManifest, state: 'untrusted' }, classifier(0.9)]).level).toBe('likely-ai');
  });
});

describe('evaluateVerdict: altered credentials', () => {
  const altered = provenance({ state: 'invalid', captureDevice: true, failureCodes: ['assertion.dataHash.mismatch'] });

  it('is never a pass: a no-signs classifier with invalid credentials is uncertain', () => {
    const v = evaluateVerdict([altered, classifier(0.05)]);
    expect(v.level).toBe('uncertain');
    expect(v.score).toBe(0.05);
  });

  it('explains that the credentials were altered and lists the failure codes', () => {
    const v = evaluateVerdict([altered, classifier(0.05)]);
    const reason = v.reasons.find((r) => r.includes('altered'));
    expect(reason).toBeDefined();
    expect(reason).toContain('assertion.dataHash.mismatch');
  });

  it('does not hide a stronger classifier band', () => {
    expect(evaluateVerdict([altered, classifier(0.9)]).level).toBe('likely-ai');
  });

  it('is uncertain, not unavailable, when the frames were all blank too', () => {
    const v = evaluateVerdict([altered, frames(3, 3)]);
    expect(v.level).toBe('uncertain');
    expect(v.reasons.some((r) => r.includes('altered'))).toBe(true);
    expect(v.reasons.some((r) => r.includes('black or blank'))).toBe(true);
  });
});

describe('evaluateVerdict: several provenance signals', () => {
  it('lets the strongest provenance state win regardless of order', () => {
    const invalid = provenance({ state: 'invalid', failureCodes: ['x'] });
    for (const signals of [
      [invalid, cameraManifest],
      [cameraManifest, invalid],
    ] as Signal[][]) {
      expect(evaluateVerdict(signals).level).toBe('verified-capture');
    }
  });

  it('does not let a later, weaker manifest override an AI declaration', () => {
    const absent = provenance({ state: 'absent' });
    expect(evaluateVerdict([aiManifest, absent]).level).toBe('ai');
    expect(evaluateVerdict([absent, aiManifest]).level).toBe('ai');
    expect(evaluateVerdict([aiManifest, provenance({ state: 'error' })]).level).toBe('ai');
  });
});

describe('credentials of a file not shown to be what plays', () => {
  const camera = provenance({ captureDevice: true, signer: 'Leica Camera AG', trust: 'user', source: 'file' });
  const sora = provenance({ declaresAi: true, generator: 'OpenAI Sora', trust: 'official', source: 'file' });

  it('makes a verified capture only when the frames matched', () => {
    expect(evaluateVerdict([camera, frames(3)]).level).toBe('verified-capture');
    expect(evaluateVerdict([{ ...camera, shown: 'matched' }, frames(3)]).level).toBe('verified-capture');
    for (const shown of ['unconfirmed', 'differs'] as const) {
      const v = evaluateVerdict([{ ...camera, shown }, frames(3)]);
      expect(v.level).toBe('uncertain');
      expect(v.reasons.join(' ')).toMatch(/Content Credentials of a file at this address, .* claim a camera capture/);
    }
    expect(evaluateVerdict([{ ...camera, shown: 'differs' }, frames(3)]).reasons.join(' ')).toMatch(
      /whose frames differ from what plays/,
    );
  });

  it('counts no unconfirmed AI declaration towards AI, trusted signer or not, and never lets it read "no signs"', () => {
    expect(evaluateVerdict([{ ...sora, shown: 'matched' }, frames(3)]).level).toBe('ai');
    for (const state of ['valid', 'untrusted'] as const) {
      const v = evaluateVerdict([{ ...sora, state, shown: 'unconfirmed' }, frames(3)]);
      expect(v.level).toBe('uncertain');
      expect(v.reasons[0]).toMatch(/not confirmed to be what plays, declare it AI-generated, made with OpenAI Sora/);
      expect(isFlagged(v.level, [{ ...sora, state, shown: 'unconfirmed' }])).toBe(false);
    }
    // A classifier that sees no signs is not enough to say so next to another file's AI declaration.
    expect(evaluateVerdict([{ ...sora, shown: 'differs' }, classifier(0.1)]).level).toBe('uncertain');
    // Other evidence still decides: a classifier's "likely AI" stands.
    expect(evaluateVerdict([{ ...sora, shown: 'differs' }, classifier(0.9)]).level).toBe('likely-ai');
  });

  it('leaves a stream’s and a poster’s credentials alone: the page appended the one, and the other verifies nothing', () => {
    expect(evaluateVerdict([{ ...sora, source: 'stream', shown: 'unconfirmed' }]).level).toBe('ai');
    expect(evaluateVerdict([{ ...sora, source: 'image', shown: 'unconfirmed' }]).level).toBe('ai');
  });
});
