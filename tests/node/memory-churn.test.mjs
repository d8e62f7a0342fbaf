// WebAssembly linear memory of the installed package, beside memory.test.mjs
// (freed cycles): under 32 MiB while a 640x480 image is processed, and no
// growth over 2,000 enroll + verify calls after warm-up, with captures freed
// explicitly and with captures left to the garbage collector. Memory only
// (deterministic), no timing. Runs a child Node with --expose-gc; the churn
// is bench/wasm/workload.mjs's, which `make bench` runs with 10,000 calls.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freshProject } from "./support.mjs";

const CALLS = 2_000;
let project;

before(() => {
  project = freshProject("sealmatch-memory-churn");
});

after(() => project?.cleanup());

test("linear memory: < 32 MiB for a 640x480 image, no growth over enroll/verify calls", () => {
  const script = join(project.dir, "memory.mjs");
  writeFileSync(
    script,
    `import init, * as sm from "sealmatch";
// wasm-bindgen's own init returns the loaded instance's exports (a no-op once
// loaded): the module's memory, which the package does not export.
import coreInit from "./node_modules/sealmatch/sealmatch_core.js";
import { readPng } from ${JSON.stringify(join(ROOT, "scripts", "png.mjs"))};
import { memoryChurn } from ${JSON.stringify(join(ROOT, "bench", "wasm", "workload.mjs"))};
await init();
const exports = await coreInit();
const mem = () => exports.memory.buffer.byteLength;
const finger = { ...readPng(${JSON.stringify(join(ROOT, "target", "fixtures", "synth", "101_1.png"))}), dpi: 500 };
// The finger on a 640x480 white background.
const big = new Uint8Array(640 * 480).fill(255);
const [ox, oy] = [(640 - finger.width) >> 1, (480 - finger.height) >> 1];
for (let y = 0; y < finger.height; y++) {
  big.set(finger.pixels.subarray(y * finger.width, (y + 1) * finger.width), (oy + y) * 640 + ox);
}
const beforeBig = mem();
const cap = sm.Capture.fromGray(640, 480, big, 500);
const withBig = mem();
const bigMinutiae = cap.minutiaeCount;
cap.free();
const free = await memoryChurn(sm, finger, ${CALLS}, 10, "free", mem, globalThis.gc);
const gc = await memoryChurn(sm, finger, ${CALLS}, 10, "gc", mem, globalThis.gc);
console.log(JSON.stringify({ beforeBig, withBig, bigMinutiae, free, gc }));
`,
  );
  const out = JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", script], { cwd: project.dir, encoding: "utf8" }),
  );
  assert.ok(out.bigMinutiae > 0, "the 640x480 image was processed");
  assert.ok(out.withBig < 32 * 1024 * 1024, `640x480: ${out.withBig} bytes of linear memory`);
  for (const run of [out.free, out.gc]) {
    assert.equal(run.calls, CALLS);
    assert.equal(run.matches, CALLS, `${run.mode}: every verify of the same finger matches`);
    assert.equal(run.samples.length, 10);
    assert.equal(run.max, run.afterWarmup, `${run.mode}: memory grew after warm-up: ${run.samples.join(", ")}`);
  }
});
