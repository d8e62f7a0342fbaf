// Accessibility and languages of the boarding gate and reconciliation pages
// (issue 15), on the real server in Debian's Chromium:
// - a keyboard-only run (page.keyboard only: no click, no fill) that boards a
//   bag by fingerprint (passenger key and bag tag typed, the sample scanner,
//   the match announced in #result-live), then the manual ID check path from
//   the first screen, the idle warning answered by keyboard;
// - axe-core (WCAG 2.0-2.2 A/AA) in English and Arabic in every state: first
//   screen, invalid key, capture, quality feedback (a blank scan), match,
//   no match, three failures → manual check, errors (another passenger's key,
//   an expired bag, a bag never dropped), the manual path, the face camera,
//   the "This gate device" panel, the idle warning; reconciliation with
//   boarded, waiting and expired bags and the offload list, and a wrong kiosk
//   key. Screenshots of each at 320 px and at 200 % zoom go to
//   tests/e2e/screenshots/a11y/;
// - Arabic is laid out right to left (bounding boxes), tables included;
// - the language chooser re-translates a page in the middle of a check
//   without losing it, and the choice lasts for the session.
//
// Bags are dropped as flow.test.mjs does it, through the bag drop page; the
// expired bag is sealed with a 2 s lifetime by the package in the page.
//
// Needs: pkg/ (make pkg), the server and synth binaries, /usr/bin/chromium.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

import { startServer } from "./lib/server.mjs";
import { makeSamples } from "../../scripts/demo-samples.mjs";
import { grayBmp } from "../node/scanner-fakes/bmp.mjs";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { A11Y_CONTEXT, SCREENSHOTS, assertNoAxeViolations, screenshotsAtSmallSizes, tabTo, assertVisibleFocus } from "./lib/a11y.mjs";
import { ROOT, CHROMIUM, SERVER_BIN, SYNTH_BIN, PKG, requireBuilt, JSQR_DIR } from "./lib/paths.mjs";
import { openPage } from "./lib/pages.mjs";

const STEP = { timeout: 120_000 };
const en = JSON.parse(readFileSync(join(ROOT, "www/i18n/en.json"), "utf8"));

const FLIGHT = "SK2207";
/** P boards P1 by keyboard, P2 by the manual path; Q's key is tried on P2; Q1 fails three times; W never boards; E expires. */
const BAG = { P1: "0117220001", P2: "0117220002", Q1: "0117220003", W: "0117220004", E: "0117220005", NEVER: "0117229999" };
const FINGER = { P: 0, Q: 1, W: 2, STRANGER: 3 };

requireBuilt("chromium", "server", "synth", "package");

/** @typedef {import("playwright-core").Page} Page */

/** Waits until the page shows step `id` (boarding's `data-step`). */
const onStep = (/** @type {Page} */ page, /** @type {string} */ id) => page.waitForFunction((s) => document.body.dataset.step === s, id, STEP);

/** The visible text of an element, trimmed. */
const text = async (/** @type {Page} */ page, /** @type {string} */ selector) => ((await page.textContent(selector)) ?? "").replace(/\s+/g, " ").trim();

/** Fails when a translation key shows instead of its text (a key missing in the files). */
async function assertNoRawKeys(/** @type {Page} */ page, /** @type {string} */ state) {
  const raw = await page.evaluate(() => document.body.innerText.match(/\b(?:boarding|reconciliation|common|lib)\.[a-z_]+(?:\.[a-z_]+)*\b/g) ?? []);
  assert.deepEqual(raw, [], `${state}: untranslated keys on screen`);
}

/** Clicks the language chooser's button for `code` and waits for the page to switch. */
async function chooseLanguage(/** @type {Page} */ page, /** @type {string} */ code) {
  await page.click(`.languages button[lang="${code}"]`);
  await page.waitForFunction((c) => document.documentElement.lang === c, code);
}

/**
 * A screenshot at 200 % zoom of the page as it is (a 1280×900 window seen as
 * 640×450 CSS px at device scale 2), without reloading, so the state stays.
 * @param {Page} page @param {string} name
 */
