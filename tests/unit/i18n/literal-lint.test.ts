import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** The lines the project's ESLint config flags as user-visible words outside the catalogue. */
async function flagged(code: string, filePath = 'components/Planted.tsx'): Promise<number[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
}

describe('lint for words outside the catalogue', () => {
  it('flags words in JSX text, in children expressions and in the props a user reads or hears', async () => {
    const code = [
      "import { t } from '../lib/present/i18n';",
      'export function Planted({ open, n }: { open: boolean; n: number }) {',
      '  return (',
      '    <div className="panel" role="region" aria-label={t(\'badgeWhyRegion\')}>',
      '      <p>Nothing left your device.</p>',
      "      <button type=\"button\">{open ? 'Close' : t('open')}</button>",
      '      <span>{`${n} frames`}</span>',
      '      <img src="x.png" alt="The video" />',
      '      <input placeholder={`Search ${n}`} />',
      "      <p title={open ? 'Shown' : ''}>{t('loading')}</p>",
      '    </div>',
      '  );',
      '}',
    ].join('\n');
    expect(await flagged(code)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('leaves keys, codes, class names and punctuation alone, and files outside the UI', async () => {
    const code = [
      "import { t } from '../lib/present/i18n';",
      'export function Clean({ kind, why }: { kind: string; why: string }) {',
      '  return (',
      "    <p className={kind === 'platform' ? 'label' : 'post'} data-kind={kind}>",
      "      {t(kind === 'platform' ? 'cardPlatformLabel' : 'cardPostWords', ['X'])}: {why}. {' '}",
      '    </p>',
      '  );',
      '}',
    ].join('\n');
    expect(await flagged(code)).toEqual([]);
    expect(await flagged('export const A = () => <p>Words</p>;', 'tests/unit/Planted.tsx')).toEqual([]);
  });
});
