"""v0.1 baseline (a small NPR-style CNN trained from scratch), kept for its shared helpers (grouped folds, metrics,
controls, parity inputs) that train_head.py imports, and to reproduce the v0.1 numbers with CLASSIFIER_V01=1.
Running it overwrites the shipped model with the v0.1 one (input 112: set SIZE = 112 in common.py first).

CV evaluation (grouped by source repo / generator), control models, calibration, final training, ONNX export.

Reads CACHE/frames.npz + CACHE/items.json (build_dataset.py). Writes:
  CACHE/views.npz                      processed frames (contract view + augmented training views)
  models/classifier/results.json       all numbers (EVAL.md is rendered from it by report.py)
  models/classifier/parity.json        parity inputs (formula + seeds) and expected PyTorch logits
  public/models/classifier.onnx/.json  shipped model + contract
"""
import io
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (CACHE, FRAMES_PER_CLIP, REPO, ROOT, SEED, SIZE, augment, contract_preprocess,  # noqa: E402
                    preprocess_contract, seed_everything)

N_AUG = 3
EPOCHS = int(os.environ.get('CLASSIFIER_EPOCHS', 6))
FRAMES_PER_EPOCH = 6
VERSION = '0.1.0'

seed_everything()
torch.use_deterministic_algorithms(True)


# ----------------------------------------------------------------------------------------------- data
def load():
    items = json.load(open(os.path.join(CACHE, 'items.json')))
    frames = np.load(os.path.join(CACHE, 'frames.npz'), allow_pickle=True)['frames']
    return items, frames


def group_of(it):
    if it['label'] == 0:
        return 'real:' + it['repo']
    if it['generator'].startswith('OpenAI Sora 2'):  # two repos carry Sora 2 clips: one group
        return 'ai:OpenAI Sora 2 (linkedlist771 + wolfowitz-ai)'
    return 'ai:' + it['repo']


def build_views(items, frames):
    path = os.path.join(CACHE, f'views_{SIZE}_{N_AUG}.npz')
    if os.path.exists(path):
        d = np.load(path)
        return d['clip_idx'], d['eval'], d['aug']
    rng = random.Random(SEED)
    clip_idx, ev, aug = [], [], []
    for ci, fr in enumerate(frames):
        for f in fr:
            img = Image.fromarray(np.asarray(f, dtype=np.uint8))
            clip_idx.append(ci)
            ev.append(contract_preprocess(img))
            aug.append(np.stack([augment(img, rng) for _ in range(N_AUG)]))
    clip_idx, ev, aug = np.array(clip_idx), np.stack(ev), np.stack(aug)
    np.savez(path, clip_idx=clip_idx, eval=ev, aug=aug)
    return clip_idx, ev, aug


def dump_for_node(clip_idx, ev):
    """Raw contract frames for final_check.mjs (stays in the cache, outside the repo)."""
    ev.astype(np.uint8).tofile(os.path.join(CACHE, 'ev.u8'))
    clip_idx.astype(np.int32).tofile(os.path.join(CACHE, 'ci.i32'))


# ------------------------------------------------------------------------------------------- folds
def make_folds(items):
    groups = [group_of(it) for it in items]
    ai_groups = sorted({g for g in groups if g.startswith('ai:')})
    real_groups = sorted({g for g in groups if g.startswith('real:')},
                         key=lambda g: (-sum(1 for x in groups if x == g), g))
    k = len(ai_groups)
    fold_of_group = {g: i for i, g in enumerate(ai_groups)}
    sizes = [0] * k
    for g in real_groups:  # greedy balance of real clips over folds
        i = int(np.argmin(sizes))
        fold_of_group[g] = i
        sizes[i] += sum(1 for x in groups if x == g)
    return np.array([fold_of_group[g] for g in groups]), groups, k


# ------------------------------------------------------------------------------------------ metrics
def auc(y, s):
    y = np.asarray(y)
    if len(set(y.tolist())) < 2:
        return float('nan')
    return float(roc_auc_score(y, s))


def bootstrap_auc_ci(y, s, groups, n=1000):
    """Cluster bootstrap over groups (repos), 95% interval."""
    rng = np.random.RandomState(SEED)
    y, s, groups = np.asarray(y), np.asarray(s), np.asarray(groups)
    ug = np.unique(groups)
    idx = {g: np.where(groups == g)[0] for g in ug}
    vals = []
    for _ in range(n):
        pick = np.concatenate([idx[g] for g in rng.choice(ug, len(ug), replace=True)])
        if len(set(y[pick].tolist())) == 2:
            vals.append(roc_auc_score(y[pick], s[pick]))
    return [float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))]


