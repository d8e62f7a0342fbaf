#!/usr/bin/env node
// The face section of `make bench` (issue 11 items 5 and 6), one command:
// accuracy of sealmatch, face-api.js and dlib on the same pairs, side by
// side; then speed (native, Node, Chromium, beside face-api.js) and sizes.
//
//   node bench/face/run.mjs [--pairs N] [--frames N] [--no-browser] [--no-accuracy] [--no-speed]
//   make bench-face FACE_PAIRS=1200          # the same through make (after `make pack`)
//
// --pairs N: at most N pairs of pairs-dev.tsv, spread over the list (indices
// floor(k·n/N), the peers' --limit), the same N for all three engines; 0 (the
// default) is the whole list (~50 min for face-api.js, ~16 min for dlib on a
// busy 2-core machine). The score files go to target/bench-face/ (made from
// people's photos: never commit them). Without the data folder
// (../shared/data/faces or $SEALMATCH_FACES) it says "skipped" and exits 0; a
// peer that cannot be installed (bench/face/install-peers.sh) or fails is a
// column that says "skipped". See bench/face/README.md.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { facesDir, limitPairs, photosOf, readPairs, PAIRS_FILE } from "./dataset.mjs";
import { readScores } from "./scorefile.mjs";
import { formatTable, skippedRun } from "./summarize.mjs";
import { runSpeed } from "./speed.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const OUT = join(ROOT, "target", "bench-face");
const PYTHON = join(ROOT, "target", "face-venv", "bin", "python");

/** Runs one engine's accuracy command; its score file, or a skipped column. */
function scoreRun(name, cmd, args, out, skipCodes = {}) {
  rmSync(out, { force: true });
  process.stderr.write(`face bench: accuracy, ${name}\n`);
  const t = Date.now();
  // The engines' own tables go to stderr: the printed table is the side-by-side one.
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ["ignore", 2, 2] });
  process.stderr.write(`face bench: ${name}: ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  if (r.status !== 0 || !existsSync(out)) {
    return skippedRun(name, skipCodes[r.status] ?? `failed (exit ${r.status ?? r.signal ?? r.error?.code})`);
  }
  return readScores(out);
}

function accuracy(dir, pairs) {
  const limit = String(pairs);
  execFileSync("cargo", ["build", "--quiet", "--release", "--example", "face_eval"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  const runs = [
    scoreRun(
      "sealmatch",
      join(ROOT, "target", "release", "examples", "face_eval"),
      [dir, "--threads", "1", "--pairs", limit, "--scores", join(OUT, "sealmatch.tsv")],
      join(OUT, "sealmatch.tsv"),
    ),
    scoreRun(
      "face-api.js",
      process.execPath,
      [join(HERE, "faceapi-peer.mjs"), "--data", dir, "--limit", limit, "--frames", "0", "--no-summary", "--out", join(OUT, "faceapi.tsv")],
      join(OUT, "faceapi.tsv"),
      { 3: "npm packages not installed" },
    ),
    existsSync(PYTHON)
      ? scoreRun(
          "dlib",
          PYTHON,
          [join(HERE, "dlib-peer.py"), "--data", dir, "--limit", limit, "--frames", "0", "--no-summary", "--out", join(OUT, "dlib.tsv")],
          join(OUT, "dlib.tsv"),
          { 3: "face-recognition not installed" },
        )
      : skippedRun("dlib", "no venv (target/face-venv)"),
  ];
  const sizes = new Set(runs.filter((r) => r.facts.skipped === undefined).map((r) => `${r.genuine.length}/${r.impostor.length}`));
  return [
    `face accuracy: ${PAIRS_FILE}${pairs ? `, ${pairs} pairs spread over the list (--pairs ${pairs})` : ", every pair"}; ` +
      "each pair once, path_a enrolled alone, path_b verified; a photo without a usable face scores as a non-match (failure to detect)",
    sizes.size > 1 ? `WARNING: the engines scored different pair counts (${[...sizes].join(", ")})` : "the same pairs for every engine that ran",
    "",
    formatTable(runs),
    "",
    "The fixed default threshold (FACE_DEFAULT_THRESHOLD) was set on the development photos these pairs come from;",
    `the data folder defines no held-out pair list (a third of the LFW people are kept aside outside ${dir}), so that row is not a held-out figure.`,
    "Scores: sealmatch cosine (clamped at 0); the peers 1 - euclidean distance. Times per photo: one thread each.",
  ];
}

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      pairs: { type: "string", default: "0" },
      frames: { type: "string", default: "20" },
      data: { type: "string" },
      "no-browser": { type: "boolean", default: false },
      "no-accuracy": { type: "boolean", default: false },
      "no-speed": { type: "boolean", default: false },
    },
  });
  const pairs = Number(values.pairs);
  const frames = Number(values.frames);
  if (!Number.isInteger(pairs) || pairs < 0 || !Number.isInteger(frames) || frames < 1) {
    console.error("face bench: --pairs must be an integer >= 0 and --frames >= 1");
    return 2;
  }
  const dir = facesDir(values.data);
  if (dir === null) {
    console.log(`face bench: skipped: the face data (../shared/data/faces/${PAIRS_FILE}, or $SEALMATCH_FACES) is absent`);
    return 0;
  }
  const t0 = Date.now();
  const load0 = loadavg()[0];
  spawnSync("bash", [join(HERE, "install-peers.sh")], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  const out = [];
  if (!values["no-accuracy"]) out.push(...accuracy(dir, pairs), "");
  if (!values["no-speed"]) {
    const photos = photosOf(limitPairs(readPairs(dir), pairs));
    out.push(...(await runSpeed({ dir, photos, count: frames, browser: !values["no-browser"] })), "");
  }
  out.push(
    `face bench: ${((Date.now() - t0) / 60000).toFixed(1)} min wall, load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (2 cores)`,
  );
  console.log(["", "==== face ====", ...out].join("\n"));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
