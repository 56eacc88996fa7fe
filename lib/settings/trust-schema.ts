import * as z from 'zod/mini';
import { DEFAULT_TRUST_LISTS, type TrustChoice } from '../provenance/trust';
import { ownFields } from './own-fields';

/** The current shape of the stored trust settings. */
export const TRUST_RECORD_VERSION = 1;

const trustChoiceFields = z.object({
  lists: z.pipe(
    z.transform(ownFields),
    z.object({
      official: z.catch(z.boolean(), DEFAULT_TRUST_LISTS.official),
      legacy: z.catch(z.boolean(), DEFAULT_TRUST_LISTS.legacy),
    }),
  ),
  userAnchors: z.catch(z.string(), ''),
});

/**
 * The user's trust choice as stored: each field falls back to its default on its own, unknown fields are
 * dropped, only own fields are read, and parsing never throws. Its output is the analysis host's
 * {@link TrustChoice} (checked by the compiler), which the provenance layer defines.
 */
export const trustChoiceSchema = z.pipe(z.transform(ownFields), trustChoiceFields) satisfies z.ZodMiniType<TrustChoice>;

/**
 * The stored record: the choice and the version of its shape (a whole number; anything else reads as 0, "no
 * record", which the migration chain rebuilds from).
 */
export const trustRecordSchema = z.pipe(
  z.transform(ownFields),
  z.extend(trustChoiceFields, {
    version: z.catch(z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0)), 0),
  }),
);

/** The stored record. */
export type TrustRecord = z.output<typeof trustRecordSchema>;

/** The settings before the user changes anything: every bundled list on, no anchors of their own. */
export const TRUST_DEFAULTS: TrustChoice = Object.freeze(trustChoiceSchema.parse({}));
