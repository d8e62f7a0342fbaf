// The package from a plain `<script type="module">` page, no bundler:
// the page imports ./pkg/sealmatch.js by path and runs in headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, fixture, header, joseToken, randomKey } from "./support.mjs";
import { checkInPage, launch, openPage, serve } from "./browser.mjs";

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

let dir;
let server;
let browser;

before(async () => {
  assert.ok(existsSync(join(ROOT, "pkg", "sealmatch.js")), "pkg/ is built (make pkg)");
  dir = mkdtempSync(join(tmpdir(), "sealmatch-plain-"));
  cpSync(join(ROOT, "pkg"), join(dir, "pkg"), { recursive: true });
  writeFileSync(join(dir, "index.html"), PAGE);
  server = await serve(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a plain module page loads the package and runs the whole job in Chromium", async () => {
  const page = await openPage(browser, server.url);
  const hdr = header({ iat: 1_800_000_000, exp: 1_800_003_600 });
  const token = await joseToken(randomKey(), hdr);
  const v99 = await joseToken(randomKey(), header({ v: 99 }));
  const gray = await fixture("101_1");
  const out = await checkInPage(page, { token, v99, gray: { width: gray.width, height: gray.height, pixels: Array.from(gray.pixels) } });
  assert.deepEqual(out.header, { version: 1, bagTag: "0117123456", flight: "SK1415", issuedAt: 1_800_000_000, expiresAt: 1_800_003_600 });
  assert.equal(out.truncated, "Error:TOKEN_MALFORMED");
  assert.equal(out.v99, "Error:TOKEN_UNSUPPORTED");
  assert.equal(out.badArg, "Error:INVALID_ARGUMENT");
  assert.equal(out.nanWidth, "Error:INVALID_ARGUMENT");
  assert.equal(out.sameCapture, true);
  assert.equal(out.inspected.bagTag, "0117123456");
  assert.equal(out.verified.match, true);
  assert.equal(out.wrongBag, "Error:WRONG_BAG");
  assert.equal(out.freed, "Error:INVALID_ARGUMENT");
  assert.deepEqual(page.problems, []);
});
