// No memory growth over many face captures, in Node and in headless Chromium
// at the same time (two processes): the installed package's WebAssembly
// linear memory, sampled after each tenth of a run, never grows after the
// first tenth (the warm-up), and the module's own count of live face
// captures (`liveFaceCaptures`, internal) ends at 0. Each environment makes
// CAPTURES face captures of 320x240 frames (two drawn faces, one frame
// without a face; every 25th usable one also enrolled and verified): half
// freed at once, half dropped for the garbage collector (forced: Node's
// --expose-gc, Chromium's --js-flags=--expose-gc). Memory and counts only,
// no timing.
//
// A capture costs about the same whatever the frame's size (the networks'
// inputs have fixed sizes): about 0.25 s of CPU in WebAssembly. So `make
// test` runs 200 captures in each environment (under a minute on a quiet
// machine); SEALMATCH_FACE_CHURN=1000 runs the 1,000 (about 4 min
// quiet, 22 min on a machine at load 7-13, where it passed).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freshProject } from "./support.mjs";
import { launchEngine } from "../engines/index.mjs";
import { openPage, servePkgPage } from "./browser.mjs";

const CAPTURES = Number(process.env.SEALMATCH_FACE_CHURN ?? 200);
const HALF = Math.floor(CAPTURES / 2);
const DRAW = join(ROOT, "tests", "face_draw.mjs");
const CHURN = join(ROOT, "tests", "node", "face-churn.mjs");

// The frames and both runs; `core` is the raw module (its memory and
// liveFaceCaptures), `gc` the forced collection.
const RUNS = `
const frames = [
  { width: 320, height: 240, rgba: drawFaceRgba(320, 240, [{ cx: 160, cy: 120, s: 110 }], 1) },
  { width: 320, height: 240, rgba: drawFaceRgba(320, 240, [{ cx: 150, cy: 125, s: 90 }], 2) },
  { width: 320, height: 240, rgba: drawFaceRgba(320, 240, [], 3) },
];
const mem = () => core.memory.buffer.byteLength;
const free = await faceChurn(sm, frames, ${HALF}, "free", mem, liveFaceCaptures, gc);
const dropped = await faceChurn(sm, frames, ${HALF}, "gc", mem, liveFaceCaptures, gc);
`;

let project;
let server;
let browser;

before(async () => {
  project = freshProject("sealmatch-face-memory");
  server = await servePkgPage(
    `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch face memory</title>
<script type="module">
  import init, * as sm from "./pkg/sealmatch.js";
  import coreInit, { liveFaceCaptures } from "./pkg/sealmatch_core.js";
  import { drawFaceRgba } from "./face_draw.mjs";
  import { faceChurn } from "./face-churn.mjs";
  window.churn = async () => {
    await sm.initFace();
    const core = await coreInit();
    const gc = window.gc;
    ${RUNS}
    return { free, dropped };
  };
  init().then(() => { window.sealmatchReady = true; }, (e) => { window.sealmatchFailed = String(e && e.message); });
</script>
`,
    { files: { "face_draw.mjs": DRAW, "face-churn.mjs": CHURN } },
  );
  // Chromium only: dropping captures to the GC needs window.gc (--expose-gc),
  // which Firefox and WebKit pages do not have.
  browser = await launchEngine("chromium", { extraArgs: ["--js-flags=--expose-gc"] });
});

after(async () => {
  await browser?.close();
  await server?.close();
  project?.cleanup();
});

async function inNode() {
  const script = join(project.dir, "face-memory.mjs");
  writeFileSync(
    script,
    `import init, * as sm from "sealmatch";
// wasm-bindgen's own init returns the loaded instance's exports (a no-op once
// loaded): the module's memory, which the package does not export.
import coreInit, { liveFaceCaptures } from "./node_modules/sealmatch/sealmatch_core.js";
import { drawFaceRgba } from ${JSON.stringify(DRAW)};
import { faceChurn } from ${JSON.stringify(CHURN)};
await init();
await sm.initFace();
const core = await coreInit();
const gc = globalThis.gc;
${RUNS}
console.log(JSON.stringify({ free, dropped }));
`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", script], {
    cwd: project.dir,
    encoding: "utf8",
  });
  return JSON.parse(stdout);
}

async function inChromium() {
  const page = await openPage(browser, server.url);
  const out = await page.evaluate(() => window.churn());
  assert.deepEqual(await page.errors(), []);
  return out;
}

test(`no memory growth over ${CAPTURES} face captures (freed, and dropped to GC) in Node and Chromium`, async () => {
  const [node, chromium] = await Promise.all([inNode(), inChromium()]);
  for (const [where, out] of [["Node", node], ["Chromium", chromium]]) {
    for (const run of [out.free, out.dropped]) {
      const what = `${where}, ${run.mode}`;
      assert.equal(run.captures, HALF, what);
      assert.ok(run.usable >= HALF / 2, `${what}: ${run.usable} usable faces`);
      assert.ok(run.verified > 0 && run.matches === run.verified, `${what}: ${run.matches}/${run.verified} self-matches`);
      assert.equal(run.samples.length, 10, what);
      assert.equal(run.max, run.afterWarmup, `${what}: linear memory grew after warm-up: ${run.samples.join(", ")}`);
      assert.equal(run.live, 0, `${what}: ${run.live} face captures still registered`);
    }
  }
});
