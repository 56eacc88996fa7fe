import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildBundle, reportableSrc } from '../../../lib/reporting/bundle';
import { dataUrlBytes, sha256Hex } from '../../../lib/reporting/hash';
import { validateBundle } from '../../../lib/reporting/schema';
import { makeJpegs, sampleVideo, SOFTWARE } from './fixtures';

const [red, green, blue] = makeJpegs(['red', 'green', 'blue']) as [Uint8Array, Uint8Array, Uint8Array];
const form = { reason: 'impersonation' as const, notes: '  Looks like a cloned voice.  ', includeFrames: true };

describe('evidence bundle', () => {
  it('carries page, video, media times, verdict, signals, versions and each frame with its SHA-256', async () => {
    const video = sampleVideo();
    const { bundle, frames } = await buildBundle({
      video,
      page: { url: 'https://www.example.org/watch?v=1', title: 'A video' },
      form,
      frames: [
        { mediaTime: 2.5, jpeg: blue },
        { mediaTime: 0.5, jpeg: red },
        { mediaTime: 1.5, jpeg: green },
      ],
      software: SOFTWARE,
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(validateBundle(bundle)).toEqual([]);
    expect(bundle).toMatchObject({
      schema: 'provenance-lens/report-bundle',
      version: 1,
      createdAt: '2026-01-02T03:04:05.000Z',
      reason: 'impersonation',
      notes: 'Looks like a cloned voice.',
      page: { url: 'https://www.example.org/watch?v=1', title: 'A video' },
      video: { src: 'https://media.example.org/clip.mp4', frameUrl: video.pageUrl, platform: video.platform },
      mediaTimes: [0.5, 1.5, 2.5],
      verdict: { level: 'likely-ai', score: 0.91, reasons: video.reasons },
      signals: video.signals,
      software: SOFTWARE,
    });
    expect(bundle.id).toMatch(/^[0-9a-f-]{36}$/);
    // Frames in media-time order, each hashed over its exact bytes.
    expect(frames).toEqual([red, green, blue]);
    expect(bundle.frames.map((f) => f.file)).toEqual(['frames/01.jpg', 'frames/02.jpg', 'frames/03.jpg']);
    for (const [i, f] of bundle.frames.entries()) {
      expect(f.sha256).toBe(createHash('sha256').update(frames[i]!).digest('hex'));
      expect(f.bytes).toBe(frames[i]!.length);
    }
  });

  it('leaves frames out when the user says so, and never keeps a blob: address', async () => {
    const { bundle, frames } = await buildBundle({
      video: sampleVideo({ src: 'blob:https://www.example.org/1234' }),
      page: { url: 'https://www.example.org/', title: '' },
      form: { ...form, includeFrames: false },
      frames: [{ mediaTime: 0, jpeg: red }],
      software: SOFTWARE,
    });
    expect(bundle.frames).toEqual([]);
    expect(frames).toEqual([]);
    expect(bundle.video.src).toBeNull();
    expect(reportableSrc('')).toBeNull();
    expect(reportableSrc('https://a.example/v.mp4')).toBe('https://a.example/v.mp4');
  });

  it('refuses a frame that is not a JPEG', async () => {
    await expect(
      buildBundle({
        video: sampleVideo(),
        page: { url: 'https://www.example.org/', title: '' },
        form,
        frames: [{ mediaTime: 0, jpeg: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }],
        software: SOFTWARE,
      }),
    ).rejects.toThrow(/not a JPEG/);
  });

  it('hashes with Web Crypto exactly as Node does and reads data URLs', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const url = `data:image/jpeg;base64,${Buffer.from(red).toString('base64')}`;
    expect(dataUrlBytes(url)).toEqual(red);
    expect(() => dataUrlBytes('data:text/plain,hello')).toThrow(/base64/);
  });
});

describe('bundle schema', () => {
  it('names every problem of a malformed bundle', async () => {
    const { bundle } = await buildBundle({
      video: sampleVideo(),
      page: { url: 'https://www.example.org/', title: 't' },
      form,
      frames: [{ mediaTime: 0, jpeg: red }],
      software: SOFTWARE,
    });
    const broken = {
      ...structuredClone(bundle),
      version: 2,
      reason: 'spam',
      extra: true,
      frames: [{ ...bundle.frames[0], sha256: 'xyz' }],
    } as unknown;
    const problems = validateBundle(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.version: must be 1',
        expect.stringMatching(/^\$\.reason: must be one of/),
        '$: unexpected "extra"',
        expect.stringMatching(/^\$\.frames\[0\]\.sha256: does not match/),
      ]),
    );
    expect(validateBundle(null)).toEqual(['$: expected object, got null']);
    const withoutPage: Partial<typeof bundle> = structuredClone(bundle);
    delete withoutPage.page;
    expect(validateBundle(withoutPage)).toEqual(['$: missing "page"']);
  });
});
