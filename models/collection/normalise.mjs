/**
 * The one normalisation pipeline for both classes, run before any feature is computed, and the probe that reads a
 * clip's format (container, codec, size, rate, duration) for the format-only control.
 *
 * Every clip, AI or real, whatever it came as (MP4/HEVC, GIF, animated WebP, a folder of frames), becomes: the crop of
 * a composite its manifest row names, then the centre square of side 80% of the short side (corner and edge bands,
 * where generators put their logos and bars, are cut away the same way for every clip), 256×256, 8 frames per second,
 * exactly 3 s (a shorter clip is looped to fill it), H.264 CRF 23 yuv420p, no audio, no metadata, MP4. ffmpeg is found
 * on PATH; one ffmpeg runs at a time with one thread, at low priority.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pipeline's parameters, written next to the normalised clips. */
export const NORMALISATION = {
  fps: 8,
  seconds: 3,
  side: 256,
  keep: 0.8,
  codec: 'libx264',
  crf: 23,
  preset: 'medium',
  pix_fmt: 'yuv420p',
  frameFolderFps: 24,
};

/** One decoder run may take this long at most: a file whose timestamps make a loop endless must not stall the rest. */
const RUN_TIMEOUT_MS = 300_000;

function run(cmd, args) {
  const opts = { maxBuffer: 1 << 28, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' };
  const r = spawnSync('nice', ['-n', '15', cmd, ...args], opts);
  if (r.signal) throw new Error(`${cmd} stopped after ${RUN_TIMEOUT_MS / 1000} s (${r.signal})`);
  if (r.error) throw new Error(`${cmd} not runnable (is it on PATH?): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.toString().trim().split('\n').slice(-2).join(' ')}`);
  return r.stdout;
}

/**
 * Animated WebP: ffmpeg's decoder reads single images only, so each ANMF frame is written out as a standalone WebP.
 * Returns the frame files and the mean frame duration; frames are full-canvas in generator outputs.
 */
export function splitAnimatedWebp(buf, dir) {
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not WebP');
  const frames = [];
  let width = 0;
  let height = 0;
  let off = 12;
  const u24 = (o) => buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16);
  while (off + 8 <= buf.length) {
    const tag = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (tag === 'VP8X') {
      width = u24(body + 4) + 1;
      height = u24(body + 7) + 1;
    } else if (tag === 'ANMF') {
      const duration = u24(body + 12);
      let sub = body + 16;
      while (sub + 8 <= body + size) {
        const stag = buf.toString('latin1', sub, sub + 4);
        const ssize = buf.readUInt32LE(sub + 4);
        if (stag === 'VP8 ' || stag === 'VP8L') {
          const chunk = buf.subarray(sub, sub + 8 + ssize + (ssize & 1));
          const head = Buffer.alloc(12);
          head.write('RIFF', 0, 'latin1');
          head.writeUInt32LE(4 + chunk.length, 4);
          head.write('WEBP', 8, 'latin1');
          frames.push({ data: Buffer.concat([head, chunk]), duration });
        }
        sub += 8 + ssize + (ssize & 1);
      }
    }
    off = body + size + (size & 1);
  }
  if (!frames.length) throw new Error('WebP without animation frames');
  mkdirSync(dir, { recursive: true });
  frames.forEach((f, i) => writeFileSync(join(dir, `${String(i + 1).padStart(5, '0')}.webp`), f.data));
  const meanMs = frames.reduce((s, f) => s + (f.duration || 100), 0) / frames.length;
  return { count: frames.length, fps: 1000 / meanMs, width, height };
}

/** ffmpeg input arguments for an item: a file, a frame folder, or an animated WebP split into a folder. */
function inputArgs(path, kind, loop) {
  const loopArgs = loop ? ['-stream_loop', '-1'] : [];
  if (kind === 'frames') {
    const ext = readdirSync(path)[0].split('.').pop();
    const pattern = join(path, `%05d.${ext}`);
    return [...loopArgs, '-framerate', String(NORMALISATION.frameFolderFps), '-i', pattern];
  }
  if (kind === 'webp') {
    const dir = `${path}.frames`;
    rmSync(dir, { recursive: true, force: true });
    const w = splitAnimatedWebp(readFileSync(path), dir);
    return [...loopArgs, '-framerate', w.fps.toFixed(3), '-i', join(dir, '%05d.webp')];
  }
  return [...loopArgs, '-i', path];
}

