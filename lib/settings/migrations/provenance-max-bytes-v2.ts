import { clampProvenanceMaxBytes, type ProvenanceMaxBytes } from '../provenance-limit';

/**
 * Size limit for credential checks, version 1 → 2: version 1 stored whatever the field held (fractions of a
 * megabyte, zero, sizes no browser can hold in memory); version 2 keeps it within the range the options page
 * offers, in whole megabytes.
 */
export function provenanceMaxBytesV1ToV2(old: unknown): ProvenanceMaxBytes {
  return clampProvenanceMaxBytes(old);
}
