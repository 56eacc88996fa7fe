import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import en from '../../../public/_locales/en/messages.json';
import es from '../../../public/_locales/es/messages.json';
import { REASON_EN } from '../../../lib/core/reasons';
import type { VideoReport } from '../../../lib/core/report';
import { type Catalogue, setFallbackCatalogue } from '../../../lib/present/i18n';
import { reasonTexts, signalLines } from '../../../lib/present/evidence';
import { percent, verdictLabel, verdictWithScore } from '../../../lib/present/words';

const root = resolve(import.meta.dirname, '../../..');
const LOCALES: Record<string, Catalogue> = { en, es };

/** `$1`…`$9` a message uses, sorted. */
function placeholders(message: string): string[] {
  return [...new Set(message.match(/\$[1-9]/g) ?? [])].sort();
}

/** Every `.ts`/`.tsx` file under the folders the extension is built from. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Keys the code names literally: `t('key'`, `plural('key'`, `phrase('key'`, `counted('key'`, and `'key'` typed as a MessageKey. */
function keysInCode(): Map<string, string> {
  const found = new Map<string, string>();
  const call = /\b(t|plural|phrase|counted)\(\s*'([A-Za-z0-9_]+)'/g;
  for (const file of ['lib', 'components', 'entrypoints'].flatMap((d) => sourceFiles(join(root, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) {
      const forms = m[1] === 'plural' || m[1] === 'counted' ? [`${m[2]}_one`, `${m[2]}_other`] : [m[2]!];
      for (const key of forms) found.set(key, file.slice(root.length + 1));
    }
  }
  return found;
}

/** What is wrong with a set of catalogues: keys one lacks, placeholders that differ, keys the code names that none has. */
function catalogueProblems(locales: Record<string, Catalogue>, codeKeys: Map<string, string>): string[] {
  const problems: string[] = [];
  const reference = locales.en!;
  for (const [name, catalogue] of Object.entries(locales)) {
    for (const key of Object.keys(reference)) if (!(key in catalogue)) problems.push(`${name} lacks ${key}`);
    for (const key of Object.keys(catalogue)) {
      if (!(key in reference)) problems.push(`${name} has ${key}, which en lacks`);
      else if (placeholders(catalogue[key]!.message).join() !== placeholders(reference[key]!.message).join())
        problems.push(
          `${name} ${key} uses ${placeholders(catalogue[key]!.message)}, en ${placeholders(reference[key]!.message)}`,
        );
      if (!catalogue[key]!.message.trim()) problems.push(`${name} ${key} is empty`);
      // Chromium reads `$2$` in `$2$3` as a named placeholder and refuses to load the extension.
      if (/\$[1-9]\$/.test(catalogue[key]!.message)) problems.push(`${name} ${key} has touching placeholders`);
    }
  }
  for (const [key, file] of codeKeys) if (!(key in reference)) problems.push(`${file} names ${key}, which en lacks`);
  return problems;
}

afterEach(() => setFallbackCatalogue(en));

describe('message catalogue', () => {
  it('has every key in both locales, with the same placeholders, and every key the code names', () => {
    const codeKeys = keysInCode();
    // The scan finds the keys the pages use (guards against a scan that matches nothing).
    expect(codeKeys.size).toBeGreaterThan(200);
    expect(catalogueProblems(LOCALES, codeKeys)).toEqual([]);
  });

  it('fails on a key missing from a locale, on a placeholder dropped, and on a key only the code knows', () => {
    const esBroken: Catalogue = { ...es, scoreAi: { message: ' (IA)' }, percent: { message: '$1$$' } };
    delete esBroken.verdictAi;
    const problems = catalogueProblems({ en, es: esBroken }, new Map([['notInCatalogue', 'components/X.tsx']]));
    expect(problems).toEqual(
      expect.arrayContaining([
        'es lacks verdictAi',
        'es scoreAi uses , en $1',
        'es percent has touching placeholders',
        'components/X.tsx names notInCatalogue, which en lacks',
      ]),
    );
  });

  it('words reasons in English exactly as the verdict engine stores them', () => {
    for (const [key, message] of Object.entries(REASON_EN)) {
      expect((en as Catalogue)[key]?.message, key).toBe(message);
      expect((es as Catalogue)[key], key).toBeDefined();
    }
  });

  it('translates every Spanish message but names, codes and examples', () => {
    const same = Object.keys(en).filter((key) => (en as Catalogue)[key]!.message === (es as Catalogue)[key]?.message);
    expect(same.sort()).toEqual(
      [
        'extName',
        'factHash',
        'formEndpointPlaceholder',
        'formId',
        'lineProvenance',
        'mediaErrorCode',
        'reasonAndHash',
        'reasonVerbatim',
        'sitesPlaceholder',
        'trustPastePlaceholder',
      ].sort(),
    );
  });
});

describe('words in Spanish', () => {
  const video: VideoReport = {
    id: 'v1',
    src: 'https://example.com/a.mp4',
    frameId: 0,
    pageUrl: 'https://example.com/',
    verdict: 'likely-ai',
    score: 0.81,
    reasons: ['The on-device classifier rates it 81% likely AI-generated over 3 frames.'],
    signals: [
      {
        kind: 'classifier',
        model: 'm@1',
        score: 0.81,
        framesScored: 3,
        thresholds: { likelyAi: 0.7, uncertain: 0.4 },
      },
    ],
    frames: [],
    framesAnalysed: 3,
    framePath: 'canvas',
    thumbnail: null,
    firstVerdictMs: null,
    width: 640,
    height: 360,
    platform: null,
    firstSeenAt: 0,
    updatedAt: 0,
  };

  it('reads verdicts, percentages, reasons and evidence from the Spanish catalogue', () => {
    setFallbackCatalogue(es);
    expect(verdictLabel('ai')).toBe('Generado con IA');
    expect(percent(0.81)).toBe('81 %');
    expect(verdictWithScore('likely-ai', 0.81)).toBe('Probablemente IA (81 % IA)');
    expect(reasonTexts(video)).toEqual([
      'El clasificador de este dispositivo le da un 81 % de probabilidad de estar generado con IA en 3 fotogramas.',
    ]);
    expect(signalLines(video)).toEqual(['Clasificador m@1: 81 % IA en 3 fotogramas.']);
  });

  it('keeps a reason the store wrote on its own, which the signals do not give', () => {
    setFallbackCatalogue(es);
    const capped = { ...video, signals: [], reasons: ['This page has more than 50 videos; this one was not judged.'] };
    expect(reasonTexts(capped)).toEqual(capped.reasons);
  });
});