async function zoomedShot(page, name) {
  const before = page.viewportSize();
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("Emulation.setDeviceMetricsOverride", { width: 640, height: 450, deviceScaleFactor: 2, mobile: false });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${name}: the page scrolls sideways by ${overflow} px at 200 % zoom`);
    // captured through CDP: Playwright's own full-page screenshot would drop the device scale
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const { data } = await cdp.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true, clip: { x: 0, y: 0, width: 640, height, scale: 1 } });
    writeFileSync(join(SCREENSHOTS, `${name}-zoom200.png`), Buffer.from(data, "base64"));
  } finally {
    await cdp.send("Emulation.clearDeviceMetricsOverride");
    await cdp.detach();
    // Playwright skips a viewport it thinks is set already: set another first, so it sets it again
    if (before) {
      await page.setViewportSize({ width: before.width, height: before.height + 1 });
      await page.setViewportSize(before);
    }
  }
}

/**
 * The page's current state, checked in English and in Arabic: axe-core finds
 * nothing, no key shows raw, screenshots at 320 px and 200 % zoom; in Arabic
 * `<html lang=ar dir=rtl>` and `rtl(page)` (bounding-box checks) holds. The
 * language is switched with the chooser, so the state itself must survive it;
 * `same(page)` returns what must not change. Ends in English.
 * @param {Page} page @param {string} name
 * @param {{ rtl?: (page: Page) => Promise<void>, same?: (page: Page) => Promise<unknown> }} [checks]
 */
async function checkState(page, name, checks = {}) {
  await page.waitForSelector("#busy", { state: "hidden" }).catch(() => {});
  const before = checks.same ? await checks.same(page) : null;
  for (const code of ["en", "ar"]) {
    if (code !== "en") await chooseLanguage(page, code);
    const state = `${name} (${code})`;
    await assertNoAxeViolations(page, state);
    await assertNoRawKeys(page, state);
    if (code === "ar") {
      assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ["ar", "rtl"]);
      // the header's start is on the right: the home link right of the heading
      const [home, h1] = await Promise.all([page.locator("header .home").boundingBox(), page.locator("header h1").boundingBox()]);
      assert.ok(home && h1 && home.x > h1.x, `${state}: the header starts on the right`);
      if (checks.rtl) await checks.rtl(page);
    }
    await screenshotsAtSmallSizes(page, `${name}-${code}`);
    await zoomedShot(page, `${name}-${code}`);
    if (checks.same) assert.deepEqual(await checks.same(page), before, `${state}: the language switch kept the state`);
  }
  await chooseLanguage(page, "en");
}

/** Tabs to the field and types into it: the keyboard only. */
async function typeInto(/** @type {Page} */ page, /** @type {string} */ selector, /** @type {string} */ value) {
  await tabTo(page, selector);
  await page.keyboard.type(value);
}

/** `a` lies right of `b` (Arabic: the first of two side by side is on the right). */
async function assertRightOf(/** @type {Page} */ page, /** @type {string} */ a, /** @type {string} */ b) {
  const [boxA, boxB] = await Promise.all([page.locator(a).first().boundingBox(), page.locator(b).first().boundingBox()]);
  assert.ok(boxA && boxB, `${a} and ${b} are on screen`);
  const width = await page.evaluate(() => `${innerWidth}x${innerHeight} dpr ${devicePixelRatio}`);
  assert.ok(boxA.x > boxB.x, `${a} (${JSON.stringify(boxA)}) is right of ${b} (${JSON.stringify(boxB)}) in Arabic (window ${width})`);
}

test("boarding and reconciliation: keyboard, screen readers, Arabic, small screens", { timeout: 900_000 }, async (t) => {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), "sealmatch-a11y-boarding-"));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const samples = join(work, "samples");
  const manifest = makeSamples({ synth: SYNTH_BIN, out: samples, fingers: 4, impressions: 4, seed: 11 });
  // what a scanner gives with no finger on it: one grey level
  const blank = join(work, "blank.bmp");
  writeFileSync(blank, grayBmp(300, 300, new Uint8Array(300 * 300).fill(200), 500));

  const kioskKey = randomBytes(24).toString("hex");
  const adminKey = randomBytes(24).toString("hex");
  const server = await startServer({
    bin: SERVER_BIN, db: join(work, "data/sealmatch.db"), kioskKey, adminKey, log: join(work, "server.log"),
    www: join(ROOT, "www"), pkg: PKG, mounts: { "/samples": samples, "/vendor": JSQR_DIR },
  });
  // a fake camera (a test pattern, no face) for the face mode and the QR scanner
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
  });
  const context = await browser.newContext({ ...A11Y_CONTEXT, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  /** @type {string[]} */
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  /** @type {Record<string, string>} */
  const keys = {};

  /** Waits until the capture panel has processed one more impression; returns its quality. */
  async function captured(/** @type {number} */ before) {
    await page.waitForFunction((n) => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0) > n, before, STEP);
    return page.getAttribute("#capture-panel", "data-quality");
  }
  const captures = async () => Number((await page.getAttribute("#capture-panel", "data-captures")) ?? 0);

  /** One sample impression through the capture panel (mouse: only the keyboard run avoids it). */
  async function scanSample(/** @type {number} */ finger, /** @type {number} */ impression) {
    const before = await captures();
    await page.check("[data-role=scanner-sample]");
    await page.selectOption("[data-role=finger]", String(finger));
    await page.selectOption("[data-role=impression]", String(impression));
    await page.click("[data-role=scan-sample]");
    return captured(before);
  }

  /** Drops `bags` for one passenger at the bag drop page, as flow.test.mjs does; returns the key. */
  async function dropBags(/** @type {number} */ finger, /** @type {string[]} */ bags) {
    await openPage(page, `${server.url}/bagdrop.html`);
    await page.click("#consent-yes");
    await page.fill("#flight", FLIGHT);
    await page.fill("#bag-tag", bags[0]);
    await page.click("#trip-next");
    await page.waitForSelector("[data-role=scanner-sample]");
    for (const impression of [0, 1]) {
      assert.equal(await scanSample(finger, impression), "good");
      await page.click("#use-scan");
    }
    await page.click("#enroll");
    await page.waitForSelector("#step-done:not([hidden])", STEP);
    const key = ((await page.textContent("#passenger-key")) ?? "").trim();
    assert.match(key, /^smk1_[A-Za-z0-9_-]{48}$/);
    for (const extra of bags.slice(1)) {
      await page.click("#another-bag");
      await page.fill("#another-tag", extra);
      await page.click("#another-enroll");
      await page.waitForFunction((tag) => document.getElementById("done-bag")?.textContent === tag, extra, STEP);
    }
    return key;
  }

  /** At the gate with the mouse: key and bag, then the capture step. */
  async function gate(/** @type {string} */ key, /** @type {string} */ bag) {
    await openPage(page, `${server.url}/boarding.html`);
    await page.fill("#passenger-key", key);
    await page.fill("#bag-tag", bag);
    await page.click("#fetch-token");
    await onStep(page, "step-capture");
  }

  /** Presses Check and waits for the capture status, a new step or the result. */
  async function verifyAndWait() {
    const before = await text(page, "#capture-status");
    await page.click("#verify");
    const outcome = await page.waitForFunction((prev) => {
      const step = document.body.dataset.step;
      if (step !== "step-capture") return step;
      const s = document.getElementById("capture-status");
      return s && !s.hidden && (s.textContent ?? "").trim() !== prev ? "capture-status" : false;
    }, before, STEP);
    return outcome.jsonValue();
  }

  /** Runs a part unless an earlier one failed (they build on each other). */
  let failed = false;
  const part = (/** @type {string} */ name, /** @type {() => Promise<void>} */ fn) =>
    t.test(name, { skip: failed && "an earlier part failed" }, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        throw e;
      }
    });

  try {
    await part("setup: bags dropped at the bag drop page, one sealed to expire at once", async () => {
      await openPage(page, `${server.url}/index.html#key=${kioskKey}`);
      await page.waitForFunction(() => sessionStorage.getItem("sealmatch.kioskKey") !== null);
      keys.P = await dropBags(FINGER.P, [BAG.P1, BAG.P2]);
      keys.Q = await dropBags(FINGER.Q, [BAG.Q1]);
      keys.W = await dropBags(FINGER.W, [BAG.W]);
      // E: sealed by the package in the page with a 2 s lifetime, stored through the API
      const stored = await page.evaluate(
        async ({ bag, flight, file, dpi }) => {
          const sm = await import("/pkg/sealmatch.js");
          await sm.default();
          const { decodeToGray } = await import("/js/scanners.js");
          const g = await decodeToGray(await (await fetch(`/samples/${file}`)).blob());
          const capture = sm.Capture.fromGray(g.width, g.height, g.pixels, dpi);
          const { token } = sm.enroll([capture], { bagTag: bag, flight, ttlSeconds: 2 });
          capture.free();
          const { Api } = await import("/js/api.js");
          await new Api(() => sessionStorage.getItem("sealmatch.kioskKey")).putToken(bag, token);
          return "stored";
        },
        { bag: BAG.E, flight: FLIGHT, file: manifest.fingers[FINGER.W].impressions[2], dpi: manifest.dpi },
      );
      assert.equal(stored, "stored");
    });

    await part("keyboard only: key and bag typed, sample scan, match announced, bag boarded", async () => {
      await openPage(page, `${server.url}/boarding.html`);
      await page.waitForFunction(() => document.body.dataset.gate !== undefined, null, STEP);
      await tabTo(page, "#passenger-key");
      await assertVisibleFocus(page);
      await page.keyboard.type(keys.P);
      await typeInto(page, "#bag-tag", BAG.P1);
      await tabTo(page, "#fetch-token");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await onStep(page, "step-capture");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "capture-title", "the focus moves to the capture step's heading");
      // the sample scanner: finger 0 is chosen; impression 3 (one the bag drop did not use), by arrow keys
      await page.waitForSelector("[data-role=impression]");
      await tabTo(page, "[data-role=impression]");
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("select")].map((s) => s.value)), [String(FINGER.P), "3"]);
      const before = await captures();
      await tabTo(page, "[data-role=scan-sample]");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      assert.equal(await captured(before), "good");
      assert.match(await text(page, "#capture-progress"), /Good scan/);
      await tabTo(page, "#verify");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await onStep(page, "step-boarded");
      // the result: in words on screen (not only the green), and announced by the live region
      assert.equal(await text(page, "#boarded-text"), `Bag ${BAG.P1} boarded`);
      assert.match(await text(page, "#boarded-how"), /fingerprint matched \(score [\d.]+, threshold [\d.]+\)/);
      await page.waitForFunction(() => /Match/.test(document.getElementById("result-live")?.textContent ?? ""));
      assert.equal(await text(page, "#result-live"), `Match. Bag ${BAG.P1} is boarded.`);
      assert.deepEqual(await page.$eval("#result-live", (n) => [n.getAttribute("role"), n.getAttribute("aria-live")]), ["status", "polite"]);
      // the run is done; the match state is checked like the others (the checks switch languages with the mouse)
      await checkState(page, "boarding-match", { same: (p) => text(p, "#boarded-bag") });
      await tabTo(page, "#next-passenger");
      await page.keyboard.press("Enter");
      await onStep(page, "step-key");
      assert.equal(await page.inputValue("#passenger-key"), "", "the key is cleared for the next passenger");
    });

    await part("first screen, and a key that is not a passenger key is refused in words", async () => {
      await openPage(page, `${server.url}/boarding.html`);
      await onStep(page, "step-key");
      // the manual path is offered on the first screen, and the language chooser is there
      assert.ok(await page.isVisible("#to-manual"));
      assert.equal(await page.locator(".languages button[lang]").count(), 10);
      await checkState(page, "boarding-start", { rtl: (p) => assertRightOf(p, "#fetch-token", "#to-manual") });
      await page.fill("#passenger-key", "smk1_too-short");
      await page.fill("#bag-tag", BAG.P2);
      await page.click("#fetch-token");
      await page.waitForSelector("#key-status:not([hidden])");
      assert.match(await text(page, "#key-status"), /starts with smk1_ and has 53 characters/);
      assert.equal(await page.getAttribute("#passenger-key", "aria-invalid"), "true");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "passenger-key", "the focus goes to the field to fix");
      await checkState(page, "boarding-invalid-key", { same: (p) => p.inputValue("#passenger-key") });
    });

    await part("errors: another passenger's key, a bag never dropped, an expired bag", async () => {
      // Q's key for P's bag: refused after the scan, back to the first step (not an attempt)
      await gate(keys.Q, BAG.P2);
      assert.equal(await scanSample(FINGER.Q, 2), "good");
      assert.equal(await verifyAndWait(), "step-key");
      assert.match(await text(page, "#key-status"), /TOKEN_REJECTED/);
      assert.equal(await page.getAttribute("#key-status", "role"), "alert");
      await checkState(page, "boarding-error-wrong-key", { same: (p) => text(p, "#key-status").then((s) => s.match(/\(([A-Z_]+)\)/)?.[1]) } /* the text follows the language; its code does not */);
      // a bag tag nobody dropped
      await page.fill("#passenger-key", keys.P);
      await page.fill("#bag-tag", BAG.NEVER);
      await page.click("#fetch-token");
      await page.waitForFunction(() => /not_found/.test(document.getElementById("key-status")?.textContent ?? ""));
      await checkState(page, "boarding-error-wrong-bag");
      // E's token expired 2 s after it was sealed
      await page.fill("#bag-tag", BAG.E);
      await page.click("#fetch-token");
      await page.waitForFunction(() => /expired/.test(document.getElementById("key-status")?.textContent ?? ""));
      assert.equal(await page.evaluate(() => document.body.dataset.step), "step-key");
      await checkState(page, "boarding-error-expired");
    });

    await part("capture, quality feedback, no match, face camera, three failures → manual check", async () => {
      await gate(keys.Q, BAG.Q1);
      await page.waitForSelector("[data-role=scanner-sample]");
      await checkState(page, "boarding-capture", {
        same: (p) => Promise.all([text(p, "#cap-bag"), text(p, "#cap-flight"), text(p, "#attempt")]),
        rtl: (p) => assertRightOf(p, "#mode-finger", "#mode-face"),
      });
      // a blank scan: told in words what is wrong, and Check stays off
      const before = await captures();
      await page.check("[data-role=scanner-file]");
      await page.setInputFiles("[data-role=file]", blank);
      assert.equal(await captured(before), "poor");
      assert.match(await text(page, "#capture-status"), /Please scan again/);
      assert.ok(await page.isDisabled("#verify"));
      await checkState(page, "boarding-quality", { same: (p) => text(p, "[data-role=quality-text]").then((s) => s.match(/\d+/g)) } /* the numbers stay */);
      // two non-matches: the result in words, announced (role=alert), the attempt counted
      for (const attempt of [1, 2]) {
        assert.equal(await scanSample(FINGER.STRANGER, attempt), "good");
        assert.equal(await verifyAndWait(), "capture-status");
        assert.match(await text(page, "#capture-status"), new RegExp(`^Not a match \\(score [\\d.]+, threshold [\\d.]+\\)\\. Please scan the same finger again \\(attempt ${attempt + 1} of 3\\)\\.$`));
        // Check is off until the next scan: the focus is not lost, it waits on the scanner's first control
        assert.equal(await page.evaluate(() => document.activeElement?.closest("#capture-panel") !== null), true, "the focus goes to the scanner");
      }
      assert.equal(await page.getAttribute("#capture-status", "role"), "alert");
      await checkState(page, "boarding-no-match", { same: (p) => text(p, "#attempt") });
      // the language changes in the middle of the check: same step, same bag and attempt, translated
      await chooseLanguage(page, "de");
      assert.equal(await text(page, "#capture-info"), `Gepäckstück ${BAG.Q1} · Flug ${FLIGHT} · Versuch 3 von 3`);
      assert.match(await text(page, "#capture-status"), /^Keine Übereinstimmung/);
      assert.equal(await page.evaluate(() => document.body.dataset.step), "step-capture");
      await chooseLanguage(page, "en");
      // the face camera (a fake camera with no face in it): the switch, the guide, back to the scanner
      await page.click("#mode-face");
      await page.waitForFunction(() => Number(document.getElementById("gate-cam")?.dataset.frames ?? 0) > 0 || !document.getElementById("capture-status")?.hidden, null, STEP);
      assert.equal(await page.getAttribute("#mode-face", "aria-pressed"), "true");
      assert.equal(await text(page, "#cap-what"), "face");
      await checkState(page, "boarding-face");
      await page.click("#mode-finger");
      assert.equal(await page.getAttribute("#mode-finger", "aria-pressed"), "true");
      // the third non-match: manual check, said and announced
      assert.equal(await scanSample(FINGER.STRANGER, 3), "good");
      assert.equal(await verifyAndWait(), "step-manual");
      assert.equal(await text(page, "#manual-why"), "The fingerprint did not match 3 times.");
      await page.waitForFunction(() => /did not match/.test(document.getElementById("result-live")?.textContent ?? ""));
      await checkState(page, "boarding-manual", {
        same: (p) => text(p, "#manual-bag"),
        rtl: (p) => assertRightOf(p, "#manual-confirm", "#manual-refuse"),
      });
      await page.click("#manual-confirm");
      await onStep(page, "step-boarded");
      assert.match(await text(page, "#boarded-how"), /by hand/);
      await checkState(page, "boarding-boarded", {
        same: (p) => text(p, "#boarded-bag"),
        rtl: (p) => assertRightOf(p, "#next-bag", "#next-passenger"),
      });
    });

    await part("keyboard only: the manual ID check from the first screen", async () => {
      await openPage(page, `${server.url}/boarding.html`);
      await onStep(page, "step-key");
      await typeInto(page, "#bag-tag", BAG.P2);
      await tabTo(page, "#to-manual");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await onStep(page, "step-manual");
      assert.equal(await text(page, "#manual-why"), "Staff chose a manual ID check.");
      assert.equal(await text(page, "#manual-bag"), BAG.P2);
      await tabTo(page, "#manual-confirm");
      await page.keyboard.press("Enter");
      await onStep(page, "step-boarded");
      assert.equal(await text(page, "#boarded-how"), "Staff checked the passenger's ID by hand.");
      await page.waitForFunction(() => /manual ID check/.test(document.getElementById("result-live")?.textContent ?? ""));
    });

    await part("this gate device: opened by keyboard, a wrong admin key said in words", async () => {
      await openPage(page, `${server.url}/boarding.html`);
      await page.waitForFunction(() => document.body.dataset.gate === "unregistered", null, STEP);
      await tabTo(page, "#gate-device summary");
      await page.keyboard.press("Enter");
      assert.ok(await page.evaluate(() => /** @type {HTMLDetailsElement} */ (document.getElementById("gate-device")).open));
      assert.equal(await text(page, "#gate-badge"), "not registered");
      await typeInto(page, "#admin-key", kioskKey);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => /unauthorized/.test(document.getElementById("gate-status")?.textContent ?? ""));
      assert.equal(await page.inputValue("#admin-key"), "", "the typed key is not kept");
      await checkState(page, "boarding-gate-device", { same: (p) => text(p, "#gate-kid") });
    });

    await part("a kiosk left alone warns first (120 s, then 30 s to answer); a key press keeps the entries", async () => {
      // the page's clock is Playwright's (it runs on, and jumps ahead when told): no real 2 minutes
      const clocked = await context.newPage();
      try {
        await clocked.clock.install();
        await openPage(clocked, `${server.url}/boarding.html#key=${kioskKey}`);
        await onStep(clocked, "step-key");
        await typeInto(clocked, "#bag-tag", BAG.W);
        await clocked.clock.fastForward(119_000);
        assert.ok(await clocked.isHidden("#idle-warning"), "no warning before 120 s");
        await clocked.clock.fastForward(2_000);
        await clocked.waitForSelector("#idle-warning:not([hidden])");
        assert.equal(await clocked.evaluate(() => document.activeElement?.id), "idle-more", "the focus goes to More time");
        assert.equal(await text(clocked, "#idle-warning-title"), en.common.idle_title);
        assert.match(await text(clocked, "[data-role=idle-countdown]"), /\b30\b/);
        assert.equal(await clocked.getAttribute("#idle-warning", "role"), "alertdialog");
        // (the 30 s run on: one check, well within them)
        await assertNoAxeViolations(clocked, "boarding idle warning (en)");
        await clocked.keyboard.press("Enter");
        assert.ok(await clocked.isHidden("#idle-warning"));
        assert.equal(await clocked.inputValue("#bag-tag"), BAG.W, "More time keeps what was typed");
        assert.equal(await clocked.evaluate(() => document.activeElement?.id), "bag-tag", "the focus goes back");
        // nobody answers the next warning: after 20 s more the screen clears
        await clocked.clock.fastForward(121_000);
        await clocked.waitForSelector("#idle-warning:not([hidden])");
        await clocked.clock.fastForward(28_000);
        assert.equal(await clocked.inputValue("#bag-tag"), BAG.W, "not cleared before the 30 s are up");
        await clocked.clock.fastForward(3_000);
        await clocked.waitForFunction(() => /** @type {HTMLInputElement} */ (document.getElementById("bag-tag")).value === "");
        assert.ok(await clocked.isHidden("#idle-warning"));
      } finally {
        await clocked.close();
      }
    });

    await part("the language chosen lasts for the session (next page load)", async () => {
      await openPage(page, `${server.url}/boarding.html`);
      await chooseLanguage(page, "fr");
      await openPage(page, `${server.url}/reconciliation.html`);
      await page.waitForFunction(() => document.documentElement.lang === "fr");
      assert.equal(await text(page, "h1"), "Rapprochement des bagages");
      assert.equal(await page.title(), "Rapprochement · démo sealmatch");
      await chooseLanguage(page, "en");
    });

    await part("reconciliation: states in words, offload list, Arabic tables right to left, keyboard", async () => {
      await openPage(page, `${server.url}/reconciliation.html`);
      await tabTo(page, "#flight");
      await page.keyboard.type(FLIGHT.toLowerCase());
      await page.keyboard.press("Enter");
      await page.waitForFunction((f) => document.body.dataset.loaded === f, FLIGHT, STEP);
      const rows = await page.$$eval("#bags tbody tr", (trs) => trs.map((r) => [r.getAttribute("data-bag"), r.getAttribute("data-state"), r.cells[1].textContent]));
      assert.deepEqual(Object.fromEntries(rows.map(([bag, state, words]) => [bag, [state, words]])), {
        [BAG.P1]: ["boarded", "Boarded"],
        [BAG.P2]: ["boarded", "Boarded"],
        [BAG.Q1]: ["boarded", "Boarded"],
        [BAG.W]: ["waiting", "Waiting: owner not boarded"],
        [BAG.E]: ["expired", "Expired: owner not boarded"],
      });
      assert.deepEqual((await page.$$eval("#offload li", (lis) => lis.map((li) => li.textContent))).sort(), [BAG.W, BAG.E].sort());
      assert.match(await text(page, "#summary"), /^Bags: 5 · boarded: 3 · to offload: 2$/);
      await checkState(page, "reconciliation", {
        same: (p) => p.$$eval("#bags tbody tr", (trs) => trs.map((r) => r.getAttribute("data-state"))),
        rtl: async (p) => {
          await assertRightOf(p, "#bags thead th:nth-child(1)", "#bags thead th:nth-child(2)");
          await assertRightOf(p, "#bags tbody td:nth-child(1)", "#bags tbody td:nth-child(2)");
          assert.equal(await text(p, `#bags tr[data-bag="${BAG.W}"] td:nth-child(2)`), "في الانتظار: لم يصعد صاحبها");
          // the offload list starts on the right, under its heading's start
          const [item, heading] = await Promise.all([p.locator("#offload li").first().boundingBox(), p.locator("#offload-title").boundingBox()]);
          assert.ok(item && heading && item.x + item.width > heading.x + heading.width / 2, "the offload list reads from the right");
        },
      });
      // a kiosk with the wrong key: said in words, once, as an alert
      const other = await context.newPage();
      try {
        await openPage(other, `${server.url}/reconciliation.html#key=not-the-kiosk-key-0000&flight=${FLIGHT}`);
        await other.waitForSelector("#status:not([hidden])", STEP);
        assert.match(await text(other, "#status"), /kiosk key is missing or wrong.*\(unauthorized\)/);
        assert.equal(await other.getAttribute("#status", "role"), "alert");
        assert.ok(await other.isHidden("#result"));
        await checkState(other, "reconciliation-error", { same: (p) => p.isHidden("#result") });
      } finally {
        await other.close();
      }
    });

    await part("no errors on the pages", () => {
      assert.deepEqual(pageErrors, []);
      console.log(`# a11y-boarding took ${Math.round((Date.now() - started) / 1000)} s`);
    });
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.KEEP_E2E) rmSync(work, { recursive: true, force: true });
  }
});
