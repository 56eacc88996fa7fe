"""Frozen MobileNetV2 features for every cached frame, under the contract view, augmented training views and the
robustness views (H.264 CRF 28 / 35 re-encode, downscale, crop). Writes CACHE/features_<S>.npz (outside the repo).
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backbone import TAPS_ALL, KerasMobileNetV2  # noqa: E402
from common import CACHE, FFMPEG, SEED, SIZE, augment, contract_preprocess, seed_everything  # noqa: E402

N_AUG = 4
BACKBONE = os.path.join(CACHE, 'backbone')


def h264_roundtrip(frames, crf):
    """Encode a clip's frames with libx264 at the given CRF and decode them again (what a platform re-encode does)."""
    h, w = frames[0].shape[:2]
    w2, h2 = w - w % 2, h - h % 2
    with tempfile.TemporaryDirectory() as d:
        raw = b''.join(np.ascontiguousarray(f[:h2, :w2]).tobytes() for f in frames if f.shape[:2] == (h, w))
        n = len(raw) // (w2 * h2 * 3)
        src = os.path.join(d, 'in.rgb')
        open(src, 'wb').write(raw)
        mp4 = os.path.join(d, 'out.mp4')
        subprocess.run([FFMPEG, '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', f'{w2}x{h2}',
                        '-r', '8', '-i', src, '-c:v', 'libx264', '-preset', 'medium', '-crf', str(crf),
                        '-pix_fmt', 'yuv420p', mp4], check=True)
        out = subprocess.run([FFMPEG, '-v', 'error', '-i', mp4, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
                             check=True, capture_output=True).stdout
        return list(np.frombuffer(out, np.uint8).reshape(-1, h2, w2, 3)[:n])


def downscale(img, short):
    w, h = img.size
    s = short / min(w, h)
    return img if s >= 1 else img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.BILINEAR)


def center_crop(img, frac):
    w, h = img.size
    cw, ch = round(w * frac), round(h * frac)
    x, y = (w - cw) // 2, (h - ch) // 2
    return img.crop((x, y, x + cw, y + ch))


def main():
    seed_everything()
    t0 = time.time()
    items = json.load(open(os.path.join(CACHE, 'items.json')))
    frames = np.load(os.path.join(CACHE, 'frames.npz'), allow_pickle=True)['frames']
    net = KerasMobileNetV2(BACKBONE, list(TAPS_ALL))
    rng = random.Random(SEED)
    views = {k: [] for k in ('eval', 'aug', 'crf28', 'crf35', 'down', 'crop')}
    clip_idx = []
    for ci, fr in enumerate(frames):
        fr = [np.asarray(f, dtype=np.uint8) for f in fr]
        enc = {}
        for crf in (28, 35):
            try:
                enc[crf] = h264_roundtrip(fr, crf)
            except subprocess.CalledProcessError:  # a frame too small for libx264: that clip stays unaltered
                enc[crf] = fr
        for fi, f in enumerate(fr):
            img = Image.fromarray(f)
            clip_idx.append(ci)
            views['eval'].append(contract_preprocess(img))
            views['aug'].append(np.stack([augment(img, rng) for _ in range(N_AUG)]))
            for crf in (28, 35):
                e = enc[crf][min(fi, len(enc[crf]) - 1)]
                views[f'crf{crf}'].append(contract_preprocess(Image.fromarray(e)))
            views['down'].append(contract_preprocess(downscale(img, 72)))
            views['crop'].append(contract_preprocess(center_crop(img, 0.6)))
        if ci % 20 == 0:
            print(f'views {ci}/{len(frames)} {time.time() - t0:.0f}s', flush=True)
    clip_idx = np.array(clip_idx)
    out = {'clip_idx': clip_idx}
    with torch.no_grad():
        for k, v in views.items():
            a = np.stack(v)
            shape = a.shape
            a = a.reshape(-1, SIZE, SIZE, 3)
            feats = []
            for b0 in range(0, len(a), 64):
                x = torch.from_numpy(np.ascontiguousarray(a[b0:b0 + 64])).permute(0, 3, 1, 2).float().div(255.0)
                feats.append(net(x).numpy())
            f = np.concatenate(feats)
            out[k] = f.reshape(shape[:-3] + (f.shape[-1],)).astype(np.float32)
            print(f'features {k} {out[k].shape} {time.time() - t0:.0f}s', flush=True)
    out['eval_pixels'] = np.stack(views['eval'])
    np.savez(os.path.join(CACHE, f'features_{SIZE}.npz'), **out)


if __name__ == '__main__':
    main()
