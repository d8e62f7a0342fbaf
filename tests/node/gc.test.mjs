// Captures that are never freed are released when garbage-collected (the
// package's FinalizationRegistry frees their handle in the WebAssembly
// registry). Runs a child Node with --expose-gc on the installed package.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freshProject } from "./support.mjs";

let project;

before(() => {
  project = freshProject("sealmatch-gc");
});

after(() => project?.cleanup());

test("unreferenced captures are freed by the garbage collector", () => {
  const script = join(project.dir, "gc.mjs");
  writeFileSync(
    script,
    `import init, { Capture } from "sealmatch";
// The raw module, to count live captures (not part of the public API).
import { liveCaptures } from "./node_modules/sealmatch/sealmatch_core.js";
import { readPng } from ${JSON.stringify(join(ROOT, "scripts", "png.mjs"))};
await init();
const { width, height, pixels } = readPng(${JSON.stringify(join(ROOT, "target", "fixtures", "synth", "101_1.png"))});
const kept = Capture.fromGray(width, height, pixels, 500);
for (let i = 0; i < 40; i++) Capture.fromGray(width, height, pixels, 500);
const before = liveCaptures();
for (let i = 0; i < 50 && liveCaptures() > 1; i++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 10));
}
const after = liveCaptures();
const stillUsable = kept.quality >= 0;
kept.free();
console.log(JSON.stringify({ before, after, stillUsable, end: liveCaptures() }));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ["--expose-gc", script], { cwd: project.dir, encoding: "utf8" }));
  assert.equal(out.before, 41);
  assert.equal(out.after, 1, "only the capture still referenced is live");
  assert.equal(out.stillUsable, true);
  assert.equal(out.end, 0);
});
