import { describe, expect, it } from 'vitest';
import {
  allowedDistance,
  bestOccurrence,
  GENERATOR_MARKS,
  matchGeneratorMark,
  normaliseMarkText,
} from '../../../lib/core/generator-marks';

const generatorOf = (text: string) => matchGeneratorMark(text)?.generator ?? null;

describe('normaliseMarkText', () => {
  it('folds width and case, drops punctuation, spaces and @handles', () => {
    expect(normaliseMarkText('ＳＯＲＡ')).toBe('sora');
    expect(normaliseMarkText('Sora @andrewdefee')).toBe('sora');
    expect(normaliseMarkText('KlingAI 2.0 · Master')).toBe('klingai20master');
    expect(normaliseMarkText('可灵ＡＩ')).toBe('可灵ai');
    expect(normaliseMarkText('③ KingAI')).toBe('3kingai');
  });
});

describe('bestOccurrence', () => {
  it('finds the cheapest span of the pattern inside the text', () => {
    expect(bestOccurrence('sora', 'xxsorayy')).toEqual({ distance: 0, start: 2, end: 6 });
    expect(bestOccurrence('klingai', '2kingai16').distance).toBe(1);
    // Look-alike characters cost a quarter: "KLING Al" is nearly "klingai".
    expect(bestOccurrence('klingai', 'klingal').distance).toBe(0.25);
  });
});

describe('matchGeneratorMark: real OCR reads of watermarks', () => {
  // Every string here is what the PaddleOCR pipeline read on frames of the shared clips.
  it.each([
    ['KlingAI 2.0', 'Kling'],
    ['KingAI 2.0', 'Kling'],
    ['③ KingAI 2.0', 'Kling'],
    ['2 KLinG AI 1.6', 'Kling'],
    ['KLING Al1.', 'Kling'],
    ['O KLING A1 1.6', 'Kling'],
    ['Sora', 'Sora'],
    ['Show-1', 'Show-1'],
  ])('%s → %s', (text, generator) => {
    expect(generatorOf(text)).toBe(generator);
  });

  it.each([
    ['ＳＯＲＡ', 'Sora'],
    ['S0ra', 'Sora'],
    ['Sora @someone', 'Sora'],
    ['可灵AI', 'Kling'],
    ['可灵 ＡＩ', 'Kling'],
    ['海螺AI', 'Hailuo'],
    ['Hailuo AI', 'Hailuo'],
    ['即梦AI', 'Jimeng'],
    ['豆包AI生成', 'Doubao'],
    ['AI生成', 'unnamed generator ("AI生成")'],
    ['Veo', 'Veo'],
    ['Vidu', 'Vidu'],
    ['Runway', 'Runway'],
    ['Pika', 'Pika'],
    ['Dream Machine', 'Luma Dream Machine'],
    ['Imagined with AI', 'Meta AI'],
    ['PixVerse V4', 'PixVerse'],
  ])('mark variants: %s → %s', (text, generator) => {
    expect(generatorOf(text)).toBe(generator);
  });
});

describe('matchGeneratorMark: text that only mentions a generator', () => {
  it.each([
    'OpenAI unveils Sora video model',
    'Sora video model',
    'BREAKING: Kling AI launches 2.0',
    'Made with love in Hailuo province',
    'Runway fashion week',
    'Pikachu',
    'video',
    'Sofa',
    'Sor',
    'Luminous',
    'content',
    'similarity to third-party',
    'RAWHIDE',
    '',
    '00',
  ])('%s → nothing', (text) => {
    expect(matchGeneratorMark(text)).toBeNull();
  });
});

describe('allowedDistance', () => {
  it('gives short names no real edit and longer names about one in five', () => {
    expect(allowedDistance(3)).toBeLessThan(1);
    expect(allowedDistance(4)).toBeLessThan(1);
    expect(allowedDistance(7)).toBeGreaterThanOrEqual(1);
    expect(allowedDistance(15)).toBe(3);
  });

  it('keeps every shipped pattern reachable by its own text', () => {
    for (const mark of GENERATOR_MARKS) {
      for (const pattern of mark.patterns) expect(generatorOf(pattern), pattern).toBe(mark.generator);
    }
  });
});