# -------------------------------------------------------------------------------------- controls
def metadata_features(items):
    codecs = sorted({it['codec'] for it in items})
    kinds = ['video', 'gif', 'image']
    X = []
    for it in items:
        w, h, d, fps, b = it['width'], it['height'], it['duration_s'], it['fps'], it['bytes']
        dd = d if d == d else 0.0
        ff = fps if fps == fps else 0.0
        rate = b / d if d == d and d > 0 else b
        X.append([math.log(w), math.log(h), w / h, dd, float(d != d), ff, math.log(b), math.log(rate),
                  math.log(b / (w * h))] + [float(it['codec'] == c) for c in codecs] +
                 [float(it['kind'] == k) for k in kinds])
    return np.array(X)


def stat_features(ev, clip_idx, n):
    """Trivial statistics of the PROCESSED frames (what the CNN sees), averaged per clip."""
    F_ = []
    for a in ev:
        x = a.astype(np.float32)
        luma = x @ np.array([0.299, 0.587, 0.114], np.float32)
        lap = np.abs(4 * luma[1:-1, 1:-1] - luma[:-2, 1:-1] - luma[2:, 1:-1] - luma[1:-1, :-2] - luma[1:-1, 2:])
        b = io.BytesIO()
        Image.fromarray(a).save(b, format='JPEG', quality=85)
        mx, mn = x.max(2), x.min(2)
        sat = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1), 0)
        uniq = len(np.unique(a.reshape(-1, 3) // 4, axis=0)) / (SIZE * SIZE)
        F_.append(list(x.mean((0, 1))) + list(x.std((0, 1))) + [luma.std(), lap.mean(), len(b.getvalue()) / 1000,
                                                                  sat.mean(), uniq])
    F_ = np.array(F_)
    return np.stack([F_[clip_idx == i].mean(0) for i in range(n)])


def control_oof(X, y, folds, k, make):
    s = np.zeros(len(y))
    for f in range(k):
        tr, te = folds != f, folds == f
        m = make().fit(X[tr], y[tr])
        s[te] = m.predict_proba(X[te])[:, 1]
    return s


def controls(items, y, folds, k, stats):
    meta = metadata_features(items)
    lr = lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))  # noqa: E731
    tree = lambda: DecisionTreeClassifier(max_depth=3, random_state=SEED)  # noqa: E731
    out = {}
    for name, X in (('metadata (raw files)', meta), ('processed-frame statistics', stats)):
        for mname, make in (('logistic', lr), ('tree(depth 3)', tree)):
            s = control_oof(X, y, folds, k, make)
            out[f'{name} / {mname}'] = {'auc': auc(y, s), 'auc_non_gif': auc(y[NON_GIF], s[NON_GIF])}
    # The frame model's inputs are all S x S crops re-encoded the same way: metadata of the inputs is constant.
    out['metadata of model inputs (all S x S, same encode)'] = {'auc': 0.5, 'auc_non_gif': 0.5,
                                                                 'note': 'constant features, chance by construction'}
    return out


# ------------------------------------------------------------------------------------------ model
class FrameNet(nn.Module):
    """Input: [N,3,S,S] RGB in 0..1. Normalisation and a fixed high-pass (NPR-style) residual are in the graph."""

    def __init__(self):
        super().__init__()
        self.register_buffer('mean', torch.tensor([0.45, 0.45, 0.45]).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor([0.25, 0.25, 0.25]).view(1, 3, 1, 1))

        def block(i, o, s):
            return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))

        self.body = nn.Sequential(block(6, 24, 2), block(24, 32, 2), block(32, 48, 2), block(48, 64, 2),
                                  block(64, 96, 1))
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(96, 1)

    def forward(self, frame):
        x = (frame - self.mean) / self.std
        # neighbouring-pixel relationship: x - nearest_up(avg_pool2(x)), scaled up (residuals are small)
        low = F.avg_pool2d(x, 2)
        npr = (x - F.interpolate(low, scale_factor=2.0, mode='nearest')) * 4.0
        h = self.body(torch.cat([x, npr], 1))
        h = h.mean((2, 3))
        return self.fc(self.drop(h))


def to_tensor(a):
    return torch.from_numpy(np.ascontiguousarray(a)).permute(0, 3, 1, 2).float().div_(255.0)


