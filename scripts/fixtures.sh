#!/usr/bin/env bash
# Writes the synthetic fingers the demo and the JS tests use into
# target/fixtures/synth (FINGER_IMPRESSION.png; made by sealmatch-synth, so
# the default tests need no outside data). Skips when they are already there.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/fixtures/synth
if [ -f "$OUT/.done" ]; then exit 0; fi
rm -rf "$OUT"
cargo run --quiet -p sealmatch-synth -- --out "$OUT" --fingers 3 --impressions 3 --seed 7 --variation gentle
touch "$OUT/.done"
