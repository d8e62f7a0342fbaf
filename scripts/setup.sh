#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there:
# the wasm32 target, clippy and rustfmt, wasm-bindgen-cli at the version Cargo.lock
# pins, Debian's chromium + chromium-driver, firefox-esr, webkit2gtk-driver and
# xvfb (the browser tests run in Chromium, Firefox and WebKit: tests/engines/),
# the npm dev tools (binaryen, jose, vite, typescript, playwright-core,
# puppeteer-core) from package-lock.json, and Debian's
# postgresql (the server's tests run on a throwaway PostgreSQL too). Never
# downloads a browser of its own.
#
# First it checks the prerequisites it cannot install itself (Rust through rustup,
# a C compiler, Node.js with npm, python3, make, and apt-get with root or sudo when
# Chromium is missing). Each missing one gets one line saying what and how to get
# it; then the script stops, before installing anything. README.md, "Prerequisites".
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# ---------------------------------------------------------------------------
# 0. Prerequisites

# The oldest Rust that builds the locked dependencies: the workspace's rust-version.
MIN_RUST=$(awk -F'"' '/^rust-version = "/ { print $2; exit }' Cargo.toml)
: "${MIN_RUST:?Cargo.toml names no rust-version}"
MIN_NODE=20
CHROMIUM_BIN=/usr/bin/chromium
CHROMEDRIVER_BIN=/usr/bin/chromedriver
# The other two engines (tests/engines/index.mjs names the same paths) and the
# Debian package that brings each.
OTHER_ENGINES=(
  "/usr/bin/firefox-esr firefox-esr"
  "/usr/bin/WebKitWebDriver webkit2gtk-driver"
  "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser webkit2gtk-driver"
  "/usr/bin/Xvfb xvfb"
)
# The Debian packages of OTHER_ENGINES whose file is missing, one per line.
missing_engine_packages() {
  local entry
  for entry in "${OTHER_ENGINES[@]}"; do
    [ -x "${entry%% *}" ] || echo "${entry##* }"
  done | sort -u
}

have() { command -v "$1" >/dev/null 2>&1; }
# "sudo " in the hints, unless this runs as root.
if [ "$(id -u)" = 0 ]; then AS_ROOT=""; else AS_ROOT="sudo "; fi

# Whether dotted version $1 is at least $2 (1.89.0 >= 1.89).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

missing=()
need() { missing+=("$1"); }

# apt_install PACKAGE...: Debian's packages, as root or through sudo; the
# package lists are fetched once per run, however many steps install.
apt_updated=""
apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "$@"
}

RUSTUP_HOW="install Rust with rustup: curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y, then run . \"\$HOME/.cargo/env\" (Debian's own rustc is too old)"
if ! have cargo && ! have rustc && ! have rustup; then
  need "Rust >= $MIN_RUST (cargo, rustc and rustup): $RUSTUP_HOW"
else
  if ! have cargo || ! have rustc; then
    need "cargo and rustc (Rust >= $MIN_RUST): $RUSTUP_HOW"
  else
    rust_version=$(rustc --version | awk '{ print $2 }')
    rust_version=${rust_version%%-*}
    if ! version_at_least "$rust_version" "$MIN_RUST"; then
      need "Rust >= $MIN_RUST (rustc is $rust_version): run rustup update stable && rustup default stable"
    fi
  fi
  if ! have rustup; then
    need "rustup (it adds the wasm32 target, clippy and rustfmt; Debian's Rust packages cannot): $RUSTUP_HOW"
  fi
fi
if ! have cc && ! have gcc; then
  need "a C compiler and linker (cc; the bundled SQLite and Rust's linking need it): ${AS_ROOT}apt-get install build-essential"
fi
if ! have make; then
  need "make: ${AS_ROOT}apt-get install make (or build-essential)"
fi
NODE_HOW="install Node.js $MIN_NODE or later, e.g. from NodeSource: curl -fsSL https://deb.nodesource.com/setup_20.x | ${AS_ROOT}bash - && ${AS_ROOT}apt-get install -y nodejs (Debian 12's own nodejs is 18)"
if ! have node; then
  need "Node.js >= $MIN_NODE: $NODE_HOW"