def train_model(train_clips, y, clip_idx, aug, seed):
    seed_everything(seed)
    rng = np.random.RandomState(seed)
    model = FrameNet()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    frames_of = {c: np.where(clip_idx == c)[0] for c in train_clips}
    n_ai = sum(y[c] for c in train_clips)
    n_real = len(train_clips) - n_ai
    steps_per_epoch = None
    sched = None
    for ep in range(EPOCHS):
        sel, lab, wts = [], [], []
        for c in train_clips:  # each clip contributes up to FRAMES_PER_EPOCH frames; classes balanced by clip
            fr = frames_of[c]
            pick = rng.choice(fr, min(FRAMES_PER_EPOCH, len(fr)), replace=False)
            w = (0.5 / (n_ai if y[c] else n_real)) / len(pick)
            sel += list(pick)
            lab += [y[c]] * len(pick)
            wts += [w] * len(pick)
        sel, lab, wts = np.array(sel), np.array(lab, np.float32), np.array(wts, np.float32)
        wts = wts / wts.mean()
        order = rng.permutation(len(sel))
        bs = 64
        if sched is None:
            steps_per_epoch = math.ceil(len(sel) / bs)
            sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * steps_per_epoch + 10)
        model.train()
        for b0 in range(0, len(order), bs):
            ix = order[b0:b0 + bs]
            views = aug[sel[ix], rng.randint(0, aug.shape[1], len(ix))]
            x = to_tensor(views)
            logit = model(x).squeeze(1)
            loss = (F.binary_cross_entropy_with_logits(logit, torch.from_numpy(lab[ix]), reduction='none') *
                    torch.from_numpy(wts[ix])).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


@torch.no_grad()
def clip_scores(model, clips, clip_idx, ev):
    out = {}
    for c in clips:
        fr = np.where(clip_idx == c)[0]
        out[c] = float(model(to_tensor(ev[fr])).squeeze(1).mean())
    return out


