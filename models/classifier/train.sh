#!/usr/bin/env bash
# Rebuild the shipped frame classifier from ../shared/data, end to end:
#   decode -> grouped CV + controls + calibration -> final training -> ONNX export -> speed -> EVAL.md
# Needs: apt-get install -y python3-torch python3-onnx python3-sklearn python3-numpy python3-pil ffmpeg; npm ci.
# Decoded frames are cached OUTSIDE the repo in $CLASSIFIER_CACHE (default /tmp/provenance-lens-classifier-cache);
# delete it to force a fresh decode. Uses /usr/bin/python3 (Debian's, which has torch 1.13 CPU).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
CACHE="${CLASSIFIER_CACHE:-/tmp/provenance-lens-classifier-cache}"
if [ ! -f "$CACHE/items.json" ] || [ "${CLASSIFIER_REBUILD:-0}" = 1 ]; then
  rm -rf "$CACHE"
  $PY models/classifier/build_dataset.py
fi
$PY models/classifier/train_eval.py
node models/classifier/bench.mjs 50
node models/classifier/final_check.mjs
$PY models/classifier/report.py
npx vitest run --project unit tests/unit/classifier
npx prettier --write models/classifier tests/unit/classifier >/dev/null
