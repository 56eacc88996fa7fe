import * as z from 'zod/mini';
import { DEFAULT_PROVENANCE_MAX_BYTES } from '../provenance/provenance-checker';

const MB = 1024 * 1024;
/** Smallest and largest size limit the options page offers for files fetched to verify their credentials. */
export const PROVENANCE_MAX_BYTES_RANGE = { min: 1 * MB, max: 4096 * MB } as const;

/**
 * The schema of the stored size limit (bytes), as every reader takes it: anything that is not a positive finite
 * number (zero, a string, NaN) reads as the default, and nothing above {@link PROVENANCE_MAX_BYTES_RANGE}'s
 * largest size is ever fetched. A smaller limit is kept as stored: it only fetches less (tests set one below a
 * megabyte), while the options page and the version 2 migration keep what they write in whole megabytes
 * ({@link clampProvenanceMaxBytes}). Parsing never throws.
 */
export const provenanceMaxBytesSchema = z.pipe(
  z.catch(z.number().check(z.refine((n) => Number.isFinite(n) && n > 0)), DEFAULT_PROVENANCE_MAX_BYTES),
  z.transform((n) => Math.min(n, PROVENANCE_MAX_BYTES_RANGE.max)),
);

/** Largest video file fetched whole to verify its Content Credentials, in bytes. */
export type ProvenanceMaxBytes = z.output<typeof provenanceMaxBytesSchema>;

/**
 * Brings a stored size limit into the range the options page offers, in whole megabytes; anything that is
 * not a positive number becomes the default.
 */
export function clampProvenanceMaxBytes(value: unknown): ProvenanceMaxBytes {
  const { min, max } = PROVENANCE_MAX_BYTES_RANGE;
  return Math.min(max, Math.max(min, Math.round(provenanceMaxBytesSchema.parse(value) / MB) * MB));
}
