#!/usr/bin/env bash
# Builds the npm package into pkg/: release WebAssembly, wasm-bindgen (target
# web, out-name sealmatch_core), wasm-opt -O3 from npm's binaryen, twice: with
# WebAssembly SIMD (sealmatch_core_bg.wasm, the rustflags of .cargo/config.toml)
# and without (sealmatch_core_nosimd_bg.wasm, for engines without SIMD; built
# in its own target dir so the two builds do not invalidate each other; the
# wasm-bindgen JS glue of both builds must be byte-identical, checked here);
# and the
# hand-written entry points, types, manifest and README from npm/, and the face
# weights file (converted by scripts/face-models.mjs from the npm devDependency
# @vladmandic/face-api; `npm ci` from `make setup` installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=pkg
WASM=target/wasm32-unknown-unknown/release/sealmatch.wasm
WASM_OPT=node_modules/.bin/wasm-opt

NOSIMD_TARGET=target/wasm-nosimd
NOSIMD_WASM=$NOSIMD_TARGET/wasm32-unknown-unknown/release/sealmatch.wasm

cargo build --release --target wasm32-unknown-unknown -p sealmatch --lib
# The same code without SIMD: RUSTFLAGS replaces the config's rustflags.
RUSTFLAGS="" cargo build --release --target wasm32-unknown-unknown -p sealmatch --lib \
  --target-dir "$NOSIMD_TARGET"

if [ ! -x "$WASM_OPT" ]; then
  echo "build-pkg: $WASM_OPT is missing; run 'make setup' (npm ci installs binaryen)" >&2
  exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"
NOSIMD_OUT=$(mktemp -d)
trap 'rm -rf "$NOSIMD_OUT"' EXIT
wasm-bindgen "$WASM" --target web --out-dir "$OUT" --out-name sealmatch_core --no-typescript
wasm-bindgen "$NOSIMD_WASM" --target web --out-dir "$NOSIMD_OUT" --out-name sealmatch_core --no-typescript
if ! cmp -s "$OUT/sealmatch_core.js" "$NOSIMD_OUT/sealmatch_core.js"; then
  echo "build-pkg: the wasm-bindgen glue of the SIMD and non-SIMD builds differs;" \
    "the entry modules share one glue file, so both builds must export the same things" >&2
  diff "$OUT/sealmatch_core.js" "$NOSIMD_OUT/sealmatch_core.js" | head -20 >&2
  exit 1
fi

# Features that rustc enables by default for wasm32-unknown-unknown (those
# npm/engine-caps.js probes at init(), bar mutable globals, which the module
# neither imports nor exports), and SIMD for the SIMD build. wasm-opt also
# honours a target_features section in its input, so the check below, not
# this list, is what shows the non-SIMD module holds no SIMD.
BASE_FEATURES=(--mvp-features --enable-bulk-memory --enable-mutable-globals --enable-sign-ext
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
"$WASM_OPT" -O3 "${BASE_FEATURES[@]}" --enable-simd \
  "$OUT/sealmatch_core_bg.wasm" -o "$OUT/sealmatch_core_bg.wasm"
"$WASM_OPT" -O3 "${BASE_FEATURES[@]}" --strip-target-features \
  "$NOSIMD_OUT/sealmatch_core_bg.wasm" -o "$OUT/sealmatch_core_nosimd_bg.wasm"
# No 128-bit vector type or instruction may be left in the non-SIMD module
# (the data segments, which may hold any bytes, are left out of the search).
if "$(dirname "$WASM_OPT")/wasm-dis" "$OUT/sealmatch_core_nosimd_bg.wasm" | grep -v '^ (data ' | grep -q 'v128'; then
  echo "build-pkg: sealmatch_core_nosimd_bg.wasm contains SIMD instructions" >&2
  exit 1
fi

node scripts/face-models.mjs target/face/sealmatch-face.bin
cp target/face/sealmatch-face.bin "$OUT/sealmatch-face.bin"
cp npm/api.js npm/engine-caps.js npm/sealmatch.js npm/sealmatch.node.js npm/sealmatch.d.ts npm/messages.js npm/messages.d.ts npm/README.md "$OUT/"
cp -r npm/scanners "$OUT/scanners"
# The manifest, with the crate's version.
VERSION=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
node -e '
  const fs = require("fs");
  const m = JSON.parse(fs.readFileSync("npm/package.json", "utf8"));
  m.version = process.argv[1];
  fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");
' "$VERSION" "$OUT/package.json"

for f in sealmatch_core_bg.wasm sealmatch_core_nosimd_bg.wasm; do
  echo "pkg: $f $(stat -c %s "$OUT/$f") bytes raw, $(gzip -9 -c "$OUT/$f" | wc -c) bytes gzip -9"
done
echo "pkg: sealmatch-face.bin $(stat -c %s "$OUT/sealmatch-face.bin") bytes (loaded by initFace only)"