# ------------------------------------------------------------------------------------------ main
def main():
    global NON_GIF
    t0 = time.time()
    items, frames = load()
    n = len(items)
    y = np.array([it['label'] for it in items])
    NON_GIF = np.array([it['kind'] != 'gif' for it in items])
    folds, groups, k = make_folds(items)
    clip_idx, ev, aug = build_views(items, frames)
    dump_for_node(clip_idx, ev)
    print(f'views ready: {len(ev)} frames, {time.time() - t0:.0f}s', flush=True)

    stats = stat_features(ev, clip_idx, n)
    ctrl = controls(items, y, folds, k, stats)
    print(json.dumps(ctrl, indent=1), flush=True)

    # ---- grouped CV
    oof = np.zeros(n)
    fold_rows = []
    for f in range(k):
        t1 = time.time()
        tr = [i for i in range(n) if folds[i] != f]
        te = [i for i in range(n) if folds[i] == f]
        model = train_model(tr, y, clip_idx, aug, SEED + f)
        sc = clip_scores(model, te, clip_idx, ev)
        for c, v in sc.items():
            oof[c] = v
        yt = y[te]
        st = np.array([sc[c] for c in te])
        fold_rows.append({'fold': f, 'held_out': sorted({groups[c] for c in te}),
                          'n_ai': int(yt.sum()), 'n_real': int(len(yt) - yt.sum()),
                          'auc': auc(yt, st), 'acc@0': float(((st > 0) == yt).mean())})
        print(f'fold {f}: {fold_rows[-1]} {time.time() - t1:.0f}s', flush=True)

    # ---- calibration (Platt on OOF mean logits) and thresholds
    platt = LogisticRegression(C=1e4, max_iter=1000).fit(oof.reshape(-1, 1), y)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    p = 1 / (1 + np.exp(-(a * oof + b)))
    real_p = np.sort(p[y == 0])
    max_real = float(real_p[-1])
    # <=1% of 57 real clips is < 1 clip: the only data-backed choice is above the max real OOF score, with margin.
    likely = float(min(0.99, max(0.5, max_real + 0.5 * (1 - max_real))))
    uncertain = float(np.quantile(real_p, 0.90))
    uncertain = min(uncertain, likely)

    def rates(th):
        return {'fpr_real': float((p[y == 0] >= th).mean()), 'tpr_ai': float((p[y == 1] >= th).mean()),
                'fpr_real_non_gif_eval': float((p[(y == 0)] >= th).mean()),
                'tpr_ai_non_gif': float((p[(y == 1) & NON_GIF] >= th).mean())}

    # LOO estimate of the threshold rule's FPR: each real clip judged by a threshold set on the other reals
    loo_fp = 0
    for i in np.where(y == 0)[0]:
        others = p[(y == 0) & (np.arange(n) != i)].max()
        loo_fp += p[i] >= min(0.99, max(0.5, others + 0.5 * (1 - others)))
    per_group = []
    for g in sorted(set(groups)):
        m = np.array([x == g for x in groups])
        row = {'group': g, 'n': int(m.sum()), 'mean_logit': float(oof[m].mean()),
               'frac_ge_uncertain': float((p[m] >= uncertain).mean()), 'frac_ge_likely': float((p[m] >= likely).mean())}
        if g.startswith('ai:'):
            row['auc_vs_all_real'] = auc(np.r_[np.ones(m.sum()), np.zeros((y == 0).sum())],
                                         np.r_[oof[m], oof[y == 0]])
        per_group.append(row)
    by_gen = {}
    for i in np.where(y == 1)[0]:
        by_gen.setdefault(items[i]['generator'], []).append(i)
    per_gen = [{'generator': g, 'n': len(ix), 'mean_logit': float(oof[ix].mean()),
                'auc_vs_all_real': auc(np.r_[np.ones(len(ix)), np.zeros((y == 0).sum())],
                                       np.r_[oof[ix], oof[y == 0]])} for g, ix in sorted(by_gen.items())]

    cv = {
        'pooled_auc': auc(y, oof), 'pooled_auc_ci95_cluster_bootstrap': bootstrap_auc_ci(y, oof, groups),
        'pooled_auc_non_gif': auc(y[NON_GIF], oof[NON_GIF]),
        'pooled_auc_gif_ai_only_vs_real': auc(y[~NON_GIF | (y == 0)], oof[~NON_GIF | (y == 0)]),
        'pooled_acc@logit0': float(((oof > 0) == y).mean()),
        'fpr_real@logit0': float((oof[y == 0] > 0).mean()),
        'folds': fold_rows, 'per_group': per_group, 'per_generator': per_gen,
        'platt': {'a': a, 'b': b}, 'thresholds': {'likelyAi': likely, 'uncertain': uncertain},
        'max_real_oof_p': max_real, 'at_likelyAi': rates(likely), 'at_uncertain': rates(uncertain),
        'loo_fpr_of_likely_rule': float(loo_fp / (y == 0).sum()),
        'acc@likelyAi': float(((p >= likely) == y).mean()),
        'oof': [{'file': items[i]['file'], 'label': int(y[i]), 'group': groups[i], 'kind': items[i]['kind'],
                 'mean_logit': float(oof[i]), 'p': float(p[i])} for i in range(n)],
    }
    print({kk: v for kk, v in cv.items() if kk not in ('oof', 'per_group', 'folds', 'per_generator')}, flush=True)

    # ---- final model on all data
    final = train_model(list(range(n)), y, clip_idx, aug, SEED + 100)
    train_scores = clip_scores(final, range(n), clip_idx, ev)
    export(final, a, b, likely, uncertain)

    params = sum(p_.numel() for p_ in final.parameters())
    res = {'config': {'size': SIZE, 'frames_per_clip': FRAMES_PER_CLIP, 'epochs': EPOCHS, 'n_aug_views': N_AUG,
                      'seed': SEED, 'params': params, 'torch': torch.__version__},
           'data': data_summary(items, groups), 'controls': ctrl, 'cv': cv,
           'final_train_auc_in_sample': auc(y, np.array([train_scores[i] for i in range(n)])),
           'onnx_bytes': os.path.getsize(os.path.join(REPO, 'public/models/classifier.onnx')),
           'seconds': time.time() - t0}
    json.dump(res, open(os.path.join(ROOT, 'results.json'), 'w'), indent=1)
    print(f'done in {time.time() - t0:.0f}s')


def data_summary(items, groups):
    out = {}
    for it, g in zip(items, groups):
        r = out.setdefault(g, {'n': 0, 'kinds': {}, 'licenses': set(), 'generators': set()})
        r['n'] += 1
        r['kinds'][it['kind']] = r['kinds'].get(it['kind'], 0) + 1
        r['licenses'].add(it['license'])
        if it['generator']:
            r['generators'].add(it['generator'])
    for r in out.values():
        r['licenses'] = sorted(r['licenses'])
        r['generators'] = sorted(r['generators'])
    return out


