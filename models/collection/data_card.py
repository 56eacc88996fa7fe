#!/usr/bin/python3
"""Writes the count tables of models/collection/DATA_CARD.md from sources.tsv and control.json.

The card's prose lives in DATA_CARD.md itself; this script replaces what lies between the markers
`<!-- counts:begin -->` and `<!-- counts:end -->`, so the numbers always match the manifest.
"""

import collections
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def read_tsv(path):
    with open(path) as f:
        head = f.readline().rstrip('\n').split('\t')
        return [dict(zip(head, line.rstrip('\n').split('\t'))) for line in f if line.strip()]


def table(title, counter_ai, counter_real, key_name):
    keys = sorted(set(counter_ai) | set(counter_real), key=lambda k: (-(counter_ai[k] + counter_real[k]), k))
    out = [f'### {title}', '', f'| {key_name} | AI | real |', '|---|---:|---:|']
    out += [f'| {k} | {counter_ai[k]} | {counter_real[k]} |' for k in keys]
    return out + ['']


def main():
    rows = read_tsv(os.path.join(HERE, 'sources.tsv'))
    ai = [r for r in rows if r['class'] == 'ai']
    real = [r for r in rows if r['class'] == 'real']
    C = collections.Counter
    lines = [
        f'**{len(ai)} AI items** from {len({r["generator"] for r in ai})} generators in {len({r["family"] for r in ai})} '
        f'families and {len({r["repo"] for r in ai})} repositories; **{len(real)} real items** from '
        f'{len({r["repo"] for r in real})} repositories. {len(rows)} items in all, '
        f'{len({r["prompt_group"] for r in rows})} prompt groups, '
        f'{len({r["prompt_group"] for r in rows if r["prompt_group"].startswith("pair:")})} real/AI pair groups '
        f'({sum(r["prompt_group"].startswith("pair:") for r in rows)} items).',
        '',
    ]
    lines += table('Per generator (AI)', C(r['generator'] + ' (' + r['family'] + ')' for r in ai), C(), 'generator (family)')
    lines += table('Per content kind', C(r['content'] for r in ai), C(r['content'] for r in real), 'content')
    lines += table('Per format as stored', C(r['kind'] for r in ai), C(r['kind'] for r in real), 'format')
    lines += table('Per source repository', C(r['repo'] for r in ai), C(r['repo'] for r in real), 'repository')
    lines += table('Per code licence of the source repository', C(r['licence'] for r in ai), C(r['licence'] for r in real),
                   'licence')
    ctl_path = os.path.join(HERE, 'control.json')
    if os.path.exists(ctl_path):
        c = json.load(open(ctl_path))
        b, a = c['before_normalisation'], c['after_normalisation']
        lines += ['### Format-only control', '',
                  f'{c["items"]} normalised items ({c["ai"]} AI, {c["real"]} real), {a["folds"]} folds held out by '
                  f'generator family; {c["model"]}.', '',
                  '| | pooled AUROC (logistic) | mean AUROC per held-out fold (logistic) | pooled AUROC (kNN) |',
                  '|---|---:|---:|---:|',
                  f'| before normalisation | {b["pooled_auroc"]} | {b["mean_fold_auroc"]} | {b["pooled_auroc_knn15"]} |',
                  f'| after normalisation | {a["pooled_auroc"]} | {a["mean_fold_auroc"]} | {a["pooled_auroc_knn15"]} |']
        for key, label in (('before_normalisation_without_size', 'before, without size and bitrate'),
                           ('after_normalisation_without_size', 'after, without size and bitrate')):
            if key in c:
                v = c[key]
                lines.append(f'| {label} | {v["pooled_auroc"]} | {v["mean_fold_auroc"]} | {v["pooled_auroc_knn15"]} |')
        lines += ['',
                  'Largest weights, before: ' + ', '.join(f'{n} {w}' for n, w in b['largest_weights_in_full_fit']) +
                  '; after: ' + ', '.join(f'{n} {w}' for n, w in a['largest_weights_in_full_fit']) + '.', '']
    card = os.path.join(HERE, 'DATA_CARD.md')
    text = open(card).read()
    begin, end = '<!-- counts:begin -->', '<!-- counts:end -->'
    i, j = text.index(begin) + len(begin), text.index(end)
    with open(card, 'w') as f:
        f.write(text[:i] + '\n' + '\n'.join(lines) + text[j:])
    print(f'{card}: {len(ai)} AI, {len(real)} real')


if __name__ == '__main__':
    main()
