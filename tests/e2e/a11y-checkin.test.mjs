// Accessibility and languages of web check-in (issue 15): the real server and
// pages in Debian's Chromium (playwright-core), Chromium's fake camera fed
// with frames DRAWN here (tests/face_draw.mjs: a cartoon face the library
// detects and enrolls, or the empty background), so this test needs no face
// photos and always runs.
//
// Each state is checked with axe-core (WCAG 2.0-2.2 A/AA), in English and in
// Arabic, with screenshots at 320 px and at 200 % zoom (tests/e2e/screenshots/a11y/,
// git-ignored) and reflow at both; Arabic is laid out right to left. States:
// booking form, its errors, manual path (from the first screen, from consent
// and from the camera), consent, camera with guidance (no face), storage
// choice, storage error (no kiosk key), done with the token on the server,
// done with the token only on the phone, the booking form with a saved check-in.
// Everything after page.goto is done with the keyboard alone.
//
// Also: the face guide is announced on change only (a steady "no face" is
// announced once, however many frames pass); pressing "Take my photo" keeps
// the focus and nothing times out; "Photo 2 of 3 taken" is announced; the QR
// code has a text alternative and the key is selectable text with a working
// "Copy the key" button; switching language with the chooser keeps the state
// and lasts for the session.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

import { startServer } from "./lib/server.mjs";
import { writeY4m } from "./lib/fakecam.mjs";
import { A11Y_CONTEXT, AXE_VERSION, SCREENSHOTS, assertNoAxeViolations, assertReflows, assertVisibleFocus, screenshotsAtSmallSizes, tabTo } from "./lib/a11y.mjs";
import { drawFace } from "../face_draw.mjs";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { HERE, ROOT, CHROMIUM, SERVER_BIN, PKG, requireBuilt } from "./lib/paths.mjs";
import { openPage } from "./lib/pages.mjs";

const STEP = 180_000;
const FLIGHT = "SK2207";
const KEY_SHAPE = /^smk1_[A-Za-z0-9_-]{48}$/;

/** The language files, for the expected texts. */
const FILES = Object.fromEntries(["en", "ar", "de"].map((code) => [code, JSON.parse(readFileSync(join(ROOT, "www/i18n", `${code}.json`), "utf8"))]));

/**
 * The text of `key` in `lang` (English where the file has none yet), placeholders filled.
 * @param {string} lang @param {string} key @param {Record<string, string | number>} [params]
 */
function tr(lang, key, params = {}) {
  const dot = key.indexOf(".");
  const [section, name] = [key.slice(0, dot), key.slice(dot + 1)];
  const text = FILES[lang][section]?.[name] ?? FILES.en[section]?.[name];
  assert.ok(text, `no text for ${key}`);
  return text.replace(/\{(\w+)\}/g, (whole, p) => (p in params ? String(params[p]) : whole));
}

