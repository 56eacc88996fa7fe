import type { Signal } from '../core/signals';
import type { ReportVerdict } from '../core/verdict';
import bundleSchema from './report-bundle.schema.json';

/** The JSON Schema every report bundle follows (see `report-bundle.schema.json`). */
export const REPORT_BUNDLE_SCHEMA: JsonSchema = bundleSchema as JsonSchema;
/** The schema's name, written into every bundle. */
export const BUNDLE_SCHEMA_NAME = 'provenance-lens/report-bundle';
/** The version of the bundle format; a change that breaks readers bumps it. */
export const BUNDLE_VERSION = 1;

/** What the user says is wrong with the video. */
export type ReportReason = 'impersonation' | 'scam' | 'misleading-news' | 'sexual-content' | 'other';

/** The reasons in the order the form lists them (their words are in the message catalogue). */
export const REPORT_REASONS: readonly ReportReason[] = [
  'impersonation',
  'scam',
  'misleading-news',
  'sexual-content',
  'other',
];

/** One frame of a bundle: its JPEG is `data` (base64) when sent, or the file at `file` in a zip. */
export interface BundleFrame {
  file: string;
  mediaTime: number;
  sha256: string;
  bytes: number;
  data?: string;
}

/** An evidence bundle, version 1: the manifest of a report. */
export interface ReportBundle {
  schema: typeof BUNDLE_SCHEMA_NAME;
  version: typeof BUNDLE_VERSION;
  id: string;
  createdAt: string;
  reason: ReportReason;
  notes: string;
  page: { url: string; title: string };
  video: {
    src: string | null;
    frameUrl: string;
    width: number;
    height: number;
    platform: { adapter: string; platform: string; reportUrl: string | null } | null;
  };
  mediaTimes: number[];
  verdict: { level: ReportVerdict; score: number | null; reasons: string[] };
  signals: Signal[];
  frames: BundleFrame[];
  software: { extension: string; version: string; models: Array<{ name: string; version: string }> };
}

/** The subset of JSON Schema (2020-12) the bundle schema uses. */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  items?: JsonSchema;
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  [keyword: string]: unknown;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeOf(value) === type;
}

/**
 * Checks a value against a JSON Schema of the subset above and returns every
 * problem as "path: what is wrong"; an empty list means valid. The extension
 * checks its own bundles with it before sending, and the reference receiver
 * checks what it receives, so both read the one schema file.
 */
export function validateAgainst(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t))) {
      return [`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
    }
  }
  if ('const' in schema && value !== schema.const) errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push(`${path}: longer than ${schema.maxLength} characters`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push(`${path}: does not match ${schema.pattern}`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push(`${path}: more than ${schema.maxItems} items`);
    }
    if (schema.items) value.forEach((item, i) => errors.push(...validateAgainst(schema.items!, item, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${path}: missing "${key}"`);
    for (const [key, child] of Object.entries(record)) {
      const sub = schema.properties?.[key];
      if (sub) errors.push(...validateAgainst(sub, child, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected "${key}"`);
    }
  }
  return errors;
}

/** Problems of a value read as a report bundle, version 1; empty when it is one. */
export function validateBundle(value: unknown): string[] {
  return validateAgainst(REPORT_BUNDLE_SCHEMA, value);
}
