#!/usr/bin/env bash
# Installs the face benchmark's peers when they are absent (run by run.mjs,
# i.e. `make bench`): face-api.js and tfjs-wasm with `npm ci` in bench/face,
# dlib through face-recognition in the venv target/face-venv (prebuilt
# wheels, no compiler). Never fails: a peer that cannot install is a column
# that says "skipped" (run.mjs checks what is there).
cd "$(dirname "$0")/../.." || exit 0

if [ -d bench/face/node_modules/@vladmandic/face-api ] && [ -d bench/face/node_modules/jpeg-js ] \
  && [ bench/face/node_modules/.package-lock.json -nt bench/face/package-lock.json ]; then :; else
  echo "face bench: installing face-api.js (npm ci in bench/face)" >&2
  (cd bench/face && npm ci --no-audit --no-fund >&2) \
    || echo "face bench: npm ci in bench/face failed; face-api.js will be skipped" >&2
fi

VENV=target/face-venv
if ! "$VENV/bin/python" -c 'import face_recognition' 2>/dev/null; then
  echo "face bench: installing dlib (face-recognition) into $VENV" >&2
  { python3 -m venv "$VENV" \
    && "$VENV/bin/pip" install --quiet -r bench/face/requirements-dlib.txt \
    && "$VENV/bin/pip" install --quiet --no-deps face-recognition==1.3.0; } >&2 \
    || echo "face bench: dlib could not be installed; its column will say skipped" >&2
fi
exit 0
