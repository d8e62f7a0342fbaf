// The Node suites' package checks (package-checks.mjs: every error code,
// wrong types, NaN, huge sizes, hostile arguments for every export incl. the
// face ones, linear memory bounded over 200 capture cycles) run again inside a
// page, in every engine (Chromium, Firefox, WebKit; tests/engines).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, fixture, header, joseToken, passengerKeyFor, randomKey } from "./support.mjs";
import { forEachEngine, openPage, servePkgPage } from "./browser.mjs";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch package checks</title>
<script type="module">
  import init, * as sealmatch from "./pkg/sealmatch.js";
  import * as core from "./pkg/sealmatch_core.js";
  import * as checks from "./package-checks.mjs";
  import { drawFaceRgba } from "./face_draw.mjs";
  init().then(
    () => {
      Object.assign(window, { sealmatch, core, checks, drawFaceRgba });
      window.sealmatchReady = true;
    },
    (e) => { window.sealmatchFailed = String(e && e.message); },
  );
</script>
`;

// Runs in the page: every check of package-checks.mjs; returns [{ name, error }].
async function runAllInPage({ a, b, v99, otherKey }) {
  const { sealmatch: sm, core, checks, drawFaceRgba } = window;
  const assert = checks.pageAssert;
  const finger = (f) => ({ width: f.width, height: f.height, pixels: new Uint8Array(f.pixels) });
  const gray = finger(a);
  // The raw module's exports (internal): initSync on an initialised module
  // returns them without instantiating again.
  const wasm = core.initSync({ module: new Uint8Array(0) });
  // Memory first, as in its own Node suite: before the face models and the
  // 2 MB tokens of the other checks take their share of linear memory.
  const suites = [
    ["memory", () => checks.memoryChecks({ sm, assert, a: gray, b: finger(b), memory: wasm.memory, liveCaptures: core.liveCaptures })],
    ["errors", () => checks.errorChecks({ sm, assert, gray, v99, otherKey })],
    ["hostile", async () => {
      await sm.initFace();
      return checks.hostileChecks({ sm, assert, gray, facePixels: drawFaceRgba(160, 120, [{ cx: 80, cy: 60, s: 70 }], 8) });
    }],
  ];
  const results = [];
  for (const [prefix, make] of suites) {
    const suite = await make();
    for (const r of await checks.runChecks(suite.checks)) results.push({ name: `${prefix}: ${r.name}`, error: r.error });
    suite.release();
  }
  return results;
}

let server;
let inputs;

before(async () => {
  server = await servePkgPage(PAGE, {
    files: {
      "package-checks.mjs": join(ROOT, "tests", "node", "package-checks.mjs"),
      "face_draw.mjs": join(ROOT, "tests", "face_draw.mjs"),
    },
  });
  const plain = (f) => ({ width: f.width, height: f.height, pixels: Array.from(f.pixels) });
  inputs = {
    a: plain(await fixture("101_1")),
    b: plain(await fixture("101_2")),
    v99: await joseToken(randomKey(), header({ v: 99 })),
    otherKey: passengerKeyFor(randomKey()),
  };
});

after(async () => {
  await server?.close();
});

forEachEngine((ctx) => {
  test("every error code, hostile arguments and bounded memory, in the page", { timeout: 600_000 }, async () => {
    const page = await openPage(ctx.engine, server.url);
    const results = await page.evaluate(runAllInPage, inputs);
    const names = results.map((r) => r.name);
    // All the Node suites' checks ran (a renamed or lost check fails here).
    assert.ok(names.includes("errors: every error code was reached from JavaScript"), names.join("; "));
    assert.ok(names.includes("hostile: every export, every argument position, every hostile value"), names.join("; "));
    assert.ok(names.includes("memory: memory does not grow over repeated enroll/verify cycles"), names.join("; "));
    assert.equal(results.length, 11, names.join("; "));
    assert.deepEqual(results.filter((r) => r.error !== null), [], `failed in ${ctx.name}`);
    assert.deepEqual(await page.errors(), []);
    await page.close();
  });
});
