// The package from a plain `<script type="module">` page, no bundler:
// the page imports ./pkg/sealmatch.js by path and runs in every engine
// (Chromium, Firefox, WebKit; tests/engines).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fingerprintJobInPage, forEachEngine, openPage, servePkgPage } from "./browser.mjs";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch plain page</title>
<script type="module">
  import init, { Capture, enroll, verify, inspectToken } from "./pkg/sealmatch.js";
  init().then(
    () => {
      window.sealmatch = { Capture, enroll, verify, inspectToken };
      window.sealmatchReady = true;
    },
    (e) => { window.sealmatchFailed = String(e && e.message) + " / " + String(e && e.cause); },
  );
</script>
`;

let server;

before(async () => {
  server = await servePkgPage(PAGE);
});

after(async () => {
  await server?.close();
});

forEachEngine((ctx) => {
  test("a plain module page loads the package and runs the whole job", async () => {
    const page = await openPage(ctx.engine, server.url);
    await fingerprintJobInPage(page);
    assert.deepEqual(await page.errors(), []);
  });
});
