// The inputs of the WASM benchmark's plan, shared by bench/wasm/run.mjs and
// the per-engine table (bench/engines/speed.mjs): the databases (FVC, or a
// synthetic one when absent), a database as a plan group (grey pixels in one
// .bin file, every unordered pair), and the 640×480 synthetic finger.
//
// Example:
//   const { dbs, source } = databases([], work, "wasm bench");   // ../shared/data/fvc/* or a synthetic one
//   const group = dbGroup(dbs[0], work, { reps: 3 });            // { name, bin, file, images, pairs, ... }
//   const big = bigImage(work);                                  // { name: "640x480", width: 640, ..., bin, file }

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPng } from "../../scripts/png.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Writes `images` ([name, w, h, dpi, pixels]) into one .bin; returns the refs. */
export function writeBin(path, images) {
  const refs = [];
  const parts = [];
  let offset = 0;
  for (const [name, width, height, dpi, pixels] of images) {
    refs.push({ name, width, height, dpi, offset });
    parts.push(pixels);
    offset += pixels.length;
  }
  writeFileSync(path, Buffer.concat(parts));
  return refs;
}

/** A database folder as a plan group: every image, every unordered pair (`reps` verifies a pair, `passes` extractions an image). */
export function dbGroup(dir, work, { reps = 1, passes = 1, name = basename(dir) } = {}) {
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(".png"))
    .sort();
  const images = files.map((f) => {
    const { width, height, pixels } = readPng(join(dir, f));
    return [f, width, height, 500, pixels];
  });
  const file = `${name}.bin`;
  const refs = writeBin(join(work, file), images);
  const pairs = [];
  for (let a = 0; a < refs.length; a++) for (let b = a + 1; b < refs.length; b++) pairs.push([a, b]);
  return { name, kind: "db", bin: join(work, file), file, images: refs, pairs, reps, passes };
}

/** Runs sealmatch-synth (release) into `out`. */
export function synth(out, args) {
  execFileSync("cargo", ["run", "--quiet", "--release", "-p", "sealmatch-synth", "--", "--out", out, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/**
 * The database folders: `given`, else ../shared/data/fvc/* (or
 * $SEALMATCH_FVC/*), else a synthetic database written into `work` (and a
 * line saying so, prefixed with `who`). Returns `{ dbs, source }`.
 */
export function databases(given, work, who) {
  if (given.length) return { dbs: given, source: `databases ${given.join(", ")}` };
  const fvc = process.env.SEALMATCH_FVC || join(ROOT, "..", "shared", "data", "fvc");
  const dbs = existsSync(fvc)
    ? readdirSync(fvc)
        .sort()
        .map((d) => join(fvc, d))
        .filter((d) => statSync(d).isDirectory())
    : [];
  if (dbs.length) return { dbs, source: `FVC databases in ${fvc}` };
  console.log(`${who}: ../shared/data/fvc is absent; running on a synthetic database (sealmatch-synth, 10 x 8, seed 1) instead`);
  const out = join(work, "synthetic");
  synth(out, ["--fingers", "10", "--impressions", "8", "--seed", "1", "--variation", "typical"]);
  return { dbs: [out], source: "a SYNTHETIC database (sealmatch-synth --fingers 10 --impressions 8 --seed 1 --variation typical)" };
}

/** The 640×480 synthetic finger (sealmatch-synth seed 3) as a plan image in `work/big.bin`. */
export function bigImage(work) {
  const bigDir = join(work, "big");
  synth(bigDir, ["--fingers", "1", "--impressions", "1", "--seed", "3", "--width", "640", "--height", "480"]);
  const bigPng = readdirSync(bigDir).find((f) => f.endsWith(".png"));
  const big = readPng(join(bigDir, bigPng));
  const [ref] = writeBin(join(work, "big.bin"), [["640x480", big.width, big.height, 500, big.pixels]]);
  return { ...ref, bin: join(work, "big.bin"), file: "big.bin" };
}
