import { createHash } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../lib/reporting/bundle';
import { REPORTS_DB, ReportHistory } from '../../../lib/reporting/history';
import { originPattern, parseEndpoint, sendBundle } from '../../../lib/reporting/sender';
import { reportSummary } from '../../../lib/present/report-words';
import { validateBundle } from '../../../lib/reporting/schema';
import { unzip, zipReport, zipReports } from '../../../lib/reporting/zip';
import { PREFERENCE_DEFAULTS, reportExpired } from '../../../lib/settings/preferences';
import { makeJpegs, sampleVideo, SOFTWARE } from './fixtures';

const jpegs = makeJpegs(['red', 'white']);

async function report(notes = 'n', id?: string) {
  return buildBundle({
    video: sampleVideo(),
    page: { url: 'https://www.example.org/watch', title: 'Title' },
    form: { reason: 'scam', notes, includeFrames: true },
    frames: jpegs.map((jpeg, i) => ({ mediaTime: i, jpeg })),
    software: SOFTWARE,
    newId: id ? () => id : undefined,
  });
}

describe('zip export', () => {
  it('holds the manifest and the frames whose hashes it lists', async () => {
    const r = await report();
    const files = unzip(zipReport(r));
    expect(Object.keys(files).sort()).toEqual(['frames/01.jpg', 'frames/02.jpg', 'manifest.json']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    expect(validateBundle(manifest)).toEqual([]);
    for (const f of manifest.frames) {
      expect(createHash('sha256').update(files[f.file]!).digest('hex')).toBe(f.sha256);
    }
  });

  it('exports several reports with an index', async () => {
    const [a, b] = [await report('a'), await report('b')];
    const files = unzip(zipReports([a, b], () => new Date('2026-01-01T00:00:00Z')));
    const index = JSON.parse(strFromU8(files['manifest.json']!));
    expect(index.reports.map((r: { id: string }) => r.id)).toEqual([a.bundle.id, b.bundle.id]);
    expect(files[`${b.bundle.id}/frames/02.jpg`]).toEqual(jpegs[1]);
    expect(JSON.parse(strFromU8(files[`${a.bundle.id}/manifest.json`]!)).notes).toBe('a');
  });
});

describe('history (IndexedDB)', () => {
  it('keeps, lists newest first, records destinations and deletes', async () => {
    const idb = new IDBFactory();
    const history = new ReportHistory(idb);
    // Reading an empty history creates nothing.
    expect(await history.list()).toEqual([]);
    expect(await history.get('x')).toBeNull();
    expect(await idb.databases()).toEqual([]);
    const first = await report('first');
    const second = { ...(await report('second')) };
    second.bundle = { ...second.bundle, createdAt: '2999-01-01T00:00:00.000Z' };
    await history.add(first, { kind: 'kept', at: 'now' });
    await history.add(second, { kind: 'kept', at: 'now' });
    expect((await history.list()).map((r) => r.bundle.notes)).toEqual(['second', 'first']);
    await history.record(first.bundle.id, { kind: 'platform', at: 'later', url: 'https://www.youtube.com/watch?v=x' });
    const stored = await history.get(first.bundle.id);
    expect(stored?.destinations.map((d) => d.kind)).toEqual(['kept', 'platform']);
    expect(stored?.frames[0]).toEqual(jpegs[0]);
    await history.delete(first.bundle.id);
    expect((await history.list()).map((r) => r.bundle.notes)).toEqual(['second']);
    await expect(history.record('nope', { kind: 'exported', at: 'x' })).rejects.toThrow(/no report nope/);
    // "Clear all data" deletes the database by name.
    expect((await idb.databases()).map((d) => d.name)).toContain(REPORTS_DB);
  });

  it('drops reports past the retention period and keeps newer ones', async () => {
    const idb = new IDBFactory();
    const history = new ReportHistory(idb);
    const DAY = 24 * 60 * 60 * 1000;
    const now = Date.parse('2026-06-30T00:00:00.000Z');
    const old = await report('old');
    old.bundle = { ...old.bundle, createdAt: new Date(now - 40 * DAY).toISOString() };
    const recent = await report('recent');
    recent.bundle = { ...recent.bundle, createdAt: new Date(now - 2 * DAY).toISOString() };
    await history.add(old, { kind: 'kept', at: 'then' });
    await history.add(recent, { kind: 'kept', at: 'now' });
    const preferences = { ...PREFERENCE_DEFAULTS, reportRetentionDays: 30 as const };
    expect(await history.prune((createdAt) => reportExpired(preferences, createdAt, now))).toBe(1);
    expect((await history.list()).map((r) => r.bundle.notes)).toEqual(['recent']);
    // Keeping reports until deleted (no period) drops nothing.
    const forever = { ...PREFERENCE_DEFAULTS, reportRetentionDays: null };
    expect(await history.prune((createdAt) => reportExpired(forever, createdAt, now + 1000 * DAY))).toBe(0);
    // An absent history is not created by pruning it.
    const empty = new IDBFactory();
    expect(await new ReportHistory(empty).prune(() => true)).toBe(0);
    expect(await empty.databases()).toEqual([]);
  });
});

describe('sending', () => {
  it('accepts only https endpoints without credentials', () => {
    expect(parseEndpoint(' https://reports.example.org/v1 ').href).toBe('https://reports.example.org/v1');
    expect(() => parseEndpoint('http://reports.example.org/')).toThrow(/https/);
    expect(() => parseEndpoint('https://u:p@reports.example.org/')).toThrow(/user name/);
    expect(() => parseEndpoint('reports')).toThrow(/valid address/);
    expect(originPattern(new URL('https://reports.example.org:8443/x'))).toBe('https://reports.example.org/*');
  });

  it('retries network errors and 5xx with doubling pauses, then stops at success', async () => {
    const r = await report();
    const pauses: number[] = [];
    const bodies: string[] = [];
    let calls = 0;
    const outcome = await sendBundle(new URL('https://r.example/'), r, {
      sleep: async (ms) => void pauses.push(ms),
      fetch: async (_url, init) => {
        calls++;
        bodies.push(String(init?.body));
        if (calls === 1) throw new TypeError('Failed to fetch');
        if (calls === 2) return new Response('busy', { status: 503 });
        return new Response('stored abc', { status: 201 });
      },
    });
    expect(outcome).toEqual({ ok: true, status: 201, attempts: 3, receipt: 'stored abc' });
    expect(pauses).toEqual([1000, 2000]);
    const sent = JSON.parse(bodies[2]!);
    expect(validateBundle(sent)).toEqual([]);
    expect(Buffer.from(sent.frames[0].data, 'base64')).toEqual(Buffer.from(jpegs[0]!));
  });

  it('does not retry a 4xx answer and reports it', async () => {
    let calls = 0;
    const outcome = await sendBundle(new URL('https://r.example/'), await report(), {
      sleep: async () => undefined,
      fetch: async () => {
        calls++;
        return new Response('schema mismatch', { status: 422 });
      },
    });
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, status: 422, attempts: 1 });
    expect(!outcome.ok && outcome.error).toMatch(/422: schema mismatch/);
  });

  it('gives up after the last try', async () => {
    const outcome = await sendBundle(new URL('https://r.example/'), await report(), {
      attempts: 3,
      sleep: async () => undefined,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(outcome).toMatchObject({ ok: false, status: null, attempts: 3 });
  });
});

describe('platform summary', () => {
  it('says what was reported and why, in a few lines', async () => {
    const { bundle } = await report('It asks for money.');
    const text = reportSummary(bundle);
    expect(text).toContain('Reported as: Scam or fraud.');
    expect(text).toContain('Provenance Lens verdict: Likely AI (91% AI).');
    expect(text).toContain('Notes: It asks for money.');
    expect(text).toContain('Video: https://media.example.org/clip.mp4');
  });
});
