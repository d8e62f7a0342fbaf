// Where the end-to-end tests find what `make e2e` builds: the repository,
// Debian's Chromium, the server and synth binaries, and the npm package
// (each can be pointed elsewhere through its environment variable).

import { existsSync } from "node:fs";
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
/** jsQR's dist folder (jsQR.js), served as `/vendor` like `make demo` does: the pages' camera QR fallback. */
export const JSQR_DIR = join(HERE, "node_modules/jsqr/dist");

/** What a test can need built, by name, with where it is. */
const BUILT = {
  chromium: ["Chromium", CHROMIUM],
  server: ["the server binary", SERVER_BIN],
  synth: ["the synth binary", SYNTH_BIN],
  package: ["the package", join(PKG, "sealmatch.js")],
  faceWeights: ["the face weights", join(PKG, "sealmatch-face.bin")],
};

/**
 * Throws, naming each missing one and how to build it, unless everything
 * `needs` lists is there.
 * @param {...keyof typeof BUILT} needs
 * @example
 * requireBuilt("chromium", "server", "package");
 */
export function requireBuilt(...needs) {
  const missing = needs.map((n) => BUILT[n]).filter(([, path]) => !existsSync(path));
  if (missing.length) {
    const list = missing.map(([what, path]) => `${what} (${path})`).join(", ");
    throw new Error(`missing: ${list}; run \`make e2e\`, which builds everything first`);
  }
}
