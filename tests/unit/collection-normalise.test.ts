import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NORMALISATION, normalise, probe, splitAnimatedWebp } from '../../models/collection/normalise.mjs';

const dir = mkdtempSync(join(tmpdir(), 'collection-normalise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ffmpeg(args: string[]): Buffer {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

describe('collection normalisation', () => {
  it('splits an animated WebP (which ffmpeg cannot decode whole) into its frames', { timeout: 120_000 }, () => {
    const webp = join(dir, 'anim.webp');
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48:rate=10',
      '-frames:v',
      '6',
      '-c:v',
      'libwebp_anim',
      '-loop',
      '0',
      webp,
    ]);
    const frames = join(dir, 'anim.frames');
    const got = splitAnimatedWebp(readFileSync(webp), frames);
    expect(got.count).toBe(6);
    expect([got.width, got.height]).toEqual([64, 48]);
    expect(got.fps).toBeCloseTo(10, 0);
    expect(readdirSync(frames)).toHaveLength(6);
    const p = probe(webp, 'webp');
    expect(p.frames).toBe(6);
    expect(p.container).toBe('webp');
  });

  it('gives every clip the same format whatever it came as', { timeout: 120_000 }, () => {
    const webp = join(dir, 'anim.webp');
    const mp4 = join(dir, 'tall.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=360x640:rate=30', '-t', '5', '-c:v', 'libx264', mp4]);
    const outs = [normalise(webp, 'webp', '', join(dir, 'a.mp4')), normalise(mp4, 'mp4', '', join(dir, 'b.mp4'))];
    for (const q of outs) {
      expect([q.width, q.height, q.frames, q.fps]).toEqual([NORMALISATION.side, NORMALISATION.side, 24, 8]);
      expect([q.codec, q.pix_fmt]).toEqual(['h264', 'yuv420p']);
    }
  });

  it('keeps only the named half of a side-by-side composite', { timeout: 120_000 }, () => {
    const sbs = join(dir, 'sbs.mp4');
    const lavfi = 'color=c=red:s=320x240:r=25[l];color=c=blue:s=320x240:r=25[r];[l][r]hstack';
    ffmpeg(['-f', 'lavfi', '-i', lavfi, '-t', '4', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', sbs]);
    const right = join(dir, 'right.mp4');
    normalise(sbs, 'mp4', '0.5,0,0.5,1', right);
    const rgb = ffmpeg(['-i', right, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    let red = 0;
    let blue = 0;
    for (let i = 0; i < rgb.length; i += 3) {
      red += rgb[i] ?? 0;
      blue += rgb[i + 2] ?? 0;
    }
    expect(blue).toBeGreaterThan(red * 5);
  });
});
