#!/usr/bin/python3
"""Build models/collection/sources.tsv from fetched repository snapshots and rules.json.

Standard library only. Every media blob (all refs and history) and every folder of numbered frames in each snapshot is
listed, then the first rule of its repository whose `match` regex fits the path decides what it is (class, generator,
family, content kind, prompt group, crop of a composite) or why it is left out (`skip`). Paths no rule matches are left
out and counted, so a new snapshot never adds unlabelled items silently. The same bytes met twice (another path, another
repository) are kept once: a training item and its duplicate must never land in different folds.

Usage: build_manifest.py [--mirror-root /work/.mirror] [--out models/collection/sources.tsv] [--skipped FILE]
"""

import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VIDEO_EXT = ('.mp4', '.mov', '.webm', '.mkv', '.avi', '.gif', '.m4v', '.flv', '.mpg', '.mpeg', '.webp')
FRAME_EXT = ('.jpg', '.jpeg', '.png')
COLUMNS = ['id', 'repo', 'commit', 'path', 'blob', 'sha256', 'bytes', 'class', 'generator', 'family', 'prompt_group',
           'content', 'licence', 'kind', 'crop', 'notes']
MIN_BYTES = 4096  # smaller "media" files are Git LFS pointers or stubs
MIN_FRAMES = 10


def git(gd, *args, data=None):
    return subprocess.run(['git', '--git-dir', gd, *args], input=data, capture_output=True, check=False).stdout


def snapshot_dir(root, repo):
    gd = os.path.join(root, repo.replace('/', '+'), 'repo')
    return gd + '/.git' if os.path.isdir(gd + '/.git') else gd  # a few snapshots arrive as a work tree


def list_objects(gd):
    """(blob, path) for every object reachable from any ref, newest first; missing (large) blobs included."""
    out = git(gd, 'rev-list', '--all', '--objects', '--missing=allow-any').decode('utf8', 'replace')
    for line in out.splitlines():
        if ' ' in line:
            oid, path = line.split(' ', 1)
            yield oid, path


def sizes(gd, oids):
    if not oids:
        return {}
    out = git(gd, 'cat-file', '--batch-check', data=('\n'.join(oids) + '\n').encode()).decode()
    res = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] == 'blob':
            res[f[0]] = int(f[2])
    return res


def commits_of(gd):
    """blob -> newest commit that adds or changes it (from one pass over the whole history)."""
    out = git(gd, 'log', '--all', '--no-renames', '--raw', '--no-abbrev', '--format=C %H').decode('utf8', 'replace')
    res = {}
    cur = None
    for line in out.splitlines():
        if line.startswith('C '):
            cur = line[2:].strip()
        elif line.startswith(':'):
            meta = line.split('\t', 1)[0].split()
            if len(meta) >= 4:
                res.setdefault(meta[3], cur)
    return res


def blob_sha256(gd, oid):
    data = git(gd, 'cat-file', 'blob', oid)
    return hashlib.sha256(data).hexdigest(), data[:200]


LICENCES = [('Apache License', 'Apache-2.0'), ('MIT License', 'MIT'), ('Permission is hereby granted, free of charge', 'MIT'),
            ('Attribution-NonCommercial-ShareAlike 4.0', 'CC-BY-NC-SA-4.0'), ('Attribution-NonCommercial 4.0', 'CC-BY-NC-4.0'),
            ('Attribution 4.0 International', 'CC-BY-4.0'), ('GNU LESSER GENERAL PUBLIC', 'LGPL'),
            ('GNU GENERAL PUBLIC LICENSE', 'GPL'), ('BSD 3-Clause', 'BSD-3-Clause'),
            ('Redistribution and use in source and binary forms', 'BSD'), ('S-Lab License', 'S-Lab (non-commercial)'),
            ('Tencent', 'Tencent licence (see repository)'), ('Creative Commons', 'Creative Commons (see repository)')]


