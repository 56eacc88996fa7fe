"""Alternatives to the shipped head, scored by the same grouped cross-validation, to see whether any of them gets
near the issue's floor (mean held-out-group AUROC >= 0.85). Reads the cache built by `npm run train`
(CACHE/items.json, CACHE/features_<S>.npz) and writes models/classifier/EXPERIMENTS.md.

Run: /usr/bin/python3 models/classifier/experiments.py  (about 10 minutes on two cores after `npm run train`)

Every family below sees only what the extension sends (the contract view: long side <= 256, JPEG 0.85, border and
letterbox crop, short side -> S) and every number is out-of-fold at clip level, like EVAL.md.
"""
import json
import os
import sys
import time

import numpy as np
from scipy.ndimage import median_filter
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backbone import TAPS_ALL, feature_slices  # noqa: E402
from common import CACHE, ROOT, SEED, SIZE, seed_everything  # noqa: E402
from train_eval import control_oof, make_folds, metadata_features  # noqa: E402
from train_head import summarize  # noqa: E402

seed_everything()
TAPS = list(TAPS_ALL)
SLICES = feature_slices(TAPS)


def cols(taps):
    return np.concatenate([np.arange(*SLICES[t]) for t in taps])


def score(y, s, folds, k, groups):
    """The metrics of EVAL.md (train_head.summarize): pooled AUROC, mean fold AUROC, mean AUROC per held-out AI
    group vs all real clips, and that per group."""
    r = summarize(y, s, folds, k, groups, None)
    return {'pooled': r['pooled_auc'], 'mean_fold': r['mean_fold_auc'], 'mean_group': r['mean_group_auc_vs_all_real'],
            'per_group': {g['group']: g['auc_vs_all_real'] for g in r['per_group']}}


def clip_rows(view, clip_idx, n, c, with_std):
    out = []
    for i in range(n):
        fr = view[clip_idx == i][:, c]
        out.append(np.concatenate([fr.mean(0), fr.std(0)]) if with_std else fr.mean(0))
    return np.array(out)


def clip_level(F, clip_idx, y, folds, k, taps, C, with_std):
    """One row per clip (mean, optionally std, of its frames' features); the augmented views add rows."""
    n, c = len(y), cols(taps)
    Xe = clip_rows(F['eval'], clip_idx, n, c, with_std)
    Xa = [clip_rows(F['aug'][:, j], clip_idx, n, c, with_std) for j in range(F['aug'].shape[1])]
    s = np.zeros(n)
    for f in range(k):
        tr, te = folds != f, folds == f
        X = np.concatenate([Xe[tr]] + [a[tr] for a in Xa])
        Y = np.concatenate([y[tr]] * (1 + len(Xa)))
        w = np.where(Y == 1, 0.5 / Y.mean(), 0.5 / (1 - Y.mean()))
        m = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000))
        m.fit(X, Y, logisticregression__sample_weight=w)
        s[te] = m.decision_function(Xe[te])
    return s


def straightness(view, clip_idx, n, taps):
    """Trajectory of a clip's frame embeddings (ReStraV-style): curvature angles between successive displacement
    vectors, step size, step irregularity, chord/path ratio and spread. Clips with < 3 frames get NaN."""
    c = cols(taps)
    sc = StandardScaler().fit(view[:, c])
    out = []
    for i in range(n):
        E = sc.transform(view[clip_idx == i][:, c])
        if len(E) < 3:
            out.append([np.nan] * 6)
            continue
        D = np.diff(E, axis=0)
        dn = np.linalg.norm(D, axis=1)
        cos = (D[:-1] * D[1:]).sum(1) / np.maximum(dn[:-1] * dn[1:], 1e-9)
        th = np.arccos(np.clip(cos, -1, 1))
        out.append([th.mean(), th.std(), np.log(dn.mean() + 1e-6), dn.std() / (dn.mean() + 1e-9),
                    np.linalg.norm(E[-1] - E[0]) / (dn.sum() + 1e-9),
                    np.log(np.linalg.norm(E - E.mean(0), axis=1).mean() + 1e-6)])
    return np.array(out)


