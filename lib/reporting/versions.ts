import { CLASSIFIER_CONFIG } from '../analysis/classifier/config';
import type { ReportBundle } from './schema';
import c2paWasm from '@contentauth/c2pa-wasm/package.json';

/** The models whose readings a bundle may carry, with the versions shipped in this build. */
export const SHIPPED_MODELS: ReportBundle['software']['models'] = [
  { name: CLASSIFIER_CONFIG.name, version: CLASSIFIER_CONFIG.version },
  { name: 'provenance-lens-frame-stats', version: '1' },
  { name: 'PP-OCRv4 (det, rec)', version: '4' },
  { name: '@contentauth/c2pa-wasm', version: c2paWasm.version },
];

/** The extension's name and version as the manifest states them, with the shipped models. */
export function softwareVersions(manifest: { name: string; version: string }): ReportBundle['software'] {
  return { extension: manifest.name, version: manifest.version, models: SHIPPED_MODELS };
}
