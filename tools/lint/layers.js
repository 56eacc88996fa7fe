/**
 * An ESLint rule that keeps the project's layers: each zone names files (by path prefix from the repository root)
 * and the project paths they may not import. Unlike core's `no-restricted-imports`, it resolves every relative or
 * aliased specifier to the file it names first, so one zone covers a directory at any depth. Type-only imports count:
 * a type that points uphill ties the layers together as surely as a value does. See ARCHITECTURE.md.
 */
import path from 'node:path';

/**
 * @typedef {object} Zone
 * @property {string[]} files path prefixes from the root (a folder ends in `/`, a file names itself) the zone applies to
 * @property {string[]} [filesExcept] prefixes of files the zone leaves out
 * @property {string[]} from prefixes those files may not import; `''` is every file of the project
 * @property {string[]} [fromExcept] prefixes they may import even so
 * @property {string} why the rule in a sentence, shown with each report
 */

/** WXT's aliases: `@` and `~` name the source folder, `@@` and `~~` the root; here both are the repository root. */
const ALIASES = ['@@/', '~~/', '@/', '~/'];
const EXTENSION = /\.(?:ts|tsx|mts|js|mjs|jsx)$/;

/** Whether a root-relative path lies under a prefix: a folder (`lib/core/`), a file (`a/b.ts`, with or without extension) or `''`. */
function under(file, prefix) {
  if (prefix === '') return true;
  if (prefix.endsWith('/')) return `${file}/`.startsWith(prefix);
  return file.replace(EXTENSION, '') === prefix.replace(EXTENSION, '');
}

const anyUnder = (file, prefixes = []) => prefixes.some((p) => under(file, p));

/** The root-relative path a specifier names, or null for a package or a path outside the project. */
function resolveSpecifier(root, importer, specifier) {
  const bare = specifier.split('?')[0];
  let absolute;
  if (bare.startsWith('./') || bare.startsWith('../')) absolute = path.resolve(path.dirname(importer), bare);
  else {
    const alias = ALIASES.find((a) => bare.startsWith(a));
    if (!alias) return null;
    absolute = path.resolve(root, bare.slice(alias.length));
  }
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  if (relative.startsWith('../') || relative === '..' || relative.startsWith('node_modules/')) return null;
  return relative;
}

/** @type {import('eslint').Rule.RuleModule} */
const noUphill = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports that run against the layers (ARCHITECTURE.md).' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          zones: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                files: { type: 'array', items: { type: 'string' } },
                filesExcept: { type: 'array', items: { type: 'string' } },
                from: { type: 'array', items: { type: 'string' } },
                fromExcept: { type: 'array', items: { type: 'string' } },
                why: { type: 'string' },
              },
              required: ['files', 'from', 'why'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'zones'],
        additionalProperties: false,
      },
    ],
    messages: { uphill: "'{{file}}' may not import '{{target}}': {{why}}" },
  },
  create(context) {
    const { root, zones } = context.options[0];
    const importer = context.filename;
    const file = path.relative(root, importer).split(path.sep).join('/');
    /** @type {Zone[]} */
    const active = zones.filter((z) => anyUnder(file, z.files) && !anyUnder(file, z.filesExcept));
    if (active.length === 0) return {};

    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const target = resolveSpecifier(root, importer, node.value);
      if (target === null) return;
      // The first zone that forbids the import speaks: the most specific zones come first in the configuration.
      const zone = active.find((z) => anyUnder(target, z.from) && !anyUnder(target, z.fromExcept));
      if (zone) context.report({ node, messageId: 'uphill', data: { file, target, why: zone.why } });
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      // `import('…').Type` in a type position.
      TSImportType: (node) => {
        // Newer typescript-eslint names the specifier `source`; older ones wrap it in `argument` (deprecated there).
        const specifier = node.source ?? node.argument;
        check(specifier?.type === 'TSLiteralType' ? specifier.literal : specifier);
      },
      // Workers and assets: `new URL('./worker.ts', import.meta.url)`.
      NewExpression: (node) => {
        const [first, second] = node.arguments;
        const metaUrl =
          second?.type === 'MemberExpression' &&
          second.object.type === 'MetaProperty' &&
          second.property.type === 'Identifier' &&
          second.property.name === 'url';
        if (node.callee.type === 'Identifier' && node.callee.name === 'URL' && metaUrl) check(first);
      },
    };
  },
};

/** The plugin: `layers/no-uphill`. */
export default { meta: { name: 'layers' }, rules: { 'no-uphill': noUphill } };