def residual_features(pixels):
    """Hand-made pixel statistics of each contract frame: radial power spectrum of luma (16 bins), NPR-style
    residuals (frame minus its 2x down/up-sampled copy) and median-filter noise residuals per channel, and the
    neighbour correlation of the noise residual."""
    yy, xx = np.mgrid[-SIZE // 2:SIZE // 2, -SIZE // 2:SIZE // 2]
    rad = np.sqrt(yy ** 2 + xx ** 2)
    edges = np.linspace(0, SIZE // 2, 17)
    win = np.outer(np.hanning(SIZE), np.hanning(SIZE))
    rings = [(rad >= lo) & (rad < hi) for lo, hi in zip(edges[:-1], edges[1:])]
    out = []
    for a in pixels.astype(np.float32):
        L = a @ np.array([0.299, 0.587, 0.114], np.float32)
        P = np.abs(np.fft.fftshift(np.fft.fft2((L - L.mean()) * win))) ** 2
        spec = np.log(np.array([P[r].mean() for r in rings]) + 1e-6)
        row = list(spec - spec[:4].mean())
        for ch in range(3):
            x = a[..., ch]
            up = np.repeat(np.repeat(x.reshape(SIZE // 2, 2, SIZE // 2, 2).mean((1, 3)), 2, 0), 2, 1)
            r, m = x - up, x - median_filter(x, 3)
            row += [np.log(np.abs(r).mean() + 1e-3), np.log(r.std() + 1e-3),
                    ((r - r.mean()) ** 4).mean() / (r.var() ** 2 + 1e-6),
                    np.log(np.abs(m).mean() + 1e-3), ((m - m.mean()) ** 4).mean() / (m.var() ** 2 + 1e-6)]
        r = L - median_filter(L, 3)
        for u, v in ((r[:, :-1], r[:, 1:]), (r[:-1], r[1:])):
            row.append(np.corrcoef(u.ravel(), v.ravel())[0, 1] if u.std() > 0 and v.std() > 0 else 0.0)
        out.append(row)
    return np.nan_to_num(np.array(out))


def frame_level(X, clip_idx, y, folds, k, C, groups=None):
    """Logistic regression on frames (clip-balanced weights, or group-balanced where `groups` is given: each
    repository then weighs the same within its class); clip score = mean frame logit."""
    n = len(y)
    Yf = y[clip_idx]
    w = 1.0 / np.bincount(clip_idx, minlength=n)[clip_idx]
    if groups is not None:
        size = {g: groups.count(g) for g in set(groups)}
        w = w / np.array([size[groups[c]] for c in clip_idx])
    w = w * np.where(Yf == 1, 0.5 / w[Yf == 1].sum(), 0.5 / w[Yf == 0].sum()) * len(w)
    s = np.zeros(n)
    for f in range(k):
        tr = np.isin(clip_idx, np.where(folds != f)[0])
        m = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000))
        m.fit(X[tr], Yf[tr], logisticregression__sample_weight=w[tr])
        z = m.decision_function(X)
        for c in np.where(folds == f)[0]:
            s[c] = z[clip_idx == c].mean()
    return s


def clip_table(T, y, folds, k):
    """Logistic regression on per-clip features, NaN replaced by the training median."""
    s = np.zeros(len(y))
    for f in range(k):
        tr, te = folds != f, folds == f
        med = np.nanmedian(T[tr], 0)
        X = np.where(np.isnan(T), med, T)
        m = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000)).fit(X[tr], y[tr])
        s[te] = m.decision_function(X[te])
    return s


def main():
    t0 = time.time()
    items = json.load(open(os.path.join(CACHE, 'items.json')))
    d = np.load(os.path.join(CACHE, f'features_{SIZE}.npz'))
    F = {'eval': d['eval'], 'aug': d['aug']}
    clip_idx = d['clip_idx']
    y = np.array([it['label'] for it in items])
    folds, groups, k = make_folds(items)
    n = len(y)
    shipped = json.load(open(os.path.join(ROOT, 'results.json')))
    rows = []

    def add(family, variant, s):
        r = score(y, s, folds, k, groups)
        rows.append({'family': family, 'variant': variant, **r})
        print(f"{family} / {variant}: pooled {r['pooled']:.3f} fold {r['mean_fold']:.3f} "
              f"group {r['mean_group']:.3f} ({time.time() - t0:.0f}s)", flush=True)

    cv = shipped['cv']
    rows.append({'family': 'shipped head (EVAL.md)', 'variant': f"{shipped['chosen']}, frames, contract + augmented "
                 'views', 'pooled': cv['pooled_auc'], 'mean_fold': cv['mean_fold_auc'],
                 'mean_group': cv['mean_group_auc_vs_all_real'],
                 'per_group': {g['group']: g['auc_vs_all_real'] for g in cv['per_group']}})
    meta = metadata_features(items)
    add('control', 'metadata of the raw files, logistic', control_oof(
        meta, y, folds, k, lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))))
    add('frame-level head', 'all taps, contract view only (no augmentation)',
        frame_level(F['eval'][:, cols(TAPS)], clip_idx, y, folds, k, 0.02))
    add('frame-level head', 'all taps, contract view only, group-balanced weights',
        frame_level(F['eval'][:, cols(TAPS)], clip_idx, y, folds, k, 0.02, groups))
    for taps_name, taps in (('all taps', TAPS), ('taps up to block 15', TAPS[:5])):
        for with_std in (False, True):
            add('clip-level head', f"{taps_name}, mean{' + std' if with_std else ''} over frames, C=0.01",
                clip_level(F, clip_idx, y, folds, k, taps, 0.01, with_std))
    for tap in ('block_9_add', 'block_15_add', 'out_relu'):
        add('temporal straightness', f'{tap} trajectory (6 features)',
            clip_table(straightness(F['eval'], clip_idx, n, [tap]), y, folds, k))
    hand = residual_features(d['eval_pixels'])
    add('pixel residuals', 'spectrum + NPR + noise residual statistics (33 features), C=1',
        frame_level(hand, clip_idx, y, folds, k, 1.0))
    add('pixel residuals', 'radial spectrum only (16 bins), C=0.1', frame_level(hand[:, :16], clip_idx, y, folds, k, 0.1))
    add('backbone + pixel residuals', 'all taps + 33 residual features, contract view only, C=0.02',
        frame_level(np.concatenate([F['eval'][:, cols(TAPS)], hand], 1), clip_idx, y, folds, k, 0.02))

    f3 = lambda x: 'n/a' if x != x else f'{x:.3f}'  # noqa: E731
    ai_groups = sorted(rows[0]['per_group'])
    L = ['# Frame classifier: alternatives tried (generated by `experiments.py`, do not edit)', '',
         'Same data, folds and metrics as EVAL.md (out-of-fold clip scores; "per group" = each held-out AI group '
         'against every real clip; "fold" = held-out AI group against the real repositories held out with it). '
         f'Seed {SEED}. Families were compared on the same folds, so the best of them is slightly optimistic.', '',
         '| family | variant | pooled AUROC | mean fold AUROC | mean AUROC per held-out AI group |', '|---|---|---|---|---|']
    for r in rows:
        L.append(f"| {r['family']} | {r['variant']} | {f3(r['pooled'])} | {f3(r['mean_fold'])} | "
                 f"{f3(r['mean_group'])} |")
    L += ['', '## Per held-out AI group', '', '| family / variant | ' + ' | '.join(g[3:] for g in ai_groups) + ' |',
          '|---|' + '---|' * len(ai_groups)]
    for r in rows:
        L.append(f"| {r['family']} / {r['variant']} | " + ' | '.join(f3(r['per_group'][g]) for g in ai_groups) + ' |')
    L.append('')
    open(os.path.join(ROOT, 'EXPERIMENTS.md'), 'w').write('\n'.join(L))
    print(f'wrote EXPERIMENTS.md in {time.time() - t0:.0f}s')


if __name__ == '__main__':
    main()
