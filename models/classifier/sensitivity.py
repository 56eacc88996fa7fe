"""Writes the sensitivity levels of public/models/classifier.json with what each costs on out-of-fold clip scores.

Reads models/classifier/results.json (written by train_head.py: cv.oof holds one calibrated score `p` per
clip, scored by a model that never saw that clip's repository; cv.sensitivity the levels train_head.py chose).
Where cv.sensitivity is absent (a results.json of the v0.1 trainer, which only had cv.thresholds), the levels are
derived here:

- balanced: the shipped thresholds (likelyAi above every real clip's score; uncertain at the 90th
  percentile of real scores);
- conservative: likelyAi half-way from balanced's to 1 (cap 0.99); uncertain at the 97.5th percentile of
  real scores (never below balanced's);
- eager: likelyAi at the 95th percentile of real scores; uncertain at the 75th percentile.

Each level also records what it cost and caught on those clips (share of real and of AI clips at or above
each threshold), which the options page quotes. Run after train_eval.py: /usr/bin/python3 sensitivity.py
"""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(ROOT, '..', '..'))


def levels(real, balanced):
    conservative_likely = min(0.99, (balanced['likelyAi'] + 1) / 2)
    return {
        'conservative': {
            'likelyAi': conservative_likely,
            'uncertain': min(conservative_likely, max(balanced['uncertain'], float(np.quantile(real, 0.975)))),
        },
        'balanced': {'likelyAi': balanced['likelyAi'], 'uncertain': balanced['uncertain']},
        'eager': {
            'likelyAi': min(balanced['likelyAi'], float(np.quantile(real, 0.95))),
            'uncertain': min(balanced['uncertain'], float(np.quantile(real, 0.75))),
        },
    }


def main():
    cv = json.load(open(os.path.join(ROOT, 'results.json')))['cv']
    p = np.array([o['p'] for o in cv['oof']])
    y = np.array([o['label'] for o in cv['oof']])
    real, ai = p[y == 0], p[y == 1]
    out = {}
    chosen = cv.get('sensitivity') or levels(real, cv['thresholds'])
    for name, t in chosen.items():
        t = {'likelyAi': t['likelyAi'], 'uncertain': t['uncertain']}
        out[name] = {
            **t,
            'measured': {
                'realClips': int(len(real)),
                'aiClips': int(len(ai)),
                'realAtLikelyAi': float((real >= t['likelyAi']).mean()),
                'realAtUncertain': float((real >= t['uncertain']).mean()),
                'aiAtLikelyAi': float((ai >= t['likelyAi']).mean()),
                'aiAtUncertain': float((ai >= t['uncertain']).mean()),
            },
        }
    path = os.path.join(REPO, 'public/models/classifier.json')
    meta = json.load(open(path))
    meta['sensitivity'] = out
    meta['sensitivityBasis'] = ('Out-of-fold clip scores of the grouped cross-validation (models/classifier/EVAL.md); '
                                'measured.* = share of real / AI clips scored at or above each threshold.')
    json.dump(meta, open(path, 'w'), indent=2)
    for name, level in out.items():
        print(name, {k: round(v, 4) for k, v in level.items() if k != 'measured'}, level['measured'])


if __name__ == '__main__':
    main()
