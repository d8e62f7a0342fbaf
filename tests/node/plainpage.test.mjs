// The package from a plain `<script type="module">` page, no bundler:
// the page imports ./pkg/sealmatch.js by path and runs in headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fingerprintJobInPage, launch, openPage, servePkgPage } from "./browser.mjs";

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
let browser;

before(async () => {
  server = await servePkgPage(PAGE);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("a plain module page loads the package and runs the whole job in Chromium", async () => {
  const page = await openPage(browser, server.url);
  await fingerprintJobInPage(page);
  assert.deepEqual(page.problems, []);
});
