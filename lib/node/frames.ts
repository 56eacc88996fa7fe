/** Node only (the scan command and tests): decoding frames of media files with ffmpeg. */
import { execFileSync } from 'node:child_process';

/** A decoded frame: RGBA pixels and where in the media it was taken. */
export interface DecodedFrame {
  rgba: Uint8Array;
  width: number;
  height: number;
  time: number;
}

/** Duration of a media file in seconds (0 for a still image or when unknown). */
export function mediaDuration(file: string): number {
  try {
    const args = ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file];
    const out = execFileSync('ffprobe', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const seconds = Number(out.toString().trim());
    return Number.isFinite(seconds) ? seconds : 0;
  } catch {
    return 0;
  }
}

function frameSize(file: string, maxSide: number): { width: number; height: number } {
  let out = '';
  try {
    const args = [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height',
      '-of',
      'csv=p=0:s=x',
    ];
    out = execFileSync('ffprobe', [...args, file], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim();
  } catch {
    throw new Error('the file is not a readable video or image');
  }
  const [w, h] = (out.split('\n')[0] ?? '').split('x').map(Number);
  if (!w || !h) throw new Error('the file has no video stream');
  const scale = Math.min(1, maxSide / Math.max(w, h));
  // Even sizes keep every pixel format happy.
  return { width: Math.max(2, Math.round((w * scale) / 2) * 2), height: Math.max(2, Math.round((h * scale) / 2) * 2) };
}

/** Decodes one frame at `time` seconds, scaled so its longer side is at most `maxSide`. */
export function decodeFrame(file: string, time: number, maxSide: number): DecodedFrame {
  const { width, height } = frameSize(file, maxSide);
  const rgba = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      // Seeking an image to 0 makes ffmpeg give nothing: only seek when there is somewhere to go.
      ...(time > 0 ? ['-ss', String(time)] : []),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `scale=${width}:${height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      '-',
    ],
    { maxBuffer: width * height * 4 + 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (rgba.length !== width * height * 4) throw new Error(`could not decode a frame at ${time}s of ${file}`);
  return { rgba: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length), width, height, time };
}

/** Up to `count` frames spread over the file (one for a still image), as the extension samples playback. */
export function decodeSpread(file: string, count: number, maxSide: number): DecodedFrame[] {
  const duration = mediaDuration(file);
  if (duration <= 0.05) return [decodeFrame(file, 0, maxSide)];
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < count; i++) {
    const t = Math.min(duration - 0.05, (duration * (i + 0.5)) / count);
    try {
      frames.push(decodeFrame(file, Math.max(0, t), maxSide));
    } catch {
      // A damaged stretch of the file loses that frame only.
    }
  }
  return frames;
}
