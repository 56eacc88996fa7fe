/**
 * The C2PA asset rubric's local signals: what one manifest, on its own, says about how its content came to be.
 *
 * The rubric ("C2PA Asset Rubrics" v1.0 of 2026-08-06, C2PA Conformance Task Force; its local signals rubric,
 * `asset-rubric-signals-local.yml`) evaluates each manifest of a store apart from the others. Its criteria, as
 * mirrored here:
 *
 * - inception signals: an inception action (`c2pa.created`, or `c2pa.opened`, as the rubric's own
 *   `_manifest_createdWithDst` counts both) whose digital source type is `trainedAlgorithmicMedia`
 *   (`fullyGenAIMedia`), `compositeWithTrainedAlgorithmicMedia` (`partlyGenAICreation`), `composite`
 *   (`compositionMayContainGenAI`), `digitalCapture` or `computationalCapture` (`capturedMedia`),
 *   `compositeCapture` (`capturedMediaStitched`), `screenCapture` (`screenCaptureMayContainGenAI`);
 * - `mediaUnknownProvenance`: an ingredient that carries no manifest of its own;
 * - `perceptibleGenAI`: any other action, not on the rubric's non-editorial list, whose digital source type is a
 *   generative one (`trainedAlgorithmicMedia`, `compositeWithTrainedAlgorithmicMedia`, `compositeSynthetic`,
 *   `trainedAlgorithmicData`).
 *
 * The rubric compares whole source-type URIs; the reader here gets each type's term (the URI's last segment, as
 * `interpret.ts` keeps it), which is compared. This module is pure: it knows nothing of how a manifest is read.
 */

/** The rubric these signals follow, named wherever they are shown. */
export const ASSET_RUBRIC = {
  name: 'C2PA asset rubric, local signals',
  version: '1.0',
  date: '2026-08-06',
} as const;

/** The rubric's name and version in one line: "C2PA asset rubric, local signals 1.0 (2026-08-06)". */
export const ASSET_RUBRIC_LABEL = `${ASSET_RUBRIC.name} ${ASSET_RUBRIC.version} (${ASSET_RUBRIC.date})`;

/** The rubric's standard local signals this extension computes, in the rubric's own names. */
export const RUBRIC_SIGNALS = [
  'fullyGenAIMedia',
  'partlyGenAICreation',
  'compositionMayContainGenAI',
  'capturedMedia',
  'capturedMediaStitched',
  'screenCaptureMayContainGenAI',
  'mediaUnknownProvenance',
  'perceptibleGenAI',
] as const;

/** One of {@link RUBRIC_SIGNALS}. */
export type RubricSignal = (typeof RUBRIC_SIGNALS)[number];

/** What the rubric reads of one manifest: its actions (with their source-type terms) and its ingredients. */
export interface RubricManifest {
  actions: ReadonlyArray<{ action: string; digitalSourceType?: string }>;
  /** Each ingredient the manifest names; `hasManifest` is false for one that carries no credentials of its own. */
  ingredients: ReadonlyArray<{ hasManifest: boolean }>;
}

/** Actions that start an asset's history (the rubric's `$inception_actions`). */
const INCEPTION_ACTIONS = new Set(['c2pa.created', 'c2pa.opened']);

/** Mechanical operations that change nothing one can see or hear (the rubric's `$non_editorial_actions`). */
const NON_EDITORIAL_ACTIONS = new Set([
  'c2pa.converted',
  'c2pa.published',
  'c2pa.repackaged',
  'c2pa.transcoded',
  'c2pa.resized.proportional',
  'c2pa.enhanced',
  'c2pa.edited.metadata',
  'c2pa.watermarked',
  'c2pa.watermarked.bound',
  'c2pa.watermarked.unbound',
  'c2pa.redacted',
]);

/** Generative source types (the rubric's `$genai_dst_types`, by term). */
const GENAI_SOURCE_TYPES = new Set([
  'trainedAlgorithmicMedia',
  'compositeWithTrainedAlgorithmicMedia',
  'compositeSynthetic',
  'trainedAlgorithmicData',
]);

/** Inception signals, by the source type of the inception action. */
const INCEPTION_SIGNALS = new Map<string, RubricSignal>([
  ['trainedAlgorithmicMedia', 'fullyGenAIMedia'],
  ['compositeWithTrainedAlgorithmicMedia', 'partlyGenAICreation'],
  ['composite', 'compositionMayContainGenAI'],
  ['digitalCapture', 'capturedMedia'],
  ['computationalCapture', 'capturedMedia'],
  ['compositeCapture', 'capturedMediaStitched'],
  ['screenCapture', 'screenCaptureMayContainGenAI'],
]);

/** The rubric's local signals of one manifest, in the order of {@link RUBRIC_SIGNALS}. */
export function rubricSignals(manifest: RubricManifest): RubricSignal[] {
  const found = new Set<RubricSignal>();
  for (const { action, digitalSourceType: type } of manifest.actions) {
    if (!type) continue;
    if (INCEPTION_ACTIONS.has(action)) {
      const signal = INCEPTION_SIGNALS.get(type);
      if (signal) found.add(signal);
    } else if (!NON_EDITORIAL_ACTIONS.has(action) && GENAI_SOURCE_TYPES.has(type)) {
      found.add('perceptibleGenAI');
    }
  }
  if (manifest.ingredients.some((i) => !i.hasManifest)) found.add('mediaUnknownProvenance');
  return RUBRIC_SIGNALS.filter((s) => found.has(s));
}

/** How the rubric's signals, over a manifest and the ingredients it is made of, read as a whole. */
export interface RubricReading {
  /** Generated whole: `fullyGenAIMedia` of the manifest, or of the manifest it was opened from. */
  fullyAi: boolean;
  /**
   * Contains generated parts: `partlyGenAICreation` or `perceptibleGenAI` anywhere, or a generated ingredient
   * placed into it (rather than opened).
   */
  partlyAi: boolean;
  /** May contain generated parts, says the rubric: `compositionMayContainGenAI` or `screenCaptureMayContainGenAI`. */
  mayContainAi: boolean;
  /** A capture from a device: `capturedMedia` or `capturedMediaStitched` of the manifest itself, and no AI. */
  captured: boolean;
}

/**
 * Reads the signals of the active manifest (`own`), of the manifests it was opened from (`parents`: ingredients
 * with the `parentOf` relationship, and theirs in turn) and of every other ingredient (`parts`) as one answer.
 * The rubric leaves this to the validator: its signals are local, and a validator follows the graph.
 */
export function readRubric(
  own: readonly RubricSignal[],
  parents: ReadonlyArray<readonly RubricSignal[]>,
  parts: ReadonlyArray<readonly RubricSignal[]>,
): RubricReading {
  const lineage = [own, ...parents];
  const anyIn = (lists: ReadonlyArray<readonly RubricSignal[]>, ...signals: RubricSignal[]) =>
    lists.some((list) => signals.some((s) => list.includes(s)));
  const fullyAi = anyIn(lineage, 'fullyGenAIMedia');
  const partlyAi =
    !fullyAi &&
    (anyIn(lineage, 'partlyGenAICreation', 'perceptibleGenAI') ||
      anyIn(parts, 'fullyGenAIMedia', 'partlyGenAICreation', 'perceptibleGenAI'));
  const mayContainAi = anyIn([own], 'compositionMayContainGenAI', 'screenCaptureMayContainGenAI');
  const captured = !fullyAi && !partlyAi && anyIn([own], 'capturedMedia', 'capturedMediaStitched');
  return { fullyAi, partlyAi, mayContainAi, captured };
}
