#!/usr/bin/env bash
# Builds the npm package into pkg/: release WebAssembly, wasm-bindgen (target
# web, out-name sealmatch_core), wasm-opt -O3 from npm's binaryen, and the
# hand-written entry points, types, manifest and README from npm/, and the face
# weights file (converted by scripts/face-models.mjs from the npm devDependency
# @vladmandic/face-api; `npm ci` from `make setup` installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=pkg
WASM=target/wasm32-unknown-unknown/release/sealmatch.wasm
WASM_OPT=node_modules/.bin/wasm-opt

cargo build --release --target wasm32-unknown-unknown -p sealmatch --lib

rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen "$WASM" --target web --out-dir "$OUT" --out-name sealmatch_core --no-typescript

if [ ! -x "$WASM_OPT" ]; then
  echo "build-pkg: $WASM_OPT is missing; run 'make setup' (npm ci installs binaryen)" >&2
  exit 1
fi
# Features that rustc enables by default for wasm32-unknown-unknown, and SIMD
# (enabled in .cargo/config.toml).
"$WASM_OPT" -O3 \
  --enable-simd --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$OUT/sealmatch_core_bg.wasm" -o "$OUT/sealmatch_core_bg.wasm"

node scripts/face-models.mjs target/face/sealmatch-face.bin
cp target/face/sealmatch-face.bin "$OUT/sealmatch-face.bin"
cp npm/api.js npm/sealmatch.js npm/sealmatch.node.js npm/sealmatch.d.ts npm/messages.js npm/messages.d.ts npm/README.md "$OUT/"
cp -r npm/scanners "$OUT/scanners"
# The manifest, with the crate's version.
VERSION=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
node -e '
  const fs = require("fs");
  const m = JSON.parse(fs.readFileSync("npm/package.json", "utf8"));
  m.version = process.argv[1];
  fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");
' "$VERSION" "$OUT/package.json"

RAW=$(stat -c %s "$OUT/sealmatch_core_bg.wasm")
GZ=$(gzip -9 -c "$OUT/sealmatch_core_bg.wasm" | wc -c)
echo "pkg: sealmatch_core_bg.wasm $RAW bytes raw, $GZ bytes gzip -9"
echo "pkg: sealmatch-face.bin $(stat -c %s "$OUT/sealmatch-face.bin") bytes (loaded by initFace only)"
