// The demo pages in every browser engine (issue 16): per engine of
// `enginesToRun()` (Chromium, Firefox, WebKit; SEALMATCH_ENGINES restricts),
// driven by tests/engines/ (Debian's browsers, nothing downloaded), against
// the real server:
//
//   bag drop   a passenger drops a bag with two sample-finger scans (the page's
//              module worker), gets a passenger key
//   boarding   the same passenger boards with another impression, the page
//              forced onto its main-thread fallback (?matcher=main-thread)
//   check-in   web check-in with the face on a camera, then the bag drop kiosk
//              verifies that face against the check-in token (typed booking
//              reference and key) and drops a bag
//
// The camera: Chromium's fake camera fed a .y4m of a drawn cartoon face
// (tests/face_draw.mjs); Firefox and WebKit have no file-fed camera, so the
// page's `navigator.mediaDevices.getUserMedia` is replaced by one returning a
// canvas `captureStream()` of the same face. That stand-in refuses any
// constraint (OverconstrainedError), as a camera that cannot satisfy them
// does, so the page's relaxed retry (`video: true`) runs there. No LFW data
// is needed.
//
// Asserted per engine: the paths the pages report on <body data-path-*>
// (www/js/fallbacks.js): matcher (worker / main-thread), wasm (simd /
// nosimd), qr (barcode-detector / jsqr), camera (as-asked / relaxed). No
// timing is asserted.

import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

import { startServer } from "./lib/server.mjs";
import { writeY4m } from "./lib/fakecam.mjs";
import { makeSamples } from "../../scripts/demo-samples.mjs";
import { drawFace } from "../face_draw.mjs";
import { enginesToRun, launchEngine, skipReason } from "../engines/index.mjs";
import { ROOT, SERVER_BIN, SYNTH_BIN, PKG, requireBuilt, JSQR_DIR } from "./lib/paths.mjs";
import { openPage } from "./lib/pages.mjs";

/** Generous: a loaded 2-core machine, a debug server, WebKit under Xvfb. */
const STEP = 180_000;
const FLIGHT = "SK3301";

/** The drawn face every camera shows: 640×480, one frontal face. */
const FACE = { width: 640, height: 480, faces: [{ cx: 320, cy: 240, s: 220 }], seed: 5 };

/**
 * Replaces the page's getUserMedia with a canvas stream of the drawn face
 * (served at /testlib/face_draw.mjs); a request with constraints other than
 * `video: true` is refused with an OverconstrainedError. Runs in the page.
 * @param {typeof FACE} face
 */
async function installCanvasCamera(face) {
  const { drawFaceRgba } = await import("/testlib/face_draw.mjs");
  const canvas = document.createElement("canvas");
  canvas.width = face.width;
  canvas.height = face.height;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const image = new ImageData(drawFaceRgba(face.width, face.height, face.faces, face.seed), face.width, face.height);
  ctx.putImageData(image, 0, 0);
  // A canvas stream only sends frames when the canvas is drawn on.
  setInterval(() => ctx.putImageData(image, 0, 0), 100);
  /** @type {any} */ (window).__cameraRequests = [];
  // On the prototype: WebKit may collect the `navigator.mediaDevices` wrapper,
  // and a property set on the instance with it.
  MediaDevices.prototype.getUserMedia = async (constraints) => {
    /** @type {any} */ (window).__cameraRequests.push(JSON.stringify(constraints));
    if (constraints?.video !== true) {
      const e = new Error("the stand-in camera takes no constraints");
      e.name = "OverconstrainedError";
      throw e;
    }
    return canvas.captureStream(10);
  };
  return true;
}

/**
 * Polls `fn(arg)` in the page until it returns something truthy; returns it.
 * @param {any} page @param {Function} fn @param {any} [arg] @param {number} [timeout]
 */
