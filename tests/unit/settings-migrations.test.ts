import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  PREFERENCES_MIGRATIONS,
  PREFERENCES_VERSION,
  PROVENANCE_MAX_BYTES_MIGRATIONS,
  PROVENANCE_MAX_BYTES_VERSION,
  TRUST_MIGRATIONS,
} from '../../lib/settings/migrations';
import { PREFERENCE_DEFAULTS, preferencesSchema, type Preferences } from '../../lib/settings/preferences';
import { provenanceMaxBytesSchema } from '../../lib/settings/provenance-limit';
import {
  preferencesSetting,
  provenanceMaxBytesSetting,
  readPreferences,
  readProvenanceMaxBytes,
} from '../../lib/settings/settings';
import {
  TRUST_DATABASE,
  TRUST_RECORD_VERSION,
  trustChoiceSchema,
  trustRecordSchema,
  TrustSettingsStore,
} from '../../lib/settings/trust-settings';
import type { TrustChoice } from '../../lib/provenance/trust';

/** One stored example: storage.local as a version left it, the trust record in IndexedDB, and what it must read as. */
interface Example {
  name: string;
  local: Record<string, unknown>;
  trustRecord: unknown;
  expected: { preferences: Preferences; provenanceMaxBytes: number; trust: TrustChoice };
}

/** A fixture file: the examples of one version (`versions` says each object's version), or of hostile storage. */
interface Fixture {
  about: string;
  versions?: { preferences: number; provenanceMaxBytes: number; trust: number };
  examples: Example[];
}

const DIR = join(__dirname, 'fixtures/settings');
// Read with JSON.parse, as storage hands values back: a "__proto__" key is an own field, never a prototype (an
// import of the JSON would go through a module whose object literals would set prototypes instead).
const FIXTURES: Array<[string, Fixture]> = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture]);
const EXAMPLES = FIXTURES.flatMap(([file, fixture]) =>
  fixture.examples.map((example) => [`${file}: ${example.name}`, example] as const),
);

/** Writes the trust record where the trust store keeps it: the extension origin's IndexedDB. */
async function storeTrustRecord(idb: IDBFactory, record: unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = idb.open(TRUST_DATABASE, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('settings');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('settings', 'readwrite');
    tx.objectStore('settings').put(record, 'trust');
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function readTrustRecord(idb: IDBFactory): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = idb.open(TRUST_DATABASE, 1);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const record = await new Promise<unknown>((resolve, reject) => {
    const get = db.transaction('settings').objectStore('settings').get('trust');
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  });
  db.close();
  return record;
}

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const PROTOTYPE_KEYS = prototypeKeys();

/** A parsed value is plain data: an ordinary prototype and no own `__proto__`/`constructor` field, at any depth. */
function expectPlainData(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) return value.forEach(expectPlainData);
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect(Object.hasOwn(value, '__proto__')).toBe(false);
  expect(Object.hasOwn(value, 'constructor')).toBe(false);
  Object.values(value).forEach(expectPlainData);
}

beforeEach(() => {
  fakeBrowser.reset();
});

