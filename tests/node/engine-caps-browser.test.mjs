// Capability detection at init() in headless Chromium, from a plain module
// page over pkg/: as it is, the page fetches the SIMD build and only it; with
// WebAssembly.validate refusing v128 (what an engine without SIMD does,
// patched in before any page script), it fetches the non-SIMD build and only
// it, and every fingerprint and face score is the same bit for bit; without
// WebAssembly, init() rejects with INVALID_ARGUMENT naming it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, fixture } from "./support.mjs";
import { launch, servePkgPage } from "./browser.mjs";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch capabilities</title>
<script type="module">
  import init, * as sealmatch from "./pkg/sealmatch.js";
  import { drawFaceRgba } from "./face_draw.mjs";
  import { FACE_FRAMES, scoreJob } from "./score-job.mjs";
  window.scores = async (fingers) => {
    await sealmatch.initFace();
    const faces = FACE_FRAMES.map(([spec, seed]) => ({ width: 320, height: 240, rgba: drawFaceRgba(320, 240, spec, seed) }));
    return scoreJob(sealmatch, { fingers, faces });
  };
  init().then(
    () => { window.sealmatchReady = true; },
    (e) => { window.sealmatchFailed = { code: e.code, message: e.message }; },
  );
</script>
`;

/** Stands in for an engine without SIMD: validate refuses any module using the v128 type. */
const NO_SIMD = `{
  const validate = WebAssembly.validate;
  WebAssembly.validate = (b) => !new Uint8Array(ArrayBuffer.isView(b) ? b.buffer : b).includes(0x7b) && validate(b);
}`;
const NO_WASM = "delete globalThis.WebAssembly;";

let server;
let browser;
let fingers;

before(async () => {
  server = await servePkgPage(PAGE, {
    files: {
      "face_draw.mjs": join(ROOT, "tests", "face_draw.mjs"),
      "score-job.mjs": join(ROOT, "tests", "node", "score-job.mjs"),
    },
  });
  browser = await launch();
  fingers = {};
  for (const f of [1, 2, 3]) {
    for (const i of [1, 2, 3]) {
      const g = await fixture(`10${f}_${i}`);
      fingers[`10${f}_${i}`] = { width: g.width, height: g.height, pixels: Array.from(g.pixels) };
    }
  }
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens the page with `initScript` run first; returns `{ page, wasm, failed }`:
 * the .wasm files it requested so far and init()'s rejection, if any.
 */
async function open(initScript) {
  const page = await browser.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(server.url);
  await page.waitForFunction(() => window.sealmatchReady === true || window.sealmatchFailed !== undefined, null, {
    timeout: 60_000,
  });
  const failed = await page.evaluate(() => window.sealmatchFailed);
  return { page, wasm: requests.filter((p) => p.endsWith(".wasm")), failed };
}

test("the SIMD build as is, the non-SIMD build without SIMD: one .wasm each, the same scores", async () => {
  const simd = await open();
  assert.equal(simd.failed, undefined);
  assert.deepEqual(simd.wasm, ["/pkg/sealmatch_core_bg.wasm"]);
  const plain = await open(NO_SIMD);
  assert.equal(plain.failed, undefined);
  assert.deepEqual(plain.wasm, ["/pkg/sealmatch_core_nosimd_bg.wasm"]);
  const a = await simd.page.evaluate((f) => window.scores(f), fingers);
  const b = await plain.page.evaluate((f) => window.scores(f), fingers);
  assert.ok(a.fingerprint["101_1/101_2"] > a.fingerprint["101_1/102_1"], JSON.stringify(a.fingerprint));
  assert.deepEqual(a.faceQuality.map((q) => q > 0), [true, true, true]);
  assert.deepEqual(b, a);
  await simd.page.close();
  await plain.page.close();
});

test("no WebAssembly: init() rejects with INVALID_ARGUMENT naming it, and fetches nothing", async () => {
  const { page, wasm, failed } = await open(NO_WASM);
  assert.equal(failed.code, "INVALID_ARGUMENT");
  assert.match(failed.message, /has no WebAssembly$/);
  assert.deepEqual(wasm, []);
  await page.close();
});