async function until(page, fn, arg = null, timeout = STEP) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > deadline) {
      // What the page shows, to tell why: its step and paths, and any message.
      const state = await page.evaluate(() => ({
        ...document.body.dataset,
        camera: { ...document.getElementById("face-cam")?.dataset },
        messages: [...document.querySelectorAll("[role=alert]:not([hidden]), [role=status]:not([hidden])")].map((e) => e.textContent?.trim()).filter(Boolean),
      }));
      throw new Error(`timed out waiting for ${fn.toString().slice(0, 160)}; the page: ${JSON.stringify(state)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Clicks `selector` once the busy indicator (fixed at the bottom of the
 * window, over whatever is there) is gone: WebDriver clicks fail on a covered
 * element where Playwright's wait.
 * @param {any} page @param {string} selector
 */
async function click(page, selector) {
  await until(page, () => document.getElementById("busy")?.hidden !== false);
  await page.click(selector);
}

/** The `data-path-*` attributes of the page's <body>. @param {any} page */
const paths = (page) =>
  page.evaluate(() => {
    const d = document.body.dataset;
    return { matcher: d.pathMatcher ?? null, wasm: d.pathWasm ?? null, qr: d.pathQr ?? null, camera: d.pathCamera ?? null };
  });

/** Shows step `id` (waits for it). @param {any} page @param {string} id */
const visible = (page, id) => until(page, (s) => document.getElementById(s)?.hidden === false, id);

/**
 * One sample-finger scan in the capture panel; asserts it is good.
 * @param {any} page @param {number} finger @param {number} impression
 */
async function scan(page, finger, impression) {
  // The panel is built once the sample list has loaded, maybe after its step shows.
  await page.waitFor("[data-role=scanner-sample]", { timeout: STEP });
  const before = await page.evaluate(() => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0));
  await click(page, "[data-role=scanner-sample]");
  await page.evaluate(([f, i]) => {
    const set = (/** @type {string} */ role, /** @type {number} */ v) => {
      const s = /** @type {HTMLSelectElement} */ (document.querySelector(`[data-role=${role}]`));
      s.value = String(v);
      s.dispatchEvent(new Event("change", { bubbles: true }));
    };
    set("finger", f);
    set("impression", i);
  }, [finger, impression]);
  await click(page, "[data-role=scan-sample]");
  await until(page, (n) => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0) > n, before);
  assert.equal(await page.attr("#capture-panel", "data-quality"), "good", `scan ${finger}/${impression}`);
}

const engines = enginesToRun();

for (const name of engines) {
  test(`the demo pages in ${name}: bag drop, boarding, web check-in with a camera`, { skip: skipReason(name), timeout: 1_200_000 }, async (t) => {
    requireBuilt("server", "synth", "package", "faceWeights");
    const work = mkdtempSync(join(tmpdir(), `sealmatch-engines-${name}-`));
    const samples = join(work, "samples");
    const manifest = makeSamples({ synth: SYNTH_BIN, out: samples, fingers: 2, impressions: 3, seed: 11 });
    assert.equal(manifest.fingers.length, 2);
    const testlib = join(work, "testlib");
    mkdirSync(testlib);
    cpSync(join(ROOT, "tests/face_draw.mjs"), join(testlib, "face_draw.mjs"));
    const kioskKey = randomBytes(24).toString("hex");
    const server = await startServer({
      bin: SERVER_BIN, db: join(work, "sealmatch.db"), kioskKey, www: join(ROOT, "www"), pkg: PKG, log: join(work, "server.log"),
      mounts: { "/samples": samples, "/vendor": JSQR_DIR, "/testlib": testlib },
    });

    // Chromium's camera is a file; the others get the canvas stand-in.
    const fileCamera = name === "chromium";
    const y4m = join(work, "face.y4m");
    if (fileCamera) {
      writeY4m(y4m, [{ image: { width: FACE.width, height: FACE.height, data: drawFace(FACE.width, FACE.height, FACE.faces, FACE.seed) }, frames: 2 }], 10);
    }
    const engine = await launchEngine(name, fileCamera ? { fakeCameraY4m: y4m } : {});
    t.diagnostic(`${name} ${engine.version}`);
    const page = await engine.newPage();
    await page.setViewport(1100, 900);
    /** the paths each page reported */
    const seen = {};
    const camera = async () => {
      if (!fileCamera) assert.equal(await page.evaluate(installCanvasCamera, FACE), true);
    };
    let passengerKey = "";
    const BAG = "0117300001";
    try {
      await t.test("bag drop with two fingerprint scans (module worker)", async () => {
        await openPage(page, `${server.url}/bagdrop.html#key=${kioskKey}`);
        await click(page, "#consent-yes");
        await page.fill("#flight", FLIGHT);
        await page.fill("#bag-tag", BAG);
        await click(page, "#trip-next");
        for (const impression of [0, 1]) {
          await scan(page, 0, impression);
          await click(page, "#use-scan");
        }
        await click(page, "#enroll");
        await visible(page, "step-done");
        passengerKey = ((await page.text("#passenger-key")) ?? "").trim();
        assert.match(passengerKey, /^smk1_[A-Za-z0-9_-]{48}$/);
        seen.bagdrop = await paths(page);
      });

      await t.test("boarding with another impression, on the page's thread (?matcher=main-thread)", async () => {
        await openPage(page, `${server.url}/boarding.html?matcher=main-thread`);
        await page.fill("#passenger-key", passengerKey);
        await page.fill("#bag-tag", BAG);
        await click(page, "#fetch-token");
        await visible(page, "step-capture");
        await scan(page, 0, 2);
        await click(page, "#verify");
        await visible(page, "step-boarded");
        assert.match((await page.text("#boarded-how")) ?? "", /matched/);
        seen.boarding = await paths(page);
      });

      await t.test("web check-in with the face on a camera, verified at the bag drop kiosk", async () => {
        const ref = "ENG" + name.slice(0, 3).toUpperCase();
        await openPage(page, `${server.url}/checkin.html`);
        await camera();
        await page.fill("#booking-ref", ref);
        await page.fill("#flight", FLIGHT);
        await click(page, "#booking-next");
        await visible(page, "step-consent");
        await click(page, "#consent-yes");
        await visible(page, "step-camera");
        await until(page, () => document.getElementById("face-cam")?.dataset.feedback === "good");
        await until(page, () => /** @type {HTMLButtonElement} */ (document.getElementById("take-photo")).disabled === false);
        await click(page, "#take-photo");
        await visible(page, "step-storage");
        await click(page, "#store-server");
        await until(page, () => !document.getElementById("step-done")?.hidden || !document.getElementById("storage-status")?.hidden);
        assert.equal(await page.evaluate(() => document.getElementById("storage-status")?.hidden), true, "storing the check-in failed");
        const key = ((await page.text("#passenger-key")) ?? "").trim();
        assert.match(key, /^smk1_[A-Za-z0-9_-]{48}$/);
        seen.checkin = await paths(page);

        await openPage(page, `${server.url}/bagdrop.html`);
        await camera();
        await click(page, "#to-face");
        await visible(page, "step-face-pass");
        // The QR scan starts with the camera (it finds no code on a face); the
        // typed reference and key go on.
        await until(page, () => document.body.dataset.pathQr);
        await page.fill("#face-ref", ref);
        await page.fill("#face-key", key);
        await click(page, "#face-pass-next");
        await visible(page, "step-face-bags");
        await page.fill("#face-bag-tag", "0117300002");
        await click(page, "#face-bag-add");
        await until(page, () => (document.getElementById("face-bags-list")?.textContent ?? "").includes("0117300002"));
        await click(page, "#face-finish");
        await visible(page, "step-face-done");
        seen.faceBagdrop = await paths(page);
        if (!fileCamera) {
          const asked = await page.evaluate(() => /** @type {any} */ (window).__cameraRequests);
          assert.ok(asked.length >= 2 && asked.at(-1) === '{"video":true,"audio":false}', `camera requests: ${asked}`);
        }
      });

      await t.test("the paths the pages took", () => {
        t.diagnostic(`${name}: ${JSON.stringify(seen)}`);
        assert.deepEqual(seen.bagdrop, { matcher: "worker", wasm: "simd", qr: null, camera: null });
        assert.deepEqual(seen.boarding, { matcher: "main-thread", wasm: "simd", qr: null, camera: null });
        const camera = fileCamera ? "as-asked" : "relaxed";
        assert.deepEqual(seen.checkin, { matcher: "worker", wasm: "simd", qr: null, camera });
        // No engine here has a BarcodeDetector that knows QR codes (Chromium
        // has one only on Android, ChromeOS and macOS): jsQR reads them.
        assert.deepEqual(seen.faceBagdrop, { matcher: "worker", wasm: "simd", qr: "jsqr", camera });
      });
    } finally {
      await page.close().catch(() => {});
      await engine.close();
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
}
