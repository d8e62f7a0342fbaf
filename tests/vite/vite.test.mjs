// The packed tarball in a Vite project: installed into an empty project,
// imported as "sealmatch", built with `vite build`, and the built page run in
// every engine (Chromium, Firefox, WebKit; tests/engines).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, createServer } from "vite";
import { freshProject, header, joseToken, randomKey } from "../node/support.mjs";
import { fingerprintJobInPage, forEachEngine, openPage, serve } from "../node/browser.mjs";

const INDEX = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch through Vite</title>
<script type="module" src="./main.js"></script>
`;

const MAIN = `import init, { Capture, enroll, verify, inspectToken } from "sealmatch";
init().then(
  () => {
    window.sealmatch = { Capture, enroll, verify, inspectToken };
    window.sealmatchReady = true;
  },
  (e) => { window.sealmatchFailed = String(e && e.message) + " / " + String(e && e.cause); },
);
`;

let project;
let server;

before(async () => {
  project = freshProject("sealmatch-vite-app");
  writeFileSync(join(project.dir, "index.html"), INDEX);
  writeFileSync(join(project.dir, "main.js"), MAIN);
  await build({ root: project.dir, logLevel: "warn", configFile: false, build: { outDir: "dist" } });
  server = await serve(join(project.dir, "dist"));
});

after(async () => {
  await server?.close();
  project?.cleanup();
});

test("vite build emits both .wasm builds (SIMD and non-SIMD) as assets", () => {
  const assets = readdirSync(join(project.dir, "dist", "assets"));
  const wasm = assets.filter((f) => f.endsWith(".wasm"));
  assert.ok(wasm.some((f) => f.startsWith("sealmatch_core_bg")), `assets: ${assets.join(", ")}`);
  assert.ok(wasm.some((f) => f.startsWith("sealmatch_core_nosimd_bg")), `assets: ${assets.join(", ")}`);
});

forEachEngine((ctx) => {
  test("the Vite-built page loads sealmatch and runs the whole job", async () => {
    const page = await openPage(ctx.engine, server.url);
    await fingerprintJobInPage(page);
    assert.deepEqual(await page.errors(), []);
  });

  test("the Vite dev server serves sealmatch too, with no special config", async () => {
    const dev = await createServer({
      root: project.dir,
      configFile: false,
      logLevel: "silent",
      server: { host: "127.0.0.1", port: 0, strictPort: false },
    });
    await dev.listen();
    try {
      const page = await openPage(ctx.engine, dev.resolvedUrls.local[0]);
      const token = await joseToken(randomKey(), header({ iat: 1_800_000_000, exp: 1_800_003_600 }));
      const got = await page.evaluate((t) => window.sealmatch.inspectToken(t), token);
      assert.equal(got.expiresAt, 1_800_003_600);
      assert.deepEqual(await page.errors(), []);
    } finally {
      await dev.close();
    }
  });
});
