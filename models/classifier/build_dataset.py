"""Decode every item of ../shared/data/{ai-video,real-video} with ffmpeg into up to 16 evenly spread frames.

Writes (outside the repo) CACHE/frames.npz (uint8 frames, long side <= STORE_SIDE, object array) and
CACHE/items.json (one record per item: label, group, metadata for the control model).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CACHE, DATA, FFMPEG, FRAMES_PER_CLIP, STORE_SIDE, resize_long  # noqa: E402


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return float('nan')


def even(n, k):
    if n <= k:
        return list(range(n))
    return [int(round(i * (n - 1) / (k - 1))) for i in range(k)]


def decode_video(path, est_frames):
    step = max(1, int(est_frames // (FRAMES_PER_CLIP * 2))) if est_frames == est_frames else 1
    with tempfile.TemporaryDirectory() as d:
        cmd = [FFMPEG, '-v', 'error', '-i', path, '-vf', f"select='not(mod(n\\,{step}))'",
               '-vsync', 'vfr', '-frames:v', '2000', os.path.join(d, '%05d.png')]
        subprocess.run(cmd, check=True)
        files = sorted(os.listdir(d))
        return [Image.open(os.path.join(d, files[i])).convert('RGB') for i in even(len(files), FRAMES_PER_CLIP)]


def load(split, row):
    path = os.path.join(DATA, split, row['file'])
    kind = row['kind']
    if kind == 'frames':
        files = sorted(f for f in os.listdir(path) if not f.startswith('.'))
        return [Image.open(os.path.join(path, files[i])).convert('RGB') for i in even(len(files), FRAMES_PER_CLIP)]
    if kind == 'image':
        return [Image.open(path).convert('RGB')]
    est = num(row['duration_s']) * num(row['fps'])
    return decode_video(path, est)


def main():
    os.makedirs(CACHE, exist_ok=True)
    items, frames = [], []
    for split, label in (('ai-video', 1), ('real-video', 0)):
        with open(os.path.join(DATA, split, 'MANIFEST.tsv')) as f:
            rows = list(csv.DictReader(f, delimiter='\t'))
        for row in rows:
            try:
                imgs = load(split, row)
            except Exception as e:  # noqa: BLE001
                print('SKIP', row['file'], e, file=sys.stderr)
                continue
            if not imgs:
                print('SKIP (no frames)', row['file'], file=sys.stderr)
                continue
            arr = [np.asarray(resize_long(im, STORE_SIDE)) for im in imgs]
            frames.append(arr)
            kind = row['kind']
            items.append({
                'file': row['file'], 'split': split, 'label': label, 'repo': row['repo'],
                'generator': row.get('generator', '') if label else '',
                'license': row['license'],
                'kind': 'gif' if (kind == 'gif' or row['codec'] == 'gif') else ('image' if kind == 'image' else 'video'),
                'src_kind': kind,
                'width': num(row['width']), 'height': num(row['height']), 'duration_s': num(row['duration_s']),
                'fps': num(row['fps']), 'codec': row['codec'], 'bytes': num(row['bytes']), 'n_frames': len(arr),
            })
            print(f"{label} {len(arr):2d} {row['file']}", flush=True)
    np.savez(os.path.join(CACHE, 'frames.npz'), frames=np.array([np.stack(f) if len(set(x.shape for x in f)) == 1
                                                                else np.array(f, dtype=object) for f in frames],
                                                               dtype=object))
    with open(os.path.join(CACHE, 'items.json'), 'w') as f:
        json.dump(items, f, indent=1)
    print(f'{len(items)} items, {sum(i["label"] for i in items)} AI, {sum(1 - i["label"] for i in items)} real')


if __name__ == '__main__':
    main()
