#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there:
# the wasm32 target, wasm-bindgen-cli at the version Cargo.lock pins, Debian's
# chromium + chromium-driver, and the npm dev tools (binaryen, jose, vite, typescript,
# playwright-core) from package-lock.json. Never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# 1. Rust target for WebAssembly.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli, at exactly the wasm-bindgen version in Cargo.lock.
WB_VERSION=$(scripts/wasm-bindgen-version.sh)
if command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WB_VERSION" ]; then
  say "wasm-bindgen $WB_VERSION present"
else
  say "installing wasm-bindgen-cli $WB_VERSION (a few minutes)"
  # Not --locked: one of its locked dependencies is missing from the registry here.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 3. Debian's Chromium and ChromeDriver, for the browser tests.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium and chromedriver present"
else
  say "installing Debian's chromium and chromium-driver"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver
fi

# 4. npm dev tools, exactly as package-lock.json records them.
if [ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/.bin/vite ] \
  && [ -d node_modules/jose ] && [ -d node_modules/playwright-core ] && [ -d node_modules/typescript ] \
  && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  say "npm dev tools present"
else
  say "installing npm dev tools (npm ci)"
  npm ci --no-audit --no-fund
fi
