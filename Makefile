# sealmatch: `make demo` sets up, builds and runs the demonstration;
# `make test` runs every test. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM ?= /usr/bin/chromium
WASM_TEST := cargo test --target wasm32-unknown-unknown --test 'wasm*'
# every tests/e2e/*.test.mjs, in name order (a new page test is picked up without editing this file)
E2E_TESTS := $(sort $(wildcard tests/e2e/*.test.mjs))
NODE_TESTS := $(sort $(wildcard tests/node/*.test.mjs tests/vite/*.test.mjs bench/face/*.test.mjs bench/engines/*.test.mjs))

.PHONY: setup face-weights pkg pack demo test test-native test-wasm test-wasm-node test-wasm-browser \
        test-node fixtures bench bench-engines bench-face lint clean demo-cli demo-bins e2e-deps e2e test-e2e test-server-pg

# The web demo and its end-to-end test (www/, tests/e2e/).
SERVER_BIN := target/debug/sealmatch-server
SYNTH_BIN := target/debug/sealmatch-synth

## setup: install what the build and tests need (skips what is present)
setup:
	@scripts/setup.sh

## pkg: build the npm package into pkg/
pkg: setup
	scripts/build-pkg.sh

## fixtures: synthetic fingerprint images for the demo and the JS tests
fixtures:
	scripts/fixtures.sh

## pack: pkg, then `npm pack` it into target/npm/
pack: pkg
	rm -rf target/npm && mkdir -p target/npm
	cd pkg && npm pack --pack-destination ../target/npm --silent

## demo: build the package, the server and sample fingers, and serve the web demo
## (web check-in, bag drop, boarding, reconciliation) on 127.0.0.1:8080 (PORT changes it); prints the URL and kiosk key
demo: pkg demo-bins e2e-deps
	node scripts/demo-web.mjs $(SERVER_BIN) $(SYNTH_BIN)

## demo-cli: the command-line demonstration of the package in Node
demo-cli: pkg fixtures
	node scripts/demo.mjs

demo-bins:
	cargo build -p sealmatch-server -p sealmatch-synth

## e2e-deps: playwright-core, jsqr and axe-core for tests/e2e (jsqr is also the demo's camera QR fallback)
e2e-deps:
	@if [ -d tests/e2e/node_modules/playwright-core ] && [ -d tests/e2e/node_modules/jsqr ] && [ -d tests/e2e/node_modules/axe-core ] \
	  && [ tests/e2e/node_modules/.package-lock.json -nt tests/e2e/package-lock.json ]; then :; \
	else cd tests/e2e && npm ci --no-audit --no-fund; fi

## e2e: the web demo's end-to-end tests in headless Chromium (and its QR encoder test); the web
## check-in test (checkin.test.mjs) feeds Chromium's fake camera with frames made from
## ../shared/data/faces at test time, and is skipped, saying so, without them; engines.test.mjs
## runs bag drop, boarding and web check-in (a drawn face) in Chromium, Firefox and WebKit
e2e: pkg test-e2e

test-e2e: demo-bins e2e-deps
	node --test --test-concurrency=1 $(E2E_TESTS)

## test: lint first (fast to fail), then every test: native, wasm-bindgen (Node + Chromium),
## packed package (Node, Vite, plain page), the web demo end to end
test: setup
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint && \
	$(MAKE) --no-print-directory test-native && \
	SEALMATCH_PG_REQUIRED=1 $(MAKE) --no-print-directory test-server-pg && \
	$(MAKE) --no-print-directory test-wasm && \
	$(MAKE) --no-print-directory pack fixtures && \
	SEALMATCH_ENGINES_REQUIRED=1 $(MAKE) --no-print-directory test-node && \
	SEALMATCH_ENGINES_REQUIRED=1 $(MAKE) --no-print-directory test-e2e && \
	echo "make test: all passed in $$(( $$(date +%s) - start )) s"

## face-weights: the face weights file target/face/sealmatch-face.bin, converted from
## the npm devDependency @vladmandic/face-api (installed by `make setup`), and tfjs's
## reference outputs on drawn inputs (target/face/reference/) for tests/face_parity.rs
face-weights:
	node scripts/face-models.mjs target/face/sealmatch-face.bin
	node tests/face_reference.mjs

test-native: face-weights
	SEALMATCH_FACE_REQUIRED=1 cargo test --workspace

## test-server-pg: the server's test suite again on a throwaway PostgreSQL
## (scripts/pg-throwaway.sh), with the two-node, fault and SIGKILL tests
## (tests/nodes.rs). Without PostgreSQL it is skipped with a message, unless
## SEALMATCH_PG_REQUIRED=1 (`make test` sets it).
test-server-pg:
	@if scripts/pg-throwaway.sh bin >/dev/null 2>&1; then \
	  SEALMATCH_PG_REQUIRED=1 scripts/pg-throwaway.sh run cargo test -p sealmatch-server --tests; \
	elif [ "$${SEALMATCH_PG_REQUIRED:-}" = 1 ]; then \
	  scripts/pg-throwaway.sh bin; exit 1; \
	else \
	  echo "make test-server-pg: skipped, no PostgreSQL binaries (scripts/setup.sh installs Debian's postgresql)"; \
	fi

test-wasm: test-wasm-node test-wasm-browser

test-wasm-node:
	$(WASM_TEST)

test-wasm-browser:
	WASM_BINDGEN_USE_BROWSER=1 $(WASM_TEST)

## test-node: node:test suites on the packed tarball (needs `make pack`)
test-node:
	node --test --test-concurrency=1 $(NODE_TESTS)

## bench: accuracy benchmark (sealmatch-bench) on ../shared/data/fvc, NBIS beside it;
## on a synthetic database when the FVC data is absent; then the WASM benchmark
## (bench/wasm: the packed package in Node and headless Chromium beside native);
## with the FVC data and nbis-py, also the mixed-extractor table
## (examples/mixed_extractors.rs: NBIS ISO records enrolled, our images probing);
## then the per-engine speed table (bench-engines), then the face section (bench-face)
bench:
	@python3 -c 'import nbis' 2>/dev/null || pip install --quiet nbis-py==0.1.3 \
	  || echo "make bench: nbis-py could not be installed; the NBIS rows will say skipped"
	@if ls -d ../shared/data/fvc/*/ >/dev/null 2>&1; then \
	  cargo run --release -p sealmatch-bench -- ../shared/data/fvc/* --scores bench-out; \
	  if python3 -c 'import nbis' 2>/dev/null; then \
	    for d in ../shared/data/fvc/*/; do \
	      python3 bench/nbis_iso.py "$$d" 500 "target/mixed/$$(basename "$$d")" || exit 1; \
	    done; \
	    cargo run --release --example mixed_extractors -- target/mixed ../shared/data/fvc/*; \
	  else echo "make bench: no nbis-py; the mixed-extractor table is skipped"; fi; \
	else \
	  echo "make bench: ../shared/data/fvc is absent; running on a synthetic database instead"; \
	  cargo run --release -p sealmatch-bench -- --synthetic 40 --no-nbis; \
	fi
	@$(MAKE) --no-print-directory pack
	node bench/wasm/run.mjs
	$(ENGINE_BENCH)
	$(FACE_BENCH)

## bench-engines: the per-engine speed table (bench/engines/speed.mjs): extraction, verify and
## face capture medians natively, in Node, Chromium, Firefox and WebKit, in one run, with the
## ratios to native (SEALMATCH_ENGINES=chromium,firefox limits the browsers)
ENGINE_BENCH = node bench/engines/speed.mjs
bench-engines: pack
	$(ENGINE_BENCH)

## bench-face: the face section (bench/face/run.mjs): sealmatch, face-api.js and dlib on the
## same pairs of ../shared/data/faces (FACE_PAIRS=N: N pairs spread over the list; default
## every pair, about 80 min), then face speed (native, Node, Chromium) and sizes; says
## skipped without the data; then the memory check over 1,000 face captures in Node and
## Chromium (make test runs 200). Installs the peers when absent (bench/face/install-peers.sh).
FACE_PAIRS ?= 0
FACE_FRAMES ?= 20
FACE_BENCH = node bench/face/run.mjs --pairs $(FACE_PAIRS) --frames $(FACE_FRAMES) && \
	SEALMATCH_FACE_CHURN=1000 node --test tests/node/face-memory.test.mjs
bench-face: pack
	$(FACE_BENCH)

## lint: rustfmt and clippy (native and wasm32)
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p sealmatch --lib --tests -- -D warnings

clean:
	rm -rf pkg target/npm
	cargo clean
