import { preferencesSchema, type Preferences } from '../preferences';
import { ownFields } from '../own-fields';

/**
 * Preferences, version 1 → 2: version 2 adds `rememberVerdicts`, on for everyone who had version 1 (the cache only
 * speeds up what they already had judged). Every other choice is kept, repaired as any read repairs it. A value
 * stored before the item had a version at all (no metadata) is read as version 1 and comes through here too.
 */
export function preferencesV1ToV2(old: unknown): Preferences {
  return preferencesSchema.parse({ ...ownFields(old), rememberVerdicts: true });
}
