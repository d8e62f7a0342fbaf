// Every browser engine of tests/engines (Chromium, Firefox, WebKit; Debian's,
// never a downloaded browser), a small static file server on 127.0.0.1, a
// plain page over a copy of pkg/, and the fingerprint job every page test runs.

import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, describe } from "node:test";
import { enginesToRun, launchEngine, skipReason } from "../engines/index.mjs";
import { ROOT, fixture, header, joseToken, randomKey } from "./support.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".css": "text/css",
};

/** Serves `root` on 127.0.0.1 at a free port. Returns { url, close }. */
export async function serve(root) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(normalize(root))) throw new Error("outside root");
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * A temporary folder served on 127.0.0.1 holding a copy of pkg/ (`make pkg`),
 * `index.html` (the given text), `files` (`{ name: source path }`, copied)
 * and `links` (`{ name: path }`, symlinked when the path exists). Returns
 * `{ url, dir, close }`; `close` also removes the folder.
 */
export async function servePkgPage(html, { files = {}, links = {} } = {}) {
  assert.ok(existsSync(join(ROOT, "pkg", "sealmatch.js")), "pkg/ is built (make pkg)");
  const dir = mkdtempSync(join(tmpdir(), "sealmatch-page-"));
  cpSync(join(ROOT, "pkg"), join(dir, "pkg"), { recursive: true });
  writeFileSync(join(dir, "index.html"), html);
  for (const [name, from] of Object.entries(files)) cpSync(from, join(dir, name));
  for (const [name, to] of Object.entries(links)) if (existsSync(to)) symlinkSync(to, join(dir, name));
  const server = await serve(dir);
  return {
    url: server.url,
    dir,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A node:test `describe` per engine of `enginesToRun()` (skipped, or failing
 * under SEALMATCH_ENGINES_REQUIRED=1, when the engine is missing here), the
 * engine launched before its tests and closed after them. `body(ctx)`
 * declares the tests; they read `ctx.engine` (and `ctx.name`).
 *
 * ```js
 * forEachEngine((ctx) => {
 *   test("loads", async () => { const page = await openPage(ctx.engine, url); });
 * });
 * ```
 */
export function forEachEngine(body, launchOptions = {}) {
  for (const name of enginesToRun()) {
    describe(`in ${name}`, { skip: skipReason(name) }, () => {
      const ctx = { name, engine: null };
      before(async () => {
        ctx.engine = await launchEngine(name, launchOptions);
      });
      after(async () => {
        await ctx.engine?.close();
      });
      body(ctx);
    });
  }
}

/**
 * Opens `url` in a new page of `engine` (tests/engines), waits for the page
 * to set `window.sealmatchReady` (or `window.sealmatchFailed`), and returns
 * the page. Check `await page.errors()` for page errors and
 * `await pageRequests(page)` for what it fetched.
 */
export async function openPage(engine, url) {
  const page = await engine.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.sealmatchReady === true || window.sealmatchFailed !== undefined, null, {
    timeout: 120_000,
  });
  const failed = await page.evaluate(() => window.sealmatchFailed ?? null);
  if (failed !== null) throw new Error(`the page failed to load sealmatch in ${engine.name}: ${failed}`);
  return page;
}

/**
 * The path of every resource the page has fetched since it started loading,
 * in order (from Resource Timing, which every engine has).
 */
export function pageRequests(page) {
  return page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
}

/**
 * The fingerprint job in a page whose `window.sealmatch` holds the package's
 * exports ([`checkInPage`] on a jose token, a "v":99 token and the synthetic
 * finger 101_1), with its results asserted; and no request of the page so
 * far was for the face weights (`sealmatch-face.bin`, or a bundler's hashed
 * copy of it): `init()` and the fingerprint path never fetch them.
 */
export async function fingerprintJobInPage(page) {
  const token = await joseToken(randomKey(), header({ iat: 1_800_000_000, exp: 1_800_003_600 }));
  const v99 = await joseToken(randomKey(), header({ v: 99 }));
  const gray = await fixture("101_1");
  const out = await checkInPage(page, {
    token,
    v99,
    gray: { width: gray.width, height: gray.height, pixels: Array.from(gray.pixels) },
  });
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
  const face = (await pageRequests(page)).filter((p) => /sealmatch-face[^/]*\.bin$/.test(p));
  assert.deepEqual(face, [], "the face weights were fetched without initFace");
}

/**
 * Runs the same checks in a page whose `window.sealmatch` holds the package's
 * exports: inspectToken on a jose token, the error codes for a truncated
 * token and "v":99, and a full enroll/verify from grey pixels and ImageData.
 */
export async function checkInPage(page, { token, expectedHeader, v99, gray }) {
  return page.evaluate(
    ({ token, v99, gray }) => {
      const sm = window.sealmatch;
      const codeOf = (fn) => {
        try {
          fn();
          return "no error";
        } catch (e) {
          return `${e instanceof Error ? "Error" : typeof e}:${e.code}`;
        }
      };
      const out = {};
      out.header = sm.inspectToken(token);
      out.truncated = codeOf(() => sm.inspectToken(token.slice(0, -3)));
      out.v99 = codeOf(() => sm.inspectToken(v99));
      out.badArg = codeOf(() => sm.inspectToken(42));
      out.nanWidth = codeOf(() => sm.Capture.fromGray(NaN, 1, new Uint8Array(1), 500));
      const pixels = new Uint8Array(gray.pixels);
      const cap = sm.Capture.fromGray(gray.width, gray.height, pixels, 500);
      // A real canvas ImageData, as a browser page would have it.
      const rgba = new Uint8ClampedArray(gray.width * gray.height * 4);
      for (let i = 0; i < pixels.length; i++) {
        rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = pixels[i];
        rgba[4 * i + 3] = 255;
      }
      const fromCanvas = sm.Capture.fromImageData(new ImageData(rgba, gray.width, gray.height), 500);
      out.sameCapture = fromCanvas.quality === cap.quality && fromCanvas.minutiaeCount === cap.minutiaeCount;
      const now = 1_800_000_000;
      const sealed = sm.enroll([cap], { bagTag: "0117123456", flight: "SK1415", now });
      out.inspected = sm.inspectToken(sealed.token);
      out.verified = sm.verify(fromCanvas, sealed.token, sealed.passengerKey, { bagTag: "0117123456", now: now + 1 });
      out.wrongBag = codeOf(() => sm.verify(cap, sealed.token, sealed.passengerKey, { bagTag: "0117000000", now }));
      cap.free();
      out.freed = codeOf(() => cap.quality);
      fromCanvas.free();
      return out;
    },
    { token, v99, gray },
  );
}
