import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer check as CI runs it: the project's own ESLint configuration, given a file placed (only in name) in one
 * layer that imports from another. A planted uphill import must be reported, and a legal one must not.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer reports ESLint gives `code` as if it stood at `file` (root-relative). */
async function layerReports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/no-uphill').map((m) => m.message);
}

describe('layers/no-uphill', { timeout: 120_000 }, () => {
  it('reports core importing the background, by relative path, alias, re-export or dynamic import', async () => {
    const file = 'lib/core/planted.ts';
    expect(
      await layerReports(file, "import { ResultsStore } from '../background/results-store';\nvoid ResultsStore;\n"),
    ).toEqual([
      "'lib/core/planted.ts' may not import 'lib/background/results-store': core holds pure types and rules and imports nothing of the project.",
    ]);
    expect(await layerReports(file, "export { ResultsStore } from '@/lib/background/results-store';\n")).toHaveLength(
      1,
    );
    expect(await layerReports(file, "export * from '../settings/preferences';\n")).toHaveLength(1);
    expect(await layerReports(file, "export const later = () => import('../content/badge-layer');\n")).toHaveLength(1);
    expect(
      await layerReports(file, "export type Store = import('../background/results-store').ResultsStore;\n"),
    ).toHaveLength(1);
  });

  it('counts a type-only import as an arrow', async () => {
    const reports = await layerReports(
      'lib/settings/planted.ts',
      "import type { FrameImageStore } from '../background/frame-images';\nexport type S = FrameImageStore;\n",
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('UI and settings never reach into the background');
  });

  it.each([
    ['components/Planted.tsx', "import { BadgeLayer } from '../lib/content/badge-layer';\nvoid BadgeLayer;\n"],
    ['lib/detail/planted.ts', "import { FrameImageStore } from '../background/frame-images';\nvoid FrameImageStore;\n"],
    ['lib/provenance/planted.ts', "import { isBlankFrame } from '../analysis/frame-quality';\nvoid isBlankFrame;\n"],
    [
      'lib/analysis/classifier/config.ts',
      "import { PREFERENCE_DEFAULTS } from '../../settings/preferences';\nvoid PREFERENCE_DEFAULTS;\n",
    ],
    [
      'lib/analysis/watermark/planted.ts',
      "import { hostMessenger } from '../../messaging/protocol';\nvoid hostMessenger;\n",
    ],
    ['lib/adapters/planted.ts', "import { readPreferences } from '../settings/settings';\nvoid readPreferences;\n"],
    ['lib/platform/planted.ts', "import type { Box } from '../core/signals';\nexport type B = Box;\n"],
    ['lib/background/planted.ts', "import { scan } from '../node/scan';\nvoid scan;\n"],
    ['lib/content/planted.ts', "import '../../entrypoints/content';\n"],
  ])('reports %s importing uphill', async (file, code) => {
    expect(await layerReports(file, code)).toHaveLength(1);
  });

  it.each([
    [
      'lib/core/planted.ts',
      "import type { Signal } from './signals';\nimport { browser } from 'wxt/browser';\nexport type S = Signal;\nvoid browser;\n",
    ],
    [
      'lib/background/planted.ts',
      "import { evaluateVerdict } from '../core/verdict';\nimport { FRAME_BUDGETS } from '../settings/frame-budget';\nvoid evaluateVerdict;\nvoid FRAME_BUDGETS;\n",
    ],
    [
      'components/Planted.tsx',
      "import { VERDICT_LABELS } from '../lib/core/verdict';\nimport { CLASSIFIER_CONFIG } from '../lib/analysis/classifier/config';\nvoid VERDICT_LABELS;\nvoid CLASSIFIER_CONFIG;\n",
    ],
    [
      'lib/analysis/watermark/planted.ts',
      "import type { Box } from '../../core/signals';\nimport { WorkerRpc } from '../../platform/worker-rpc';\nimport logos from '../../../public/models/logo-templates.json';\nimport { LazySession } from '../frame-stats-model';\nexport type B = Box;\nvoid WorkerRpc;\nvoid logos;\nvoid LazySession;\n",
    ],
    ['lib/provenance/planted.ts', "import { WorkerRpc } from '../platform/worker-rpc';\nvoid WorkerRpc;\n"],
    [
      'lib/node/planted.ts',
      "import { scan } from './scan';\nimport { isBlankFrame } from '../analysis/frame-quality';\nvoid scan;\nvoid isBlankFrame;\n",
    ],
    ['scripts/planted.ts', "import { scan } from '../lib/node/scan';\nvoid scan;\n"],
  ])('lets %s import downhill', async (file, code) => {
    expect(await layerReports(file, code)).toEqual([]);
  });
});