afterEach(() => {
  // Nothing any example holds may reach Object.prototype.
  expect(prototypeKeys()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('the migration chains', () => {
  it('have one step per version, each in its own file, up to the current version', () => {
    const steps = (table: Record<number, unknown>) => Object.keys(table).map(Number);
    expect(steps(PREFERENCES_MIGRATIONS)).toEqual([2]);
    expect(steps(PROVENANCE_MAX_BYTES_MIGRATIONS)).toEqual([2]);
    expect(steps(TRUST_MIGRATIONS)).toEqual([1]);
    expect(Math.max(...steps(PREFERENCES_MIGRATIONS))).toBe(PREFERENCES_VERSION);
    expect(Math.max(...steps(PROVENANCE_MAX_BYTES_MIGRATIONS))).toBe(PROVENANCE_MAX_BYTES_VERSION);
    expect(Math.max(...steps(TRUST_MIGRATIONS))).toBe(TRUST_RECORD_VERSION);
    const files = readdirSync(join(__dirname, '../../lib/settings/migrations')).sort();
    expect(files).toEqual(['index.ts', 'preferences-v2.ts', 'provenance-max-bytes-v2.ts', 'trust-v1.ts']);
  });

  it('have stored examples of every version of every object, the version the metadata says', () => {
    const covered = { preferences: new Set<number>(), provenanceMaxBytes: new Set<number>(), trust: new Set<number>() };
    for (const [file, fixture] of FIXTURES) {
      if (!fixture.versions) continue;
      const { preferences, provenanceMaxBytes, trust } = fixture.versions;
      expect(file).toBe(`v${preferences}.json`);
      covered.preferences.add(preferences);
      covered.provenanceMaxBytes.add(provenanceMaxBytes);
      covered.trust.add(trust);
      for (const example of fixture.examples) {
        // A value without metadata is version 1 to @wxt-dev/storage.
        const meta = (key: string) => (example.local[`${key}$`] as { v?: number } | undefined)?.v ?? 1;
        if ('preferences' in example.local) expect(meta('preferences'), example.name).toBe(preferences);
        if ('provenanceMaxBytes' in example.local) {
          expect(meta('provenanceMaxBytes'), example.name).toBe(provenanceMaxBytes);
        }
        const record = example.trustRecord as { version?: number } | null;
        expect(record?.version ?? 0, example.name).toBe(trust);
      }
    }
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect([...covered.preferences].sort()).toEqual(range(1, PREFERENCES_VERSION));
    expect([...covered.provenanceMaxBytes].sort()).toEqual(range(1, PROVENANCE_MAX_BYTES_VERSION));
    expect([...covered.trust].sort()).toEqual(range(0, TRUST_RECORD_VERSION));
    expect(FIXTURES.map(([file]) => file)).toContain('hostile.json');
  });

  it.each(EXAMPLES)('runs %s through every step to the current version', async (_name, example) => {
    await fakeBrowser.storage.local.set(example.local);
    const idb = new IDBFactory();
    if (example.trustRecord !== null) await storeTrustRecord(idb, example.trustRecord);

    // The real wiring: the storage items' migrations, then the reads every context does.
    await preferencesSetting.migrate();
    await provenanceMaxBytesSetting.migrate();
    const preferences = await readPreferences();
    const provenanceMaxBytes = await readProvenanceMaxBytes();
    const trust = await new TrustSettingsStore(idb).read();

    expect(preferences).toEqual(example.expected.preferences);
    expect(provenanceMaxBytes).toBe(example.expected.provenanceMaxBytes);
    expect(trust).toEqual(example.expected.trust);

    // Each result is valid under its schema as it stands: parsing it again repairs nothing.
    expect(preferencesSchema.parse(preferences)).toEqual(preferences);
    expect(provenanceMaxBytesSchema.parse(provenanceMaxBytes)).toBe(provenanceMaxBytes);
    expect(trustChoiceSchema.parse(trust)).toEqual(trust);
    expectPlainData(preferences);
    expectPlainData(trust);

    // What a migration wrote back is the current version, in the current shape.
    const local = await fakeBrowser.storage.local.get(null);
    const stepped = (key: string) => key in example.local && (example.local[`${key}$`] as { v?: number })?.v !== 2;
    if (stepped('preferences')) {
      expect(local['preferences$']).toMatchObject({ v: PREFERENCES_VERSION });
      expect(local.preferences).toEqual(example.expected.preferences);
    }
    if (stepped('provenanceMaxBytes')) {
      expect(local['provenanceMaxBytes$']).toMatchObject({ v: PROVENANCE_MAX_BYTES_VERSION });
      expect(local.provenanceMaxBytes).toBe(example.expected.provenanceMaxBytes);
    }
    // The trust record reads (through its schema) as the expected choice at the current version; when the chain
    // ran, that is exactly what was written, and the anchors storage.local held are gone (content scripts can
    // write there). A current record is repaired on each read instead, and storage.local is not read at all.
    const record = await readTrustRecord(idb);
    expect(trustRecordSchema.parse(record)).toEqual({ ...example.expected.trust, version: TRUST_RECORD_VERSION });
    if ((example.trustRecord as { version?: unknown } | null)?.version !== TRUST_RECORD_VERSION) {
      expect(record).toEqual({ ...example.expected.trust, version: TRUST_RECORD_VERSION });
      expect(Object.keys(local).filter((key) => key.startsWith('trustAnchors'))).toEqual([]);
    }
  });
});

describe('the schemas', () => {
  it('are the defaults when nothing is stored, and never throw on anything', () => {
    expect(preferencesSchema.parse(undefined)).toEqual(PREFERENCE_DEFAULTS);
    for (const value of [null, 0, 'x', [], [1], () => 1, Symbol('s'), 10n, new Date(0), Object.create(null)]) {
      expect(preferencesSchema.parse(value)).toEqual(PREFERENCE_DEFAULTS);
      expect(trustChoiceSchema.parse(value)).toEqual({ lists: { official: true, legacy: true }, userAnchors: '' });
      expect(typeof provenanceMaxBytesSchema.parse(value)).toBe('number');
    }
  });

  it('never take a value from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.scanMode = 'on-request';
      proto.rememberVerdicts = false;
      proto.userAnchors = 'planted';
      expect(preferencesSchema.parse({})).toEqual({ ...PREFERENCE_DEFAULTS });
      expect(PREFERENCES_MIGRATIONS[2]!({})).toEqual({ ...PREFERENCE_DEFAULTS });
      expect(trustChoiceSchema.parse({}).userAnchors).toBe('');
    } finally {
      delete proto.scanMode;
      delete proto.rememberVerdicts;
      delete proto.userAnchors;
    }
  });
});
