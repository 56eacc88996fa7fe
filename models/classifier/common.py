"""Shared settings and the frame preprocessing contract for the Provenance Lens frame classifier.

The same functions are used for both classes (AI and real), for training, evaluation and parity inputs.
The TS side must reproduce `contract_preprocess` (see classifier.json "preprocess").
"""
import io
import os
import random

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(ROOT, '..', '..'))
DATA = os.environ.get('CLASSIFIER_DATA', os.path.abspath(os.path.join(REPO, '..', 'shared', 'data')))
# Decoded frames are derived media: they live OUTSIDE the repository.
CACHE = os.environ.get('CLASSIFIER_CACHE', '/tmp/provenance-lens-classifier-cache')
# The ffmpeg to run: FFMPEG (a path) when set, else the one on PATH, as lib/node/frames.ts finds it.
FFMPEG = os.environ.get('FFMPEG') or 'ffmpeg'

SEED = 1234
SIZE = 128             # model input side S
FRAMES_PER_CLIP = 16   # frames sampled evenly over each clip
STORE_SIDE = 384       # long side of cached decoded frames
EXT_MAX_SIDE = 256     # the extension sends frames with long side <= 256 ...
EXT_JPEG_Q = 85        # ... as JPEG quality 0.85 (lib/content/sampling-policy.ts)
BORDER = 0.05          # crop 5% on each side
LB_LUMA = 24           # letterbox: edge rows/cols with mean luma < 24 (0..255) are trimmed ...
LB_MAX = 0.25          # ... at most 25% of the dimension from each side


def seed_everything(seed=SEED):
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
        torch.manual_seed(seed)
        torch.set_num_threads(2)
    except ImportError:
        pass


def resize_long(img, side):
    w, h = img.size
    s = side / max(w, h)
    if s >= 1:
        return img
    return img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.BILINEAR)


def jpeg(img, q):
    b = io.BytesIO()
    img.save(b, format='JPEG', quality=int(q))
    b.seek(0)
    return Image.open(b).convert('RGB')


def palette_roundtrip(img, colors, dither):
    p = img.convert('P', palette=Image.ADAPTIVE, colors=int(colors),
                    dither=Image.FLOYDSTEINBERG if dither else Image.NONE)
    return p.convert('RGB')


def border_and_letterbox(a):
    """a: HxWx3 uint8. Crop BORDER from each side, then trim dark letterbox rows/cols."""
    h, w = a.shape[:2]
    bh, bw = int(h * BORDER), int(w * BORDER)
    a = a[bh:h - bh, bw:w - bw]
    h, w = a.shape[:2]
    luma = a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114
    rows, cols = luma.mean(1), luma.mean(0)

    def trim(v, n):
        lim = int(n * LB_MAX)
        t0 = 0
        while t0 < lim and v[t0] < LB_LUMA:
            t0 += 1
        t1 = 0
        while t1 < lim and v[n - 1 - t1] < LB_LUMA:
            t1 += 1
        return t0, n - t1

    r0, r1 = trim(rows, h)
    c0, c1 = trim(cols, w)
    return a[r0:r1, c0:c1]


def short_resize_crop(img, size, scale=1.0, rng=None):
    """Resize so the short side is size*scale (bilinear), then crop size x size (center, or random if rng)."""
    w, h = img.size
    s = size * scale / min(w, h)
    nw, nh = max(size, round(w * s)), max(size, round(h * s))
    img = img.resize((nw, nh), Image.BILINEAR)
    if rng is None:
        x, y = (nw - size) // 2, (nh - size) // 2
    else:
        x, y = rng.randint(0, nw - size), rng.randint(0, nh - size)
    return img.crop((x, y, x + size, y + size))


def contract_preprocess(img):
    """Deterministic pipeline = what the extension + TS side do. img: decoded RGB PIL frame."""
    img = resize_long(img, EXT_MAX_SIDE)          # extension: long side <= 256
    img = jpeg(img, EXT_JPEG_Q)                    # extension: JPEG 0.85
    a = border_and_letterbox(np.asarray(img))      # TS: border crop + letterbox trim
    return np.asarray(short_resize_crop(Image.fromarray(a), SIZE))  # TS: short side -> S, center crop


def preprocess_contract(batch, note=''):
    """The contract_preprocess steps in words, for classifier.json ("preprocess"): what the TS side implements."""
    return (f'Input: the sampled frame as the extension already produces it (long side <= {EXT_MAX_SIDE} px, '
            f'JPEG q{EXT_JPEG_Q}), decoded to RGB. 1) crop {int(BORDER * 100)}% from each side '
            '(floor(h*0.05) rows top and bottom, floor(w*0.05) cols left and right). '
            f'2) letterbox trim: from each edge inward, drop rows (then cols) whose mean luma '
            f'(0.299R+0.587G+0.114B, 0..255) < {LB_LUMA}, at most floor({LB_MAX}*dim) per side. '
            f'3) bilinear resize so the SHORT side is {SIZE} (long side round(long*{SIZE}/short), '
            f'not below {SIZE}). 4) center crop {SIZE}x{SIZE} at (floor((w-{SIZE})/2), floor((h-{SIZE})/2)). '
            f'5) RGB float32 in 0..1 (value/255), NCHW [{batch},3,S,S].{note}')


def augment(img, rng):
    """Training pipeline: identical for both classes. Random scale, re-compression, palette, flips."""
    side = rng.randint(160, 360)
    img = resize_long(img, side)
    if rng.random() < 0.4:  # GIF-style palette round trip for BOTH classes
        img = palette_roundtrip(img, rng.choice([32, 64, 128, 256]), rng.random() < 0.5)
    img = jpeg(img, rng.randint(55, 95))
    a = border_and_letterbox(np.asarray(img))
    img = short_resize_crop(Image.fromarray(a), SIZE, scale=rng.uniform(1.0, 1.25), rng=rng)
    if rng.random() < 0.5:
        img = img.transpose(Image.FLIP_LEFT_RIGHT)
    if rng.random() < 0.3:  # second, mild re-compression (platform re-encode)
        img = jpeg(img, rng.randint(70, 95))
    return np.asarray(img)
