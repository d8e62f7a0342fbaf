// The library's stable codes as its Rust source spells them, for the tests
// that check every code has a text (tests/node/messages.test.mjs,
// tests/e2e/i18n.test.mjs): a new code without a text fails them.

import { readFileSync } from "node:fs";

const ROOT = new URL("../", import.meta.url);

/**
 * The `"code"` strings of the `as_str` match in a Rust file of the repository.
 * @param {string} path e.g. "src/error.rs"
 * @example rustCodes("src/error.rs")  // ["INVALID_IMAGE", "INVALID_ARGUMENT", ...]
 */
export function rustCodes(path, fn = "as_str") {
  const source = readFileSync(new URL(path, ROOT), "utf8");
  const body = source.slice(source.indexOf(`pub fn ${fn}`));
  const end = body.indexOf("\n    }\n");
  return [...body.slice(0, end).matchAll(/=> "([A-Za-z_]+)"/g)].map((m) => m[1]);
}

/** The library's codes by message group: `error`, `feedback` (fingerprint), `face`. */
export function libraryCodes() {
  return {
    error: rustCodes("src/error.rs"),
    feedback: rustCodes("src/capture/mod.rs"),
    face: rustCodes("src/face/quality.rs"),
  };
}
