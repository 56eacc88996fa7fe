/**
 * Generates the project's own test and demo clips with ffmpeg into `.media/`
 * (ignored by git). Every clip is synthetic: no third-party footage.
 * Re-running skips clips that already exist.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Folder the generated clips go to. */
export const MEDIA_DIR = join(root, '.media');

const H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-an'];
const BASELINE = [...H264, '-profile:v', 'baseline', '-level', '3.0'];

/** name → ffmpeg arguments after the output-independent prefix. */
const CLIPS = {
  // A busy synthetic scene: moving gradients, a clock and colour bars.
  'clip.mp4': ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=8', ...H264, '-movflags', '+faststart'],
  // A softened, slowly zooming fractal that the shipped classifier (0.2.0) scores between the sensitivity levels'
  // "likely AI" thresholds in Chromium (about 0.87, frame logits 7-9 against a band of 5.3-9.8: eager says likely
  // AI, balanced uncertain); the settings tests need such a clip.
  'borderline.mp4': [
    '-f',
    'lavfi',
    '-i',
    'mandelbrot=size=1280x720:rate=25:start_scale=0.1:end_scale=0.07,scale=640:360,gblur=sigma=3',
    '-t',
    '8',
    ...H264,
    '-movflags',
    '+faststart',
  ],
  // A zooming fractal, for a second distinct demo clip.
  'fractal.mp4': [
    '-f',
    'lavfi',
    '-i',
    'mandelbrot=size=640x360:rate=25',
    '-t',
    '8',
    ...H264,
    '-movflags',
    '+faststart',
  ],
  // Cellular automaton, portrait, as a short-form clip would be.
  'portrait.mp4': [
    '-f',
    'lavfi',
    '-i',
    'cellauto=rule=110:size=360x640:rate=25',
    '-t',
    '8',
    ...H264,
    '-movflags',
    '+faststart',
  ],
  // A portrait scene of coarse shapes and colours, which keeps its look when a page shows it a third of its size (the
  // cellular automaton above turns into other patterns then): the source of the signed composite, whose credentials
  // count only once screenshots of it match its file.
  'portrait-scene.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=360x640:rate=25:duration=8',
    ...H264,
    '-movflags',
    '+faststart',
  ],
  // The same kind of scene in landscape: the source of the signed camera file, whose capture claim also counts only
  // once screenshots match it (the zooming fractal's fine detail made that comparison come out either way).
  'scene.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=640x360:rate=25:duration=8',
    ...H264,
    // Every frame a key frame, so the file is as large as the fractal it replaced (the size-cap tests need > 0.1 MB).
    '-g',
    '1',
    '-movflags',
    '+faststart',
  ],
  // Fragmented MP4 (init segment + media fragments) for Media Source Extensions.
  'fragmented.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25:duration=8',
    ...BASELINE,
    '-g',
    '25',
    '-movflags',
    'frag_keyframe+empty_moov+default_base_moof',
  ],
  // Nothing but black: the pipeline must say "unavailable", not judge it.
  'black.mp4': [
    '-f',
    'lavfi',
    '-i',
    'color=c=black:size=640x360:rate=25:duration=6',
    ...H264,
    '-movflags',
    '+faststart',
  ],
  // A generator-style mark in the bottom-right corner, as Kling stamps its clips.
  'kling-mark.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25:duration=8',
    '-vf',
    "drawtext=fontfile=/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf:text='KlingAI 2.0':fontcolor=white@0.85:fontsize=22:x=w-tw-14:y=h-th-12",
    ...H264,
    '-movflags',
    '+faststart',
  ],
  // A small clip for pages of many videos.
  'small.mp4': ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=15:duration=6', ...H264, '-movflags', '+faststart'],
};

/** Generates any missing clip; returns the folder. */
export function makeMedia({ quiet = false } = {}) {
  mkdirSync(MEDIA_DIR, { recursive: true });
  for (const [name, args] of Object.entries(CLIPS)) {
    const out = join(MEDIA_DIR, name);
    if (existsSync(out)) continue;
    const tmp = `${out}.tmp.mp4`;
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', ...args, tmp], { stdio: 'inherit' });
    renameSync(tmp, out);
    if (!quiet) console.log(`made ${name}`);
  }
  return MEDIA_DIR;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  makeMedia();
  console.log(`media ready in ${MEDIA_DIR}`);
}
