// Capability detection at init() (npm/engine-caps.js), in Node on the packed
// package: with WebAssembly SIMD the SIMD build is loaded, without it the
// non-SIMD build, with the same fingerprint and face scores, bit for bit;
// only the picked .wasm is read (the other is moved out of the installed
// package for the run); an engine without WebAssembly, or without a feature
// both builds need, is refused with INVALID_ARGUMENT naming it. Each case runs
// in its own Node process (engine-caps-child.mjs), since init() runs once.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { renameSync } from "node:fs";
import { join } from "node:path";
import { freshProject } from "./support.mjs";

const CHILD = new URL("./engine-caps-child.mjs", import.meta.url).pathname;
const SIMD = "sealmatch_core_bg.wasm";
const NO_SIMD = "sealmatch_core_nosimd_bg.wasm";

let project;
let pkgDir;

before(() => {
  project = freshProject("sealmatch-caps");
  pkgDir = join(project.dir, "node_modules", "sealmatch");
});

after(() => project?.cleanup());

/** Runs the child in `mode` with `hidden` (a .wasm name) moved out of the package. */
function run(mode, hidden) {
  const from = hidden && join(pkgDir, hidden);
  if (from) renameSync(from, `${from}.away`);
  try {
    const out = execFileSync(process.execPath, [CHILD, project.url, mode], { encoding: "utf8", timeout: 300_000 });
    return JSON.parse(out.trim().split("\n").pop());
  } finally {
    if (from) renameSync(`${from}.away`, from);
  }
}

test("without SIMD the non-SIMD build runs, alone, with the SIMD build's scores bit for bit", () => {
  const simd = run("as-is", NO_SIMD);
  const plain = run("no-simd", SIMD);
  assert.ok(simd.scores, JSON.stringify(simd));
  assert.ok(plain.scores, JSON.stringify(plain));
  // Something to compare: genuine fingers match, strangers do not, the drawn faces are found.
  assert.ok(simd.scores.fingerprint["101_1/101_2"] > simd.scores.fingerprint["101_1/102_1"]);
  assert.deepEqual(simd.scores.faceQuality.map((q) => q > 0), [true, true, true]);
  assert.deepEqual(plain.scores, simd.scores);
});

test("with SIMD available the non-SIMD build is never read", () => {
  // The SIMD build moved away: an engine with SIMD must fail to load, not fall back.
  const out = run("as-is", SIMD);
  assert.equal(out.code, "INVALID_ARGUMENT", JSON.stringify(out));
  assert.match(out.message, /could not load the sealmatch WebAssembly module/);
});

test("no WebAssembly at all: init() rejects with INVALID_ARGUMENT naming it", () => {
  const out = run("no-wasm");
  assert.equal(out.code, "INVALID_ARGUMENT");
  assert.match(out.message, /has no WebAssembly$/);
});

test("a feature both builds need is missing: init() rejects naming the feature", () => {
  const out = run("no-bulk-memory");
  assert.equal(out.code, "INVALID_ARGUMENT");
  assert.match(out.message, /has no WebAssembly bulk memory operations$/);
});
