// Where the end-to-end tests find what `make e2e` builds: the repository,
// Debian's Chromium, the server and synth binaries, and the npm package
// (each can be pointed elsewhere through its environment variable).

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** tests/e2e/ */
export const HERE = fileURLToPath(new URL("..", import.meta.url));
/** The repository's root. */
export const ROOT = resolve(HERE, "../..");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const SERVER_BIN = process.env.SEALMATCH_SERVER_BIN ?? join(ROOT, "target/debug/sealmatch-server");
export const SYNTH_BIN = process.env.SEALMATCH_SYNTH_BIN ?? join(ROOT, "target/debug/sealmatch-synth");
export const PKG = process.env.SEALMATCH_PKG_DIR ?? join(ROOT, "pkg");
