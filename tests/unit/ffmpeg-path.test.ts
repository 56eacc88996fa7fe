import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../lib/node/frames';

// The cases plant an executable shell script named `ffmpeg` on PATH, which Windows would not run.
describe.skipIf(process.platform === 'win32')('findFfmpeg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ffmpeg-path-'));
  const empty = mkdtempSync(join(tmpdir(), 'ffmpeg-path-empty-'));
  const fake = join(dir, 'ffmpeg');
  writeFileSync(fake, '#!/bin/sh\nexit 0\n');
  chmodSync(fake, 0o755);
  const notExecutable = join(empty, 'ffmpeg');
  writeFileSync(notExecutable, 'not a program\n');
  chmodSync(notExecutable, 0o644);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it('takes the first executable ffmpeg on PATH, passing over a file that cannot run', () => {
    expect(findFfmpeg({ PATH: [empty, dir].join(delimiter) })).toBe(fake);
  });

  it('prefers FFMPEG when it names an executable file', () => {
    expect(findFfmpeg({ FFMPEG: fake, PATH: '' })).toBe(fake);
  });

  it('finds nothing where there is none, and does not fall back from a wrong FFMPEG to PATH', () => {
    expect(findFfmpeg({ PATH: empty })).toBeNull();
    expect(findFfmpeg({})).toBeNull();
    expect(findFfmpeg({ FFMPEG: join(dir, 'missing'), PATH: dir })).toBeNull();
    expect(findFfmpeg({ FFMPEG: notExecutable, PATH: dir })).toBeNull();
  });
});