test("web check-in: axe-core, 320 px and 200 % zoom, right to left, keyboard only, announcements, languages", { timeout: 1_800_000 }, async (t) => {
  const started = Date.now();
  requireBuilt("chromium", "server", "package", "faceWeights");
  const work = mkdtempSync(join(tmpdir(), "sealmatch-a11y-checkin-"));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const kioskKey = randomBytes(24).toString("hex");
  const server = await startServer({ bin: SERVER_BIN, db: join(work, "sealmatch.db"), kioskKey, www: join(ROOT, "www"), pkg: PKG, log: join(work, "server.log") });
  /** @type {import("playwright-core").Browser[]} */
  const browsers = [];
  const pageErrors = [];

  /** A .y4m of one drawn frame: the background alone, or with one cartoon face filling the oval. */
  const feed = (/** @type {string} */ name, /** @type {Array<{ cx: number, cy: number, s: number }>} */ faces) => {
    const path = join(work, `${name}.y4m`);
    writeY4m(path, [{ image: { width: 640, height: 480, data: drawFace(640, 480, faces, 5) }, frames: 1 }], 2);
    return path;
  };

  /** A browser whose camera shows `video`, and a page in it at device scale 2. */
  async function open(/** @type {string} */ video) {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
    });
    browsers.push(browser);
    const context = await browser.newContext({ ...A11Y_CONTEXT, viewport: { width: 1024, height: 800 }, deviceScaleFactor: 2 });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.setDefaultTimeout(STEP);
    return page;
  }

  /** The current step, the language and direction. */
  const where = (/** @type {import("playwright-core").Page} */ page) =>
    page.evaluate(() => ({ step: document.body.dataset.step, lang: document.documentElement.lang, dir: document.documentElement.dir }));
  const stepIs = (/** @type {import("playwright-core").Page} */ page, /** @type {string} */ step) => page.waitForSelector(`#${step}:not([hidden])`);
  const text = async (/** @type {import("playwright-core").Page} */ page, /** @type {string} */ selector) => ((await page.textContent(selector)) ?? "").replace(/\s+/g, " ").trim();

  /** axe-core, then screenshots and reflow at 320 px and at 200 % zoom (640×450 CSS px at device scale 2). */
  async function check(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ state) {
    await page.waitForSelector("#busy", { state: "hidden" });
    await assertNoAxeViolations(page, `check-in ${state}`);
    await screenshotsAtSmallSizes(page, `checkin-${state}`);
    const before = page.viewportSize();
    await page.setViewportSize({ width: 640, height: 450 });
    await assertReflows(page, `check-in ${state} at 200 %`);
    await page.screenshot({ path: join(SCREENSHOTS, `checkin-${state}-zoom200.png`), fullPage: true });
    if (before) await page.setViewportSize(before);
  }

  /**
   * In `lang`'s direction, `first` comes before `second` (left of it in
   * English, right of it in Arabic): the layout really is mirrored.
   */
  async function assertOrder(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ lang, /** @type {string} */ first, /** @type {string} */ second) {
    const [a, b] = [await page.locator(first).boundingBox(), await page.locator(second).boundingBox()];
    assert.ok(a && b, `${first} and ${second} are shown`);
    if (lang === "ar") assert.ok(a.x > b.x + b.width / 2, `right to left: ${first} (x ${a.x}) is right of ${second} (x ${b.x})`);
    else assert.ok(a.x + a.width / 2 < b.x, `left to right: ${first} (x ${a.x}) is left of ${second} (x ${b.x})`);
  }

  /** Tabs to `selector` and presses Enter (keyboard only), with a visible focus on the way. */
  async function press(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ selector) {
    await tabTo(page, selector, 80);
    await assertVisibleFocus(page);
    await page.keyboard.press("Enter");
  }

  /** Types into the field `selector` after reaching it by Tab, replacing what it holds. */
  async function typeInto(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ selector, /** @type {string} */ value) {
    await tabTo(page, selector, 80);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(value);
  }

  try {
    await t.test("booking, errors, manual path, consent and the camera's guidance (no face), in English and Arabic", async () => {
      const page = await open(feed("no-face", []));
      for (const lang of ["en", "ar"]) {
        await openPage(page, `${server.url}/checkin.html?lang=${lang}`);
        await page.waitForFunction((l) => document.documentElement.lang === l && document.body.dataset.step === "step-booking", lang);
        assert.deepEqual(await where(page), { step: "step-booking", lang, dir: lang === "ar" ? "rtl" : "ltr" });
        assert.equal(await page.title(), tr(lang, "checkin.title"));
        assert.equal(await text(page, "#step-booking h2"), tr(lang, "checkin.booking_title"));
        assert.equal(await text(page, "label[for=booking-ref]"), tr(lang, "checkin.booking_ref"));
        // the first screen offers the language chooser and the manual path
        assert.equal(await page.locator("#language-chooser button[lang]").count(), 10);
        assert.equal(await text(page, "#booking-manual"), tr(lang, "checkin.manual_choose"));
        await assertOrder(page, lang, "header .home", "header h1");
        await check(page, `booking-${lang}`);

        // the manual path straight from the first screen, and back
        await press(page, "#booking-manual");
        await stepIs(page, "step-manual");
        assert.equal(await text(page, "#step-manual h2"), tr(lang, "checkin.manual_title"));
        await check(page, `manual-${lang}`);
        await press(page, "#manual-back");
        await stepIs(page, "step-booking");

        // Next with nothing typed: the page's own errors, linked to the fields, focus on the first
        await press(page, "#booking-next");
        await page.waitForSelector("#booking-ref-error:not([hidden])");
        assert.equal(await page.evaluate(() => document.activeElement?.id), "booking-ref", "the first wrong field gets the focus");
        assert.equal(await page.getAttribute("#booking-ref", "aria-invalid"), "true");
        assert.match((await page.getAttribute("#booking-ref", "aria-describedby")) ?? "", /\bbooking-ref-error\b/);
        assert.equal(await text(page, "#booking-ref-error"), tr(lang, "checkin.booking_ref_missing"));
        assert.equal(await text(page, "#flight-error"), tr(lang, "checkin.flight_missing"));
        assert.equal(await where(page).then((w) => w.step), "step-booking");
        await check(page, `booking-error-${lang}`);
        // a malformed reference, then the right one: the error goes as soon as it is right
        await page.keyboard.type("K7Q");
        await page.keyboard.press("Enter");
        await page.waitForFunction((msg) => document.getElementById("booking-ref-error")?.textContent === msg, tr(lang, "checkin.booking_ref_invalid"));
        await page.keyboard.type("2ZX");
        await page.waitForSelector("#booking-ref-error", { state: "hidden" });
        assert.equal(await page.getAttribute("#booking-ref", "aria-invalid"), "false");
        await typeInto(page, "#flight", FLIGHT);
        await page.keyboard.press("Enter");

        await stepIs(page, "step-consent");
        assert.equal(await text(page, "#step-consent h2"), tr(lang, "checkin.consent_title"));
        await assertOrder(page, lang, "#consent-yes", "#consent-no");
        await check(page, `consent-${lang}`);
        await press(page, "#consent-no");
        await stepIs(page, "step-manual");
        await press(page, "#manual-back");
        await stepIs(page, "step-consent");

        // the camera: no face in view; the guide says so, and is announced once
        await press(page, "#consent-yes");
        await stepIs(page, "step-camera");
        await page.waitForSelector('#face-cam[data-announced="no_face"]');
        const noFace = tr(lang, "lib.face.no_face");
        assert.equal(await text(page, "[data-role=face-guide]"), noFace);
        assert.equal(await text(page, "[data-role=face-announce]"), noFace);
        assert.equal(await page.getAttribute("[data-role=face-announce]", "role"), "status");
        assert.equal(await page.getAttribute("[data-role=face-guide]", "aria-live"), null, "the per-frame guide line is not itself live");
        assert.equal(await page.getAttribute("[data-role=face-video]", "aria-label"), tr(lang, "common.facecam_view"));
        // many frames of the same guide: no new announcement, the guide line is not even rewritten
        await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          w.rewrites = { announce: 0, guide: 0 };
          new MutationObserver((m) => (w.rewrites.announce += m.length)).observe(document.querySelector("[data-role=face-announce]"), { childList: true, characterData: true, subtree: true });
          new MutationObserver((m) => (w.rewrites.guide += m.length)).observe(document.querySelector("[data-role=face-guide]"), { childList: true, characterData: true, subtree: true });
          w.framesAtStart = Number(document.getElementById("face-cam")?.dataset.frames);
        });
        // "Take my photo" with no face: the button keeps the focus, nothing is taken, nothing times out
        await press(page, "#take-photo");
        await page.waitForSelector('#take-photo[aria-disabled="true"]');
        assert.equal(await page.evaluate(() => document.activeElement?.id), "take-photo", "pressing it keeps the focus");
        assert.equal(await text(page, "#photo-count"), tr(lang, "checkin.taking"));
        await page.waitForFunction(() => Number(document.getElementById("face-cam")?.dataset.frames) >= /** @type {any} */ (window).framesAtStart + 8);
        const rewrites = await page.evaluate(() => /** @type {any} */ (window).rewrites);
        assert.deepEqual(rewrites, { announce: 0, guide: 0 }, "a steady guide is announced once, not every frame");
        assert.equal(await page.getAttribute("#face-cam", "data-taken"), "0");
        assert.equal((await where(page)).step, "step-camera", "still waiting for the passenger: no time limit");
        assert.equal(await page.isVisible("#camera-status"), false, "no error, no timeout");
        await check(page, `camera-noface-${lang}`);
        // the manual path beside the camera stops the camera
        await press(page, "#camera-manual");
        await stepIs(page, "step-manual");
        assert.equal(await page.getAttribute("#face-cam", "data-feedback"), null, "the camera stopped");
        await press(page, "#manual-back");
        await stepIs(page, "step-consent");
      }
      await page.context().browser()?.close();
    });

    await t.test("photos, storage choice and its error, done (server and phone), copy the key, language switch, in English and Arabic", async () => {
      const page = await open(feed("face", [{ cx: 320, cy: 240, s: 220 }]));
      /** Booking to the storage step with the keyboard; returns the photo-count texts announced. */
      async function photos(/** @type {string} */ ref) {
        await stepIs(page, "step-booking");
        await typeInto(page, "#booking-ref", ref);
        await typeInto(page, "#flight", FLIGHT);
        await page.keyboard.press("Enter");
        await stepIs(page, "step-consent");
        await press(page, "#consent-yes");
        await page.waitForSelector("#take-photo:not([disabled])");
        await page.waitForSelector('#face-cam[data-feedback="good"]');
        // a new guide is announced: the status line follows the guide line once it holds
        await page.waitForSelector('#face-cam[data-announced="good"]');
        const lang = (await where(page)).lang;
        assert.equal(await text(page, "[data-role=face-announce]"), tr(lang, "lib.face.good"));
        await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          w.progress = [];
          const box = /** @type {HTMLElement} */ (document.getElementById("photo-count"));
          new MutationObserver(() => w.progress.push(box.textContent)).observe(box, { childList: true, characterData: true, subtree: true });
        });
        await press(page, "#take-photo");
        await stepIs(page, "step-storage");
        return page.evaluate(() => /** @type {any} */ (window).progress);
      }

      // English, no kiosk key yet: the server refuses the token (the error state)
      await openPage(page, `${server.url}/checkin.html?lang=en`);
      const progress = await photos("K7Q2ZX");
      for (const n of [1, 2, 3]) assert.ok(progress.includes(tr("en", "checkin.photo_progress", { n, total: 3 })), `"photo ${n} of 3" announced: ${JSON.stringify(progress)}`);
      assert.equal(await page.getAttribute("#photo-count", "role"), "status");
      assert.equal(await text(page, "#photos-taken"), tr("en", "checkin.photos_taken", { n: 3 }));
      await check(page, "storage-en");
      await press(page, "#store-server");
      await page.waitForSelector("#storage-status:not([hidden])");
      assert.equal(await page.getAttribute("#storage-status", "role"), "alert");
      assert.match(await text(page, "#storage-status"), /\(unauthorized\)$/);
      await check(page, "storage-error-en");
      // sign in in the header, then store on the server
      await typeInto(page, "#kiosk-key", kioskKey);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#kiosk-key-bar button.link");
      await press(page, "#store-server");
      await stepIs(page, "step-done");

      // done, token on the server: the QR code's text alternative, the key as text, copy by keyboard
      const key = await text(page, "#passenger-key");
      assert.match(key, KEY_SHAPE);
      assert.equal(await page.getAttribute("#pass-qr", "role"), "img");
      assert.equal(await page.getAttribute("#pass-qr", "aria-label"), tr("en", "checkin.qr_label_server"));
      assert.equal(await page.getAttribute("#pass-qr", "aria-describedby"), "done-key-box");
      assert.equal(await page.getAttribute("#done-key-box", "aria-labelledby"), "passenger-key-label");
      assert.match(await text(page, "#passenger-key-label"), /passenger key/);
      assert.equal(await page.getAttribute("#passenger-key", "dir"), "ltr");
      await press(page, "#copy-key");
      await page.waitForFunction((msg) => document.getElementById("copy-status")?.textContent === msg, tr("en", "checkin.key_copied"));
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key, "the key is on the clipboard");
      assert.equal(await page.evaluate(() => getSelection()?.toString()), key, "and selected on screen");
      assert.equal(await page.getAttribute("#copy-status", "role"), "status");
      await check(page, "done-server-en");

      // the chooser, by keyboard: German keeps the done screen and its key; then Arabic
      await press(page, '#language-chooser button[lang="de"]');
      await page.waitForFunction(() => document.documentElement.lang === "de");
      assert.equal((await where(page)).step, "step-done", "the state survives the switch");
      assert.equal(await text(page, "#step-done h2"), tr("de", "checkin.done_title"));
      assert.equal(await text(page, "#passenger-key"), key);
      assert.equal(await text(page, "#done-where"), tr("de", "checkin.done_where_server"));
      assert.equal(await page.getAttribute("#pass-qr", "aria-label"), tr("de", "checkin.qr_label_server"));
      assert.equal(await page.title(), tr("de", "checkin.title"));
      assert.equal(await page.getAttribute('#language-chooser button[lang="de"]', "aria-pressed"), "true");
      await press(page, '#language-chooser button[lang="ar"]');
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      assert.equal(await text(page, "#passenger-key"), key);
      assert.equal(await text(page, "#copy-key"), tr("ar", "checkin.copy_key"));
      await assertOrder(page, "ar", "#pass-qr", "#done-where");
      await check(page, "done-server-ar");

      // the choice lasts for the session: a new page load, without ?lang, is in Arabic
      await openPage(page, `${server.url}/checkin.html`);
      await page.waitForFunction(() => document.body.dataset.step === "step-booking");
      assert.deepEqual(await where(page), { step: "step-booking", lang: "ar", dir: "rtl" });
      assert.equal(await text(page, "#step-booking h2"), tr("ar", "checkin.booking_title"));

      // Arabic, token only on this phone
      await photos("P4M8RT");
      assert.equal(await text(page, "#step-storage h2"), tr("ar", "checkin.storage_title"));
      await check(page, "storage-ar");
      await press(page, "#store-phone");
      await stepIs(page, "step-done");
      assert.equal(await page.getAttribute("#pass-qr", "aria-label"), tr("ar", "checkin.qr_label_phone"));
      assert.match(await text(page, "#passenger-key"), KEY_SHAPE);
      assert.equal(await page.isVisible("#forget"), true);
      await assertOrder(page, "ar", "#pass-qr", "#done-where");
      await check(page, "done-phone-ar");
      await press(page, '#language-chooser button[lang="en"]');
      await page.waitForFunction(() => document.documentElement.dir === "ltr");
      assert.equal(await text(page, "#done-where"), tr("en", "checkin.done_where_phone"));
      await assertOrder(page, "en", "#pass-qr", "#done-where");
      await check(page, "done-phone-en");
      // Done: the first screen lists the check-in kept on this phone
      await press(page, "#done");
      await page.waitForSelector("#saved:not([hidden])");
      assert.equal(await text(page, '[data-ref="P4M8RT"]'), tr("en", "checkin.saved_show", { ref: "P4M8RT", flight: FLIGHT }));
      await check(page, "booking-saved-en");
      await page.context().browser()?.close();
    });

    assert.deepEqual(pageErrors, []);
    console.log(`# a11y-checkin: axe-core ${AXE_VERSION}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const b of browsers) await b.close().catch(() => {});
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
