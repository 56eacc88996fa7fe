/**
 * `npm run build:logos`: builds the logo templates of the watermark reader from the shared research clips that
 * carry the marks (see lib/node/logo-templates.ts) and writes public/models/logo-templates.json, which the
 * extension bundles. The file holds averaged, downsized crops of the marks only, not frames of the clips.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLogoTemplates, LOGO_SPECS, logoTrainingClips } from '../lib/node/logo-templates';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '../shared/data');
if (!existsSync(join(shared, 'ai-video', 'MANIFEST.tsv'))) {
  console.error('../shared/data/ai-video is absent: cannot build the logo templates');
  process.exit(1);
}
const clips = logoTrainingClips(shared);
const templates = buildLogoTemplates(shared);
const out = {
  note: 'Built by `npm run build:logos` (scripts/build-logo-templates.ts) from the clips listed; see models/watermark/MODEL_CARD.md.',
  sources: Object.fromEntries(
    LOGO_SPECS.map((s) => [s.name, (clips.get(s.name) ?? []).map((f) => f.slice(shared.length + 1))]),
  ),
  templates,
};
writeFileSync(join(root, 'public/models/logo-templates.json'), `${JSON.stringify(out)}\n`);
console.log(`wrote ${templates.length} templates: ${templates.map((t) => t.id).join(', ')}`);
