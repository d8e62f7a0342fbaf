// The command-line flags of every headless run of Debian's Chromium here
// (tests/node, tests/e2e and the WASM benchmark): as root, without a GPU, and
// without the browser's own network traffic.

export const CHROMIUM_ARGS = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
]);
