#!/usr/bin/env bash
# `npm run train`: rebuild the shipped frame classifier from ../shared/data, end to end:
#   decode -> backbone weights -> frozen features (+ augmented and robustness views) -> grouped CV, controls,
#   calibration, sensitivity thresholds -> final head -> ONNX export -> held-out Node evaluation -> EVAL.md
# Needs: Debian python3-torch python3-onnx python3-sklearn python3-numpy python3-pil, ffmpeg, node_modules.
# The MobileNetV2 weights come from the nsfwjs 4.3.0 package (MIT), fetched with `npm pack` into the cache
# (set NSFWJS_TGZ to use a tarball you already have). Everything derived from media or from nsfwjs stays in
# $CLASSIFIER_CACHE (default /tmp/provenance-lens-classifier-cache), outside the repository; delete it (or set
# CLASSIFIER_REBUILD=1) to decode again. Uses /usr/bin/python3 (Debian's, which has torch 1.13 CPU).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
CACHE="${CLASSIFIER_CACHE:-/tmp/provenance-lens-classifier-cache}"
export CLASSIFIER_CACHE="$CACHE"
SIZE=$($PY -c 'import sys; sys.path.insert(0, "models/classifier"); import common; print(common.SIZE)')
if [ ! -f "$CACHE/items.json" ] || [ "${CLASSIFIER_REBUILD:-0}" = 1 ]; then
  rm -rf "$CACHE"
  $PY models/classifier/build_dataset.py
fi
if [ ! -f "$CACHE/backbone/weights.f32" ]; then
  TGZ="${NSFWJS_TGZ:-}"
  if [ -z "$TGZ" ]; then
    mkdir -p "$CACHE/nsfwjs"
    (cd "$CACHE/nsfwjs" && npm pack nsfwjs@4.3.0 >/dev/null)
    TGZ="$CACHE/nsfwjs/nsfwjs-4.3.0.tgz"
  fi
  node models/classifier/extract_backbone.mjs "$TGZ" "$CACHE/backbone"
fi
[ -f "$CACHE/features_$SIZE.npz" ] || $PY models/classifier/features.py
$PY models/classifier/train_head.py
$PY models/classifier/sensitivity.py
node scripts/bench/classifier-node.mjs 30
$PY models/classifier/report.py
$PY models/classifier/experiments.py
npx vite-node scripts/eval-classifier.ts -- --folds "$CACHE/folds/folds.json" --out models/classifier/eval-heldout.tsv \
  ../shared/data | tee models/classifier/EVAL-node.txt
npx vitest run --project unit tests/unit/classifier
npx prettier --write models/classifier tests/unit/classifier public/models/classifier.json >/dev/null