/** Reads the format of a clip: what the format-only control sees. */
export function probe(path, kind) {
  if (kind === 'frames') {
    const files = readdirSync(path).sort();
    const first = probe(join(path, files[0]), 'image');
    const bytes = files.reduce((s, f) => s + statSync(join(path, f)).size, 0);
    const fps = NORMALISATION.frameFolderFps;
    return { ...first, frames: files.length, fps, duration: files.length / fps, bytes, container: 'frames' };
  }
  if (kind === 'webp') {
    const buf = readFileSync(path);
    const dir = `${path}.probe`;
    const w = splitAnimatedWebp(buf, dir);
    rmSync(dir, { recursive: true, force: true });
    const duration = w.count / w.fps;
    const bitrate = Math.round((buf.length * 8) / duration);
    return {
      ...w,
      frames: w.count,
      duration,
      bitrate,
      codec: 'webp',
      pix_fmt: '',
      container: 'webp',
      bytes: buf.length,
    };
  }
  const j = JSON.parse(
    run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]).toString(),
  );
  const v = (j.streams ?? []).find((s) => s.codec_type === 'video');
  if (!v) throw new Error('no video stream');
  const [n, d] = String(v.avg_frame_rate || v.r_frame_rate || '0/1')
    .split('/')
    .map(Number);
  const fps = d ? n / d : 0;
  const duration = Number(v.duration ?? j.format?.duration ?? 0) || 0;
  const bytes = Number(j.format?.size ?? statSync(path).size);
  const frames = Number(v.nb_frames ?? 0) || Math.round(duration * fps);
  return {
    duration,
    fps,
    frames,
    width: v.width,
    height: v.height,
    bitrate: Number(j.format?.bit_rate ?? 0) || (duration ? Math.round((bytes * 8) / duration) : 0),
    codec: v.codec_name,
    pix_fmt: v.pix_fmt ?? '',
    container: String(j.format?.format_name ?? '').split(',')[0],
    bytes,
  };
}

/**
 * Normalises one item into `dest` (MP4) and returns the probe of the result. `crop` is "x,y,w,h" in fractions of
 * the frame, or empty.
 */
export function normalise(path, kind, crop, dest) {
  const N = NORMALISATION;
  const filters = [];
  if (crop) {
    const [x, y, w, h] = crop.split(',').map(Number);
    filters.push(`crop=trunc(iw*${w}/2)*2:trunc(ih*${h}/2)*2:trunc(iw*${x}):trunc(ih*${y})`);
  }
  filters.push(`fps=${N.fps}`);
  filters.push(`crop=trunc(min(iw\\,ih)*${N.keep}/2)*2:trunc(min(iw\\,ih)*${N.keep}/2)*2`);
  filters.push(`scale=${N.side}:${N.side}:flags=area`, 'setsar=1', `format=${N.pix_fmt}`);
  const frames = String(N.fps * N.seconds);
  const encode = ['-vf', filters.join(','), '-frames:v', frames, '-an', '-sn', '-dn', '-map_metadata', '-1'];
  encode.push('-c:v', N.codec, '-preset', N.preset, '-crf', String(N.crf), '-g', String(N.fps * 2), '-bf', '2');
  encode.push('-threads', '1', '-x264-params', 'threads=1', '-fflags', '+bitexact', '-movflags', '+faststart');
  const tmp = `${dest}.part.mp4`;
  try {
    run('ffmpeg', ['-v', 'error', '-y', '-threads', '1', ...inputArgs(path, kind, true), ...encode, tmp]);
    const got = probe(tmp, 'mp4');
    if (got.frames !== N.fps * N.seconds) throw new Error(`normalised to ${got.frames} frames`);
    renameSync(tmp, dest);
    return got;
  } finally {
    rmSync(tmp, { force: true });
    if (kind === 'webp') rmSync(`${path}.frames`, { recursive: true, force: true });
  }
}
