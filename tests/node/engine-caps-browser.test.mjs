// Capability detection at init() in every browser engine (tests/engines:
// Chromium, Firefox, WebKit), from a plain module page over pkg/: as it is,
// the page fetches the SIMD build and only it; with WebAssembly.validate
// refusing v128 (what an engine without SIMD does; the page patches it before
// importing the package, when its address says ?mode=no-simd), it fetches
// the non-SIMD build and only it, and every fingerprint and face score is the
// same bit for bit, and the same in every engine; without WebAssembly
// (?mode=no-wasm), init() rejects with INVALID_ARGUMENT naming it and
// fetches no .wasm.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, fixture } from "./support.mjs";
import { forEachEngine, servePkgPage } from "./browser.mjs";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch capabilities</title>
<script type="module">
  import { drawFaceRgba } from "./face_draw.mjs";
  import { FACE_FRAMES, scoreJob } from "./score-job.mjs";
  const mode = new URLSearchParams(location.search).get("mode");
  if (mode === "no-simd") {
    // An engine without SIMD: validate refuses any module using the v128 type.
    const validate = WebAssembly.validate;
    WebAssembly.validate = (b) => !new Uint8Array(ArrayBuffer.isView(b) ? b.buffer : b).includes(0x7b) && validate(b);
  } else if (mode === "no-wasm") {
    delete globalThis.WebAssembly;
  }
  const sealmatch = await import("./pkg/sealmatch.js");
  window.scores = async (fingers) => {
    await sealmatch.initFace();
    const grey = {};
    for (const [stem, f] of Object.entries(fingers)) {
      grey[stem] = { width: f.width, height: f.height, pixels: Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) };
    }
    const faces = FACE_FRAMES.map(([spec, seed]) => ({ width: 320, height: 240, rgba: drawFaceRgba(320, 240, spec, seed) }));
    return scoreJob(sealmatch, { fingers: grey, faces });
  };
  sealmatch.default().then(
    () => { window.sealmatchReady = true; },
    (e) => { window.sealmatchFailed = { code: e.code, message: e.message }; },
  );
</script>
`;

let server;
/** the synthetic fingers, as { width, height, base64 } */
const fingers = {};
/** each engine's scores, to compare across engines */
const byEngine = {};

before(async () => {
  server = await servePkgPage(PAGE, {
    files: {
      "face_draw.mjs": join(ROOT, "tests", "face_draw.mjs"),
      "score-job.mjs": join(ROOT, "tests", "node", "score-job.mjs"),
    },
  });
  for (const f of [1, 2, 3]) {
    for (const i of [1, 2, 3]) {
      const g = await fixture(`10${f}_${i}`);
      fingers[`10${f}_${i}`] = { width: g.width, height: g.height, base64: Buffer.from(g.pixels).toString("base64") };
    }
  }
});

after(async () => {
  await server?.close();
});

/**
 * Opens the page in `mode`; returns `{ page, failed }` once init() settled,
 * with init()'s rejection if any.
 */
async function open(engine, mode) {
  const page = await engine.newPage();
  await page.goto(`${server.url}?mode=${mode}`);
  await page.waitForFunction(() => window.sealmatchReady === true || window.sealmatchFailed !== undefined, null, {
    timeout: 120_000,
  });
  return { page, failed: await page.evaluate(() => window.sealmatchFailed ?? null) };
}

/** The .wasm files the page fetched (waits for one: some engines list it late). */
async function wasmFetched(page) {
  return page.waitForFunction(
    () => {
      const wasm = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm"));
      return wasm.length > 0 ? wasm : null;
    },
    null,
    { timeout: 10_000 },
  );
}

forEachEngine((ctx) => {
  test("the SIMD build as is, the non-SIMD build without SIMD: one .wasm each, the same scores", { timeout: 600_000 }, async () => {
    const simd = await open(ctx.engine, "as-is");
    assert.equal(simd.failed, null);
    assert.deepEqual(await wasmFetched(simd.page), ["/pkg/sealmatch_core_bg.wasm"]);
    const plain = await open(ctx.engine, "no-simd");
    assert.equal(plain.failed, null);
    assert.deepEqual(await wasmFetched(plain.page), ["/pkg/sealmatch_core_nosimd_bg.wasm"]);
    const a = await simd.page.evaluate((f) => window.scores(f), fingers);
    const b = await plain.page.evaluate((f) => window.scores(f), fingers);
    assert.ok(a.fingerprint["101_1/101_2"] > a.fingerprint["101_1/102_1"], JSON.stringify(a.fingerprint));
    assert.deepEqual(a.faceQuality.map((q) => q > 0), [true, true, true]);
    assert.deepEqual(b, a);
    byEngine[ctx.name] = a;
    const first = Object.values(byEngine)[0];
    assert.deepEqual(a, first, `${ctx.name}'s scores differ from ${Object.keys(byEngine)[0]}'s`);
    await simd.page.close();
    await plain.page.close();
  });

  test("no WebAssembly: init() rejects with INVALID_ARGUMENT naming it, and fetches no .wasm", async () => {
    const { page, failed } = await open(ctx.engine, "no-wasm");
    assert.equal(failed?.code, "INVALID_ARGUMENT");
    assert.match(failed.message, /has no WebAssembly$/);
    const wasm = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length);
    assert.equal(wasm, 0);
    await page.close();
  });
});