def repo_licence(gd):
    """The code licence named in the snapshot's LICENSE file at HEAD (media may be under other terms; see notes)."""
    names = git(gd, 'ls-tree', '--name-only', 'HEAD').decode('utf8', 'replace').split('\n')
    for n in names:
        if re.match(r'(?i)^(licen[sc]e|copying)(\.md|\.txt)?$', n):
            text = git(gd, 'cat-file', 'blob', f'HEAD:{n}')[:4000].decode('utf8', 'replace')
            return next((spdx for needle, spdx in LICENCES if needle.lower() in text.lower()), 'other (see LICENSE)')
    return 'none stated'


def frame_key(name):
    return [int(t) if t.isdigit() else t for t in re.split(r'(\d+)', name)]


def expand(template, m, path):
    stem = os.path.splitext(os.path.basename(path))[0]
    parent = os.path.basename(os.path.dirname(path))
    out = template.replace('{stem}', stem).replace('{parent}', parent).replace('{path}', path)
    for i, g in enumerate(m.groups(), 1):
        out = out.replace('{%d}' % i, g or '')
    return out


def reserved_repos(readme):
    """The repositories the shared data README reserves for independent evaluation, lower-cased. They are read from
    there, not copied into this project, and the manifest cannot be built without it: a rule for one of them stops
    the build."""
    if not os.path.exists(readme):
        sys.exit(f'{readme} is absent: it names the repositories reserved for independent evaluation')
    text = open(readme).read()
    m = re.search(r'Reserved for independent evaluation:.*?:(.*?)(?:\n\s*\n|$)', text, re.S)
    if not m:
        sys.exit(f'{readme} has no "Reserved for independent evaluation" paragraph')
    names = re.findall(r'[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+', m.group(1))
    if not names:
        sys.exit(f'{readme} names no reserved repository')
    return {n.rstrip('.').lower() for n in names}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mirror-root', default=os.environ.get('MIRROR_ROOT', '/work/.mirror'))
    ap.add_argument('--rules', default=os.path.join(HERE, 'rules.json'))
    ap.add_argument('--out', default=os.path.join(HERE, 'sources.tsv'))
    ap.add_argument('--sources-readme', default=os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'sources', 'README.md'),
                    help='the shared data README that names the repositories reserved for independent evaluation')
    ap.add_argument('--skipped', default=None, help='write left-out paths and why (for reviewing rules)')
    args = ap.parse_args()
    rules = json.load(open(args.rules))
    reserved = reserved_repos(args.sources_readme)
    rows, skipped, missing = [], [], []
    seen_sha = {}
    known = {}  # blob -> sha256 from the previous manifest: hashing every blob again takes minutes
    if os.path.exists(args.out):
        with open(args.out) as f:
            head = f.readline().rstrip('\n').split('\t')
            for line in f:
                row = dict(zip(head, line.rstrip('\n').split('\t')))
                if row.get('kind') != 'frames':
                    known[row['blob']] = row['sha256']
    for repo, spec in rules['repos'].items():
        if repo.lower() in reserved:
            sys.exit(f'rules.json lists {repo}, which {args.sources_readme} reserves for independent evaluation')
        gd = snapshot_dir(args.mirror_root, repo)
        if not os.path.isdir(gd):
            missing.append(repo)
            continue
        compiled = [(re.compile(r['match']), r) for r in spec['rules']]
        licence = spec.get('licence') or repo_licence(gd)
        objs = list(list_objects(gd))
        size = sizes(gd, [o for o, p in objs if p.lower().endswith(VIDEO_EXT + FRAME_EXT)])
        blob_commit = commits_of(gd)
        candidates = []  # (kind, path, blob, bytes, frames)
        seen_path = set()
        for oid, path in objs:
            if path.lower().endswith(VIDEO_EXT) and size.get(oid, 0) >= MIN_BYTES and path not in seen_path:
                seen_path.add(path)  # newest version of a path only: older ones are re-encodes of the same clip
                candidates.append(('file', path, oid, size[oid], None))
        folders = collections.defaultdict(dict)
        for oid, path in objs:
            if path.lower().endswith(FRAME_EXT) and oid in size and re.search(r'\d', os.path.basename(path)):
                folders[os.path.dirname(path)].setdefault(os.path.basename(path), oid)
        for d, frames in folders.items():
            if len(frames) >= MIN_FRAMES and spec.get('frame_folders'):
                names = sorted(frames, key=frame_key)
                candidates.append(('frames', d, None, sum(size[frames[n]] for n in names), [frames[n] for n in names]))
        for kind, path, oid, nbytes, frames in sorted(candidates, key=lambda c: c[1]):
            rule, m = next(((r, m) for rx, r in compiled if (m := rx.search(path))), (None, None))
            if rule is None:
                skipped.append((repo, path, 'no rule'))
                continue
            if 'skip' in rule:
                skipped.append((repo, path, rule['skip']))
                continue
            if kind == 'file':
                sha, head = (known[oid], b'') if oid in known else blob_sha256(gd, oid)
                if head.startswith(b'version https://git-lfs'):
                    skipped.append((repo, path, 'LFS pointer'))
                    continue
                commit = blob_commit.get(oid, '')
            else:
                h = hashlib.sha256()
                for f in frames:
                    h.update(bytes.fromhex(blob_sha256(gd, f)[0]))
                sha = h.hexdigest()
                commit = next((blob_commit[f] for f in frames if f in blob_commit), '')
                oid = git(gd, 'rev-parse', f'{commit}:{path}').decode().strip() if commit else ''
            items = rule.get('items', [{}])
            for sub in items:
                r = {**rule, **sub}
                crop = r.get('crop', '')
                key = (sha, crop)
                if key in seen_sha:
                    skipped.append((repo, path, f'duplicate of {seen_sha[key]}'))
                    continue
                slug = re.sub(r'[^A-Za-z0-9._-]+', '_', path)[-80:]
                item_id = f"{repo.replace('/', '+')}:{slug}" + (f"#{r['part']}" if r.get('part') else '')
                seen_sha[key] = item_id
                rows.append({
                    'id': item_id, 'repo': repo, 'commit': commit, 'path': path, 'blob': oid, 'sha256': sha,
                    'bytes': str(nbytes), 'class': r['class'], 'generator': expand(r.get('generator', 'camera'), m, path),
                    'family': expand(r.get('family', 'real'), m, path),
                    'prompt_group': expand(r.get('group', f"{repo}:{{path}}"), m, path),
                    'content': r.get('content', spec.get('content', 'other')),
                    'licence': r.get('licence', licence),
                    'kind': 'frames' if kind == 'frames' else os.path.splitext(path)[1].lower().lstrip('.'),
                    'crop': crop, 'notes': expand(r.get('notes', ''), m, path),
                })
    with open(args.out, 'w') as f:
        f.write('\t'.join(COLUMNS) + '\n')
        for row in sorted(rows, key=lambda r: (r['repo'], r['path'], r['id'])):
            f.write('\t'.join(row[c].replace('\t', ' ') for c in COLUMNS) + '\n')
    if args.skipped:
        with open(args.skipped, 'w') as f:
            for s in skipped:
                f.write('\t'.join(s) + '\n')
    cls = collections.Counter(r['class'] for r in rows)
    print(f"{len(rows)} items: {cls['ai']} ai ({len({r['family'] for r in rows if r['class'] == 'ai'})} families, "
          f"{len({r['generator'] for r in rows if r['class'] == 'ai'})} generators), {cls['real']} real "
          f"({len({r['repo'] for r in rows if r['class'] == 'real'})} repositories); {len(skipped)} left out")
    if missing:
        print('snapshots missing (fetch them, e.g. with the fetch tool: github:<owner>/<name>):\n  ' + '\n  '.join(missing),
              file=sys.stderr)
        sys.exit(2)


if __name__ == '__main__':
    main()
