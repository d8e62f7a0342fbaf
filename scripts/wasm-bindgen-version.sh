#!/usr/bin/env bash
# Prints the wasm-bindgen version that Cargo.lock pins (the CLI must match it).
set -euo pipefail
cd "$(dirname "$0")/.."
awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