else
  node_version=$(node --version)
  node_version=${node_version#v}
  if ! version_at_least "$node_version" "$MIN_NODE"; then
    need "Node.js >= $MIN_NODE (node is $node_version): $NODE_HOW"
  fi
fi
if ! have npm; then
  need "npm: it comes with NodeSource's nodejs; with another Node.js, ${AS_ROOT}apt-get install npm"
fi
if ! have python3; then
  need "python3 (the end-to-end test reads the server's SQLite file with it): ${AS_ROOT}apt-get install python3"
fi
if ! { [ -x "$CHROMIUM_BIN" ] && [ -x "$CHROMEDRIVER_BIN" ]; }; then
  if ! have apt-get; then
    need "Chromium and ChromeDriver at $CHROMIUM_BIN and $CHROMEDRIVER_BIN (setup installs Debian's chromium and chromium-driver with apt-get, which is not here): install both yourself"
  elif [ "$(id -u)" != 0 ] && ! have sudo; then
    need "root or sudo, to apt-get install chromium chromium-driver: run this as root, install sudo, or install those two packages first"
  fi
fi

if [ -n "$(missing_engine_packages)" ]; then
  if ! have apt-get; then
    need "Firefox ESR, WebKitWebDriver with MiniBrowser, and Xvfb (setup installs Debian's $(missing_engine_packages | tr '\n' ' ')with apt-get, which is not here): install them yourself"
  elif [ "$(id -u)" != 0 ] && ! have sudo; then
    need "root or sudo, to apt-get install $(missing_engine_packages | tr '\n' ' ')(the Firefox and WebKit tests): run this as root, install sudo, or install those packages first"
  fi
fi

if ! scripts/pg-throwaway.sh bin >/dev/null 2>&1; then
  if ! have apt-get; then
    need "PostgreSQL's server binaries (initdb, pg_ctl; setup installs Debian's postgresql with apt-get, which is not here): install them yourself, or set PG_BIN to their directory"
  elif [ "$(id -u)" != 0 ] && ! have sudo; then
    need "root or sudo, to apt-get install postgresql: run this as root, install sudo, or install that package first"
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  for m in "${missing[@]}"; do
    say "missing: $m" >&2
  done
  say "${#missing[@]} prerequisite(s) missing; nothing was installed. See README.md, \"Prerequisites\"." >&2
  exit 1
fi
say "prerequisites present (Rust $rust_version, Node.js $node_version)"

# ---------------------------------------------------------------------------
# 1. Rust target for WebAssembly.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. clippy and rustfmt, for `make lint` (a minimal rustup profile lacks them).
if cargo clippy --version >/dev/null 2>&1 && cargo fmt --version >/dev/null 2>&1; then
  say "clippy and rustfmt present"
else
  say "adding the clippy and rustfmt components"
  rustup component add clippy rustfmt
fi

# 3. wasm-bindgen-cli, at exactly the wasm-bindgen version in Cargo.lock.
WB_VERSION=$(scripts/wasm-bindgen-version.sh)
if command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WB_VERSION" ]; then
  say "wasm-bindgen $WB_VERSION present"
else
  say "installing wasm-bindgen-cli $WB_VERSION (a few minutes)"
  # Not --locked: one of its locked dependencies is missing from the registry here.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 4. Debian's Chromium and ChromeDriver, for the browser tests.
if [ -x "$CHROMIUM_BIN" ] && [ -x "$CHROMEDRIVER_BIN" ]; then
  say "chromium and chromedriver present"
else
  say "installing Debian's chromium and chromium-driver"
  apt_install chromium chromium-driver
fi

# 4b. Debian's Firefox ESR, WebKitGTK's WebDriver (with MiniBrowser) and Xvfb,
#     for the same tests in Firefox and WebKit.
engine_packages=$(missing_engine_packages | tr '\n' ' ')
if [ -z "$engine_packages" ]; then
  say "firefox-esr, webkit2gtk-driver and xvfb present"
else
  say "installing Debian's $engine_packages"
  # shellcheck disable=SC2086 # one word per package
  apt_install $engine_packages
fi

# 5. Debian's PostgreSQL server binaries, for the server's tests on PostgreSQL
#    (scripts/pg-throwaway.sh runs initdb and pg_ctl from them; no service is started).
if scripts/pg-throwaway.sh bin >/dev/null 2>&1; then
  say "PostgreSQL binaries present ($(scripts/pg-throwaway.sh bin))"
elif ! have apt-get; then
  say "PostgreSQL binaries absent and no apt-get: install PostgreSQL (initdb, pg_ctl) yourself; make test needs them" >&2
  exit 1
else
  say "installing Debian's postgresql"
  apt_install postgresql
fi

# 6. npm dev tools, exactly as package-lock.json records them.
if [ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/.bin/vite ] \
  && [ -d node_modules/jose ] && [ -d node_modules/playwright-core ] && [ -d node_modules/typescript ] \
  && [ -d node_modules/puppeteer-core ] \
  && [ -d node_modules/@vladmandic/face-api ] && [ -d node_modules/jpeg-js ] \
  && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  say "npm dev tools present"
else
  say "installing npm dev tools (npm ci)"
  npm ci --no-audit --no-fund
fi