# ------------------------------------------------------------------------------------ export/parity
def parity_input(kind, seed):
    """Deterministic inputs that the TS test regenerates with the same formula (float64 then float32)."""
    S = SIZE
    idx = np.arange(3 * S * S, dtype=np.float64)
    c, rem = np.divmod(idx, S * S)
    h, w = np.divmod(rem, S)
    noise = np.mod(idx * 2654435761.0 + seed * 97.0, 4294967296.0) / 4294967296.0
    smooth = 0.5 + 0.5 * np.sin(0.11 * h + 0.07 * w + 1.3 * c + seed)
    x = {'noise': noise, 'smooth': smooth, 'mix': np.clip(0.8 * smooth + 0.2 * noise, 0, 1)}[kind]
    return x.astype(np.float32).reshape(1, 3, S, S)


def preprocess_parity_frame(w=256, h=144, bar=14):
    """Synthetic letterboxed RGB frame, integer formula (regenerated by the TS test)."""
    y, x = np.mgrid[0:h, 0:w]
    a = np.stack([(x * 7 + y * 3) % 256, (x * x + y * 5) % 256, (x * y) % 256], -1).astype(np.uint8)
    inside = (y >= bar) & (y < h - bar)
    a[~inside] = 5
    return a


def write_parity(model):
    """Writes parity.json (the model's logits on three formula inputs) and preprocess-parity.json."""
    cases = []
    with torch.no_grad():
        for kind, seed in (('noise', 1), ('smooth', 2), ('mix', 3)):
            cases.append({'kind': kind, 'seed': seed, 'logit': float(model(torch.from_numpy(parity_input(kind, seed))))})
    write_preprocess_parity()
    json.dump({'size': SIZE,
               'formula': {'index': 'i over flattened [1,3,S,S]; c=floor(i/(S*S)); h=floor((i mod S*S)/S); w=i mod S',
                           'noise': '((i*2654435761 + seed*97) mod 2^32) / 2^32',
                           'smooth': '0.5 + 0.5*sin(0.11*h + 0.07*w + 1.3*c + seed)',
                           'mix': 'clamp(0.8*smooth + 0.2*noise, 0, 1)',
                           'dtype': 'computed in float64, then cast to float32'},
               'tolerance': 1e-3, 'cases': cases}, open(os.path.join(ROOT, 'parity.json'), 'w'), indent=1)


def write_preprocess_parity():
    """Expected output of the contract crop/resize (after the extension's JPEG step) for the TS preprocessing."""
    import base64
    from common import border_and_letterbox, short_resize_crop
    a = preprocess_parity_frame()
    out = np.asarray(short_resize_crop(Image.fromarray(border_and_letterbox(a)), SIZE))
    json.dump({'frame': {'width': 256, 'height': 144, 'bar': 14,
                         'formula': 'RGB = ((x*7+y*3)%256, (x*x+y*5)%256, (x*y)%256); rows y<bar or y>=h-bar = 5'},
               'size': SIZE, 'layout': 'HWC uint8, base64',
               'expected': base64.b64encode(out.tobytes()).decode()},
              open(os.path.join(ROOT, 'preprocess-parity.json'), 'w'))


def export(model, a, b, likely, uncertain):
    import onnx
    os.makedirs(os.path.join(REPO, 'public/models'), exist_ok=True)
    path = os.path.join(REPO, 'public/models/classifier.onnx')
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(model, dummy, path, input_names=['frame'], output_names=['logit'], opset_version=13,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    write_parity(model)
    meta = {
        'name': 'provenance-lens-frame-classifier', 'version': VERSION, 'inputSize': SIZE,
        'input': 'frame', 'output': 'logit',
        'preprocess': preprocess_contract('1', ' No mean/std: normalisation is in the graph.'),
        'temperature': a, 'bias': b,
        'calibration': 'p = sigmoid(temperature * meanLogit + bias), meanLogit = mean of per-frame "logit" outputs',
        'thresholds': {'likelyAi': likely, 'uncertain': uncertain},
        'thresholdSemantics': 'p >= likelyAi -> "likely AI" (strongest statement this model may make); '
                              'uncertain <= p < likelyAi -> "uncertain"; p < uncertain -> no signal (never "real")',
        'aggregation': 'mean-logit', 'framesPerClip': FRAMES_PER_CLIP, 'minFramesForVerdict': 4,
    }
    json.dump(meta, open(os.path.join(REPO, 'public/models/classifier.json'), 'w'), indent=2)


if __name__ == '__main__':
    if os.environ.get('CLASSIFIER_V01') != '1':
        sys.exit('train_eval.py is the v0.1 baseline; the shipped model comes from train_head.py (npm run train)')
    main()
