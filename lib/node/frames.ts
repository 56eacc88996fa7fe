/** Node only (the scan command, its evaluations and tests): decoding frames of media files with ffmpeg. */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Where ffmpeg is: the `FFMPEG` environment variable when set (a path), else the first `ffmpeg` on `PATH`; null
 * when there is none. Nothing is run.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.FFMPEG) return isExecutableFile(env.FFMPEG) ? env.FFMPEG : null;
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) if (isExecutableFile(join(dir, name))) return join(dir, name);
  }
  return null;
}

let ffmpeg: string | null = null;

/**
 * The ffmpeg to run (see {@link findFfmpeg}), looked up once. Without one it throws an error that says what to do,
 * rather than letting every file read as unreadable.
 */
export function ffmpegPath(): string {
  ffmpeg ??= findFfmpeg();
  if (ffmpeg) return ffmpeg;
  throw new Error(
    process.env.FFMPEG
      ? `FFMPEG is set to ${process.env.FFMPEG}, which is not an executable file`
      : 'ffmpeg was not found on PATH: install it (Debian: apt-get install ffmpeg) or set FFMPEG to its path',
  );
}

/** A decoded frame: RGBA pixels and where in the media it was taken. */
export interface DecodedFrame {
  rgba: Uint8Array;
  width: number;
  height: number;
  time: number;
}

/** What ffmpeg says about a file on stderr (it exits non-zero without an output; that is expected). */
function describe(file: string): string {
  const bin = ffmpegPath();
  try {
    execFileSync(bin, ['-hide_banner', '-i', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? '');
  }
}

/** Duration of a media file in seconds (0 for a still image, a raw stream, or when unknown). */
export function mediaDuration(file: string): number {
  const m = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(describe(file));
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

function displaySize(file: string): { width: number; height: number } {
  const text = describe(file);
  const m = /Video:.*?(\d{2,5})x(\d{2,5})/.exec(text);
  if (!m) throw new Error('the file is not a readable video or image');
  let width = Number(m[1]);
  let height = Number(m[2]);
  // Phone clips store portrait video as landscape plus a rotation; ffmpeg's autorotate swaps them on decode.
  if (/rotation of -?90|rotate\s*:\s*-?(90|270)/.test(text)) [width, height] = [height, width];
  return { width, height };
}

/** Decodes one frame at `time` seconds as RGBA, scaled so its longer side is at most `maxSide` (even sizes). */
export function decodeFrame(file: string, time: number, maxSide: number): DecodedFrame {
  const src = displaySize(file);
  const scale = Math.min(1, maxSide / Math.max(src.width, src.height));
  const width = Math.max(2, Math.round((src.width * scale) / 2) * 2);
  const height = Math.max(2, Math.round((src.height * scale) / 2) * 2);
  const decode = (seekBeforeInput: boolean) => {
    // Seeking an image to 0 makes ffmpeg give nothing: only seek when there is somewhere to go.
    const seek = time > 0 ? ['-ss', String(time)] : [];
    const args = ['-loglevel', 'error', ...(seekBeforeInput ? seek : []), '-i', file, ...(seekBeforeInput ? [] : seek)];
    args.push('-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-');
    // Damaged or raw streams make ffmpeg complain on stderr; only the frame's bytes matter.
    return execFileSync(ffmpegPath(), args, {
      maxBuffer: width * height * 4 + 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  };
  let data = decode(true);
  // Raw H.264/H.265 elementary streams have no index to seek in: decode from the start instead.
  if (data.length === 0) data = decode(false);
  if (data.length !== width * height * 4) throw new Error(`could not decode a frame at ${time}s`);
  return { rgba: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height, time };
}

/** Up to `count` frames spread over the file (one for a still image), as the extension samples playback. */
export function decodeSpread(file: string, count: number, maxSide: number, knownDuration?: number): DecodedFrame[] {
  const duration = knownDuration || mediaDuration(file);
  if (duration <= 0.05) return [decodeFrame(file, 0, maxSide)];
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < count; i++) {
    try {
      frames.push(decodeFrame(file, (duration * (i + 1)) / (count + 1), maxSide));
    } catch {
      // A damaged stretch or a seek past the end of a very short clip loses that frame only.
    }
  }
  return frames;
}
