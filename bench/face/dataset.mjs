// Where the face photos are and which pairs a run compares.
//
// The data folder is `SEALMATCH_FACES`, else `../shared/data/faces` beside the
// repository (the layout described in its README: `dev/<Name>/<Name>_NNNN.jpg`
// and `pairs-dev.tsv` with `path_a<TAB>path_b<TAB>genuine`). The Python peer
// (dlib-peer.py) follows the same rules, so both peers compare the same pairs.
//
// Example:
//   import { facesDir, readPairs, limitPairs, photosOf } from "./dataset.mjs";
//   const dir = facesDir();                       // null when the data is absent
//   const pairs = limitPairs(readPairs(dir), 600); // 600 pairs spread over the list
//   photosOf(pairs);                               // each photo once, first-seen order

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root (this file is bench/face/dataset.mjs). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The default pair list, relative to the data folder. */
export const PAIRS_FILE = "pairs-dev.tsv";

/** The data folder, or null when it (or its pair list) is absent. */
export function facesDir(override) {
  const dir = override ?? process.env.SEALMATCH_FACES ?? join(REPO_ROOT, "../shared/data/faces");
  return existsSync(join(dir, PAIRS_FILE)) ? dir : null;
}

/**
 * The pairs of `file` (default pairs-dev.tsv) in file order:
 * `[{ a, b, genuine }]`, paths relative to `dir`; a header line is skipped.
 */
export function readPairs(dir, file = PAIRS_FILE) {
  const pairs = [];
  for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
    const [a, b, g] = line.replace(/\r$/, "").split("\t");
    if (!b || g === undefined || g === "genuine") continue;
    if (g !== "0" && g !== "1") throw new Error(`${file}: genuine must be 0 or 1, got ${JSON.stringify(g)}`);
    pairs.push({ a, b, genuine: g === "1" });
  }
  return pairs;
}

/**
 * At most `limit` pairs, spread evenly over the list (indices
 * floor(k · n / limit)), so a quick run keeps the genuine/impostor mix.
 * `limit` of 0, null or ≥ n keeps every pair.
 */
export function limitPairs(pairs, limit) {
  const n = pairs.length;
  if (!limit || limit >= n) return pairs;
  const out = [];
  for (let k = 0; k < limit; k++) out.push(pairs[Math.floor((k * n) / limit)]);
  return out;
}

/** Every photo the pairs use, each once, in first-seen order. */
export function photosOf(pairs) {
  const seen = new Set();
  for (const p of pairs) {
    seen.add(p.a);
    seen.add(p.b);
  }
  return [...seen];
}

// The face choice lives in choice.mjs (no Node imports: the Chromium page loads it too).
export { prominentFace } from "./choice.mjs";
