import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../lib/node/scan';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { startServer } from '../../scripts/lib/server.mjs';

const SHARED = resolve(__dirname, '../../../shared/data/c2pa/c2pa-rs');
let dir = '';
if (!existsSync(join(SHARED, 'nested_moov_1000.mp4')))
  console.warn(`skipping the malformed-file scan: ${SHARED} is absent`);

beforeAll(async () => {
  dir = (await makeC2paFixtures()).dir;
}, 120_000);

describe('scan (the detection core on files, in Node)', () => {
  it('reads Content Credentials and frames of an AI-declared clip', async () => {
    const r = await scanInput(join(dir, 'ai-sora.mp4'), { frames: 3, watermarks: false });
    // Read without trust anchors: an AI declaration from a signer no list vouches for is likely AI, not AI-generated.
    expect(r.verdict).toBe('likely-ai');
    expect(r.score).toBeNull();
    expect(r.signals).toContainEqual(
      expect.objectContaining({
        kind: 'provenance',
        state: 'untrusted',
        generator: 'OpenAI Sora',
        digitalSourceTypes: ['trainedAlgorithmicMedia'],
      }),
    );
    expect(r.signals).toContainEqual({ kind: 'frame-quality', framesChecked: 3, blankFrames: 0 });
  }, 180_000);

  it('calls a black clip unavailable', async () => {
    const r = await scanInput(join(dir, '../black.mp4'), { frames: 3, watermarks: false });
    expect(r.verdict).toBe('unavailable');
    expect(r.signals).toContainEqual({ kind: 'frame-quality', framesChecked: 3, blankFrames: 3 });
  }, 180_000);

  it('scans a URL the same way as a file', async () => {
    const server = await startServer();
    try {
      const r = await scanInput(`${server.base}/media/c2pa/tampered.mp4`, { frames: 2, watermarks: false });
      expect(r.signals).toContainEqual(expect.objectContaining({ kind: 'provenance', state: 'invalid' }));
      expect(r.verdict).toBe('uncertain');
    } finally {
      await server.close();
    }
  }, 180_000);

  it('names the generator of a corner watermark seen on several frames', async () => {
    const r = await scanInput(join(dir, '../kling-mark.mp4'), { frames: 2 });
    expect(r.signals).toContainEqual(
      expect.objectContaining({ kind: 'watermark', generator: 'Kling', text: expect.stringMatching(/kling/i) }),
    );
    expect(r.verdict).toBe('ai');
  }, 240_000);

  it('reports a missing file as unreadable instead of throwing', async () => {
    const r = await scanInput('/nonexistent/clip.mp4', { watermarks: false });
    expect(r.verdict).toBe('unavailable');
    expect(r.reasons[0]).toMatch(/could not be read/);
  }, 180_000);

  it.skipIf(!existsSync(join(SHARED, 'nested_moov_1000.mp4')))(
    'survives a malformed file',
    async () => {
      const r = await scanInput(join(SHARED, 'nested_moov_1000.mp4'), { watermarks: false });
      expect(r.signals).toContainEqual(expect.objectContaining({ kind: 'provenance', state: 'error' }));
      expect(r.verdict).toBe('unavailable');
      expect(r.reasons.join(' ')).toMatch(/Content Credentials could not be read/);
    },
    180_000,
  );
});
