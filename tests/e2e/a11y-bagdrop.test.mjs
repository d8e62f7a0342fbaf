// Accessibility and languages of the start page (index.html) and the bag
// drop kiosk (bagdrop.html, with the shared capture panel and idle warning),
// in Debian's Chromium through playwright-core against the real server:
//
// - axe-core (WCAG 2.0/2.1/2.2 A and AA rules, tests/e2e/lib/a11y.mjs) finds
//   nothing in each state: the start page; bag drop's consent, manual path,
//   the face option's first step, capture, quality feedback for a bad image,
//   an error (the server refuses a wrong kiosk key), the receipt, and the
//   idle warning; in English and in Arabic, where `<html lang=ar dir=rtl>`
//   and the layout is mirrored (compared by bounding boxes);
// - every control of the kiosk is at least 44×44 CSS px;
// - screenshots of each state at 320 CSS px (with a reflow check) and at
//   200 % zoom, into tests/e2e/screenshots/a11y/;
// - a keyboard-only bag drop (page.keyboard only: no click, no fill) from
//   consent to the receipt with the passenger key; the manual path is the
//   second Tab stop of the first screen;
// - the language chooser re-translates the page mid-flow without losing
//   what was entered or scanned, and the choice lasts for the session;
// - the idle reset warns first, announced once, with an "I need more time"
//   button that extends it; when it does reset, the language goes back to
//   English for the next passenger.
//
// Needs what `make e2e` builds: pkg/, the server and synth binaries, Chromium.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

import { startServer } from "./lib/server.mjs";
import { makeSamples } from "../../scripts/demo-samples.mjs";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import {
  A11Y_CONTEXT, AXE_VERSION, SCREENSHOTS, assertNoAxeViolations, assertReflows, assertVisibleFocus,
  screenshotsAtSmallSizes, tabTo, zoomedContext,
} from "./lib/a11y.mjs";
import { grayBmp } from "../node/scanner-fakes/bmp.mjs";
import { HERE, ROOT, CHROMIUM, SERVER_BIN, SYNTH_BIN, PKG, requireBuilt } from "./lib/paths.mjs";
import { openPage } from "./lib/pages.mjs";

const STEP = 120_000;
const FLIGHT = "SK1415";
const KEY_SHAPE = /^smk1_[A-Za-z0-9_-]{48}$/;
const KIOSK = { ...A11Y_CONTEXT, viewport: { width: 1100, height: 900 } };

requireBuilt("chromium", "server", "synth", "package");

/** @typedef {import("playwright-core").Page} Page */

/** The number of impressions the capture panel has processed. @param {Page} page */
const captures = (page) => page.evaluate(() => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0));

/** Waits until the capture panel has processed more than `before` impressions. @param {Page} page @param {number} before */
async function captured(page, before) {
  await page.waitForFunction((n) => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0) > n, before, { timeout: STEP });
  await page.waitForSelector("#busy", { state: "hidden", timeout: STEP });
}

/** Waits for the page's languages to be in place (the chooser is drawn after the files load). @param {Page} page */
async function ready(page) {
  await page.waitForSelector("#language-chooser button[aria-pressed=true]", { timeout: STEP });
}

/** The left edge of the first element matching `selector`. @param {Page} page @param {string} selector */
async function leftOf(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is on screen`);
  return box.x;
}

/**
 * Fails when a visible control of the kiosk (header and main, the idle
 * warning) is smaller than 44×44 CSS px; a radio button counts with its label.
 * @param {Page} page @param {string} state
 */
async function assertKioskTargets(page, state) {
  const small = await page.evaluate(() => {
    const controls = document.querySelectorAll(
      "header button, header input, main button, main select, main input:not([type=radio]), main label.radio, #idle-warning button",
    );
    return [...controls].flatMap((node) => {
      const r = node.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return []; // not shown
      return r.width < 43.5 || r.height < 43.5 ? [`${node.tagName.toLowerCase()}#${node.id}[${node.getAttribute("data-role") ?? ""}] ${Math.round(r.width)}×${Math.round(r.height)}`] : [];
    });
  });
  assert.deepEqual(small, [], `${state}: kiosk targets under 44×44 CSS px`);
}

test("start page and bag drop: axe, right to left, small screens and zoom, keyboard only, languages, idle warning", { timeout: 1_800_000 }, async (t) => {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), "sealmatch-a11y-bagdrop-"));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const samples = join(work, "samples");
  makeSamples({ synth: SYNTH_BIN, out: samples, fingers: 2, impressions: 2, seed: 11 });
  const blank = join(work, "blank.bmp");
  // what a scanner gives with no finger on it: one grey level
  writeFileSync(blank, grayBmp(300, 300, new Uint8Array(300 * 300).fill(200), 500));

  const kioskKey = randomBytes(24).toString("hex");
  const server = await startServer({
    bin: SERVER_BIN, db: join(work, "sealmatch.db"), kioskKey, www: join(ROOT, "www"), pkg: PKG,
    log: join(work, "server.log"), mounts: { "/samples": samples },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  /** uncaught errors in any page */
  const pageErrors = [];
  /** @param {import("playwright-core").BrowserContext} context */
  const pageIn = async (context) => {
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    return page;
  };
  /** every screenshot file this test writes, for the notes */
  const written = new Set();
  const shoot = async (/** @type {Page} */ page, /** @type {string} */ name) => {
    await screenshotsAtSmallSizes(page, name);
    written.add(`${name}-320.png`);
  };
  let bagNo = 0;
  const nextBag = () => `0118${String(Date.now() % 100000).padStart(5, "0")}${bagNo++}`;

  /**
   * Walks bag drop through its states, calling `visit(state)` in each:
   * consent, manual, face, capture, quality, error, receipt.
   * @param {Page} page @param {string} lang @param {(state: string) => Promise<void>} visit
   */
  async function walkBagdrop(page, lang, visit) {
    await openPage(page, `${server.url}/bagdrop.html?lang=${lang}#key=${kioskKey}`);
    await ready(page);
    await page.waitForSelector("#step-consent:not([hidden])");
    await visit("consent");

    await page.click("#consent-no");
    await page.waitForSelector("#step-manual:not([hidden])");
    await visit("manual");
    await page.click("#manual-back");

    // the face option's first step; without a camera the QR scan ends at once with a message
    await page.click("#to-face");
    await page.waitForSelector("#step-face-pass:not([hidden])");
    await page.waitForSelector("#face-stop-scan", { state: "hidden", timeout: STEP });
    await visit("face");
    await page.click("#face-pass-back");
    await page.waitForSelector("#step-consent:not([hidden])");

    await page.click("#consent-yes");
    await page.fill("#flight", FLIGHT);
    await page.fill("#bag-tag", nextBag());
    await page.click("#trip-next");
    await page.waitForSelector("[data-role=scan-sample]");
    await visit("capture");

    let before = await captures(page);
    await page.check("[data-role=scanner-file]");
    await page.setInputFiles("[data-role=file]", blank);
    await captured(page, before);
    assert.equal(await page.getAttribute("#capture-panel", "data-quality"), "poor", "the empty image is refused");
    assert.ok((await page.$$eval("[data-role=feedback] li", (lis) => lis.length)) > 0, "with advice");
    await visit("quality");

    before = await captures(page);
    await page.check("[data-role=scanner-sample]");
    await page.click("[data-role=scan-sample]");
    await captured(page, before);
    assert.equal(await page.getAttribute("#capture-panel", "data-quality"), "good");
    await page.click("#use-scan");
    // the server refuses a wrong kiosk key: an alert, the scan kept for another try
    await page.evaluate(() => sessionStorage.setItem("sealmatch.kioskKey", "not-this-kiosk"));
    await page.click("#enroll");
    await page.waitForSelector("#capture-status[data-kind=error]:not([hidden])", { timeout: STEP });
    assert.equal(await page.getAttribute("#capture-status", "role"), "alert");
    assert.match((await page.textContent("#capture-status")) ?? "", /\(unauthorized\)/);
    await visit("error");

    await page.evaluate((key) => sessionStorage.setItem("sealmatch.kioskKey", key), kioskKey);
    await page.click("#enroll");
    await page.waitForSelector("#step-done:not([hidden])", { timeout: STEP });
    assert.match((await page.textContent("#passenger-key")) ?? "", KEY_SHAPE);
    await page.waitForSelector("#busy", { state: "hidden" });
    await visit("receipt");
  }

  try {
    await t.test("start page: no axe violations in English and Arabic, mirrored in Arabic, reflows", async () => {
      const context = await browser.newContext(KIOSK);
      const page = await pageIn(context);
      for (const lang of ["en", "ar"]) {
        await openPage(page, `${server.url}/index.html?lang=${lang}`);
        await ready(page);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        assert.equal(await page.title(), lang === "en" ? "sealmatch demo" : "عرض sealmatch التوضيحي");
        await assertNoAxeViolations(page, `index, ${lang}`);
        if (lang === "ar") {
          assert.equal(await page.getAttribute("html", "dir"), "rtl");
          assert.ok((await leftOf(page, "#nav-checkin")) > (await leftOf(page, "#nav-bagdrop")), "the first card is right of the second");
          assert.ok((await leftOf(page, "header .home")) > (await leftOf(page, "header h1")), "the header starts on the right");
        } else {
          assert.ok((await leftOf(page, "#nav-checkin")) < (await leftOf(page, "#nav-bagdrop")));
        }
        await shoot(page, `index-${lang}`);
      }
      await context.close();
    });

    for (const lang of ["en", "ar"]) {
      await t.test(`bag drop in ${lang}: no axe violations in any state${lang === "ar" ? ", laid out right to left" : ""}, reflows at 320 px`, async () => {
        const context = await browser.newContext(KIOSK);
        const page = await pageIn(context);
        await walkBagdrop(page, lang, async (state) => {
          assert.equal(await page.getAttribute("html", "lang"), lang);
          assert.equal(await page.getAttribute("html", "dir"), lang === "ar" ? "rtl" : "ltr");
          await assertNoAxeViolations(page, `bagdrop ${state}, ${lang}`);
          await assertKioskTargets(page, `bagdrop ${state}, ${lang}`);
          if (state === "consent") {
            const yes = await leftOf(page, "#consent-yes");
            const no = await leftOf(page, "#consent-no");
            if (lang === "ar") {
              assert.ok(yes > no, "in Arabic the first button is right of the second");
              assert.ok((await leftOf(page, "header .home")) > (await leftOf(page, "header h1")), "the header starts on the right");
              assert.match((await page.textContent("#consent-no")) ?? "", /يدويًا/, "the manual path is offered in Arabic");
            } else {
              assert.ok(yes < no);
            }
          }
          await shoot(page, `bagdrop-${state}-${lang}`);
        });
        await context.close();
      });
    }

    for (const lang of ["en", "ar"]) {
      await t.test(`start page and bag drop at 200 % zoom in ${lang}: each state screenshotted, nothing scrolls sideways`, async () => {
        const context = await zoomedContext(browser);
        const page = await pageIn(context);
        await openPage(page, `${server.url}/index.html?lang=${lang}`);
        await ready(page);
        await assertReflows(page, `index at 200 %, ${lang}`);
        await page.screenshot({ path: join(SCREENSHOTS, `index-${lang}-zoom200.png`), fullPage: true });
        written.add(`index-${lang}-zoom200.png`);
        await walkBagdrop(page, lang, async (state) => {
          await assertReflows(page, `bagdrop ${state} at 200 %, ${lang}`);
          await page.screenshot({ path: join(SCREENSHOTS, `bagdrop-${state}-${lang}-zoom200.png`), fullPage: true });
          written.add(`bagdrop-${state}-${lang}-zoom200.png`);
        });
        await context.close();
      });
    }

    await t.test("keyboard only: a whole bag drop from consent to the receipt, the manual path two Tabs away", async () => {
      const context = await browser.newContext(KIOSK);
      const page = await pageIn(context);
      await openPage(page, `${server.url}/bagdrop.html?lang=en#key=${kioskKey}`);
      await ready(page);
      await page.waitForSelector("#step-consent:not([hidden])");
      // the first screen: its heading has the focus, the manual path is the second stop
      assert.equal(await page.evaluate(() => document.activeElement?.closest("section")?.id), "step-consent");
      assert.ok((await tabTo(page, "#consent-no", 3)) <= 3, "the manual path is reached early");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#step-manual:not([hidden])");
      await tabTo(page, "#manual-back", 5);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#step-consent:not([hidden])");

      await tabTo(page, "#consent-yes", 5);
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#step-trip:not([hidden])");
      await tabTo(page, "#flight", 5);
      await page.keyboard.type(FLIGHT);
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "bag-tag");
      const bag = nextBag();
      await page.keyboard.type(bag);
      await page.keyboard.press("Enter");
      await page.waitForSelector("[data-role=scan-sample]", { timeout: STEP });

      const before = await captures(page);
      await tabTo(page, "[data-role=scan-sample]", 15);
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await captured(page, before);
      assert.equal(await page.getAttribute("#capture-panel", "data-quality"), "good");
      await tabTo(page, "#use-scan", 15);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.getElementById("scan-count")?.textContent === "1 of 3 scans");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "enroll", "the focus moves on to the next step's button");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#step-done:not([hidden])", { timeout: STEP });
      assert.equal(await page.textContent("#done-bag"), bag);
      assert.match((await page.textContent("#passenger-key")) ?? "", KEY_SHAPE, "the receipt shows the passenger key");
      await tabTo(page, "#next-passenger", 10);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#step-consent:not([hidden])");
      assert.equal(await page.textContent("#passenger-key"), "", "the key is gone for the next passenger");
      await context.close();
    });

    await t.test("the language chooser re-translates mid-flow without losing state, and the choice lasts for the session", async () => {
      const context = await browser.newContext(KIOSK);
      const page = await pageIn(context);
      await openPage(page, `${server.url}/bagdrop.html#key=${kioskKey}`);
      await ready(page);
      await page.click("#consent-yes");
      await page.fill("#flight", FLIGHT);
      const bag = nextBag();
      await page.fill("#bag-tag", bag);
      await page.click("#trip-next");
      await page.waitForSelector("[data-role=scan-sample]");
      const before = await captures(page);
      await page.click("[data-role=scan-sample]");
      await captured(page, before);
      await page.click("#use-scan");
      assert.equal(await page.textContent("#scan-count"), "1 of 3 scans");

      await page.click("#language-chooser button[lang=de]");
      await page.waitForFunction(() => document.documentElement.lang === "de");
      assert.equal(await page.textContent("#scan-count"), "1 von 3 Scans");
      assert.equal(await page.textContent("#step-capture h2"), "Scannen Sie Ihren Finger");
      assert.match((await page.textContent("[data-role=quality-text]")) ?? "", /Merkmale · gut$/);
      assert.match((await page.textContent("#capture-status")) ?? "", /^Scan hinzugefügt/);
      assert.equal(await page.title(), "Gepäckabgabe · sealmatch-Demo");
      assert.equal(await page.getAttribute("#language-chooser button[lang=de]", "aria-pressed"), "true");
      assert.ok(await page.isVisible("#step-capture"), "still on the capture step");
      assert.equal(await page.inputValue("#bag-tag"), bag, "what was typed is kept");
      assert.ok(await page.isEnabled("#enroll"), "the scan is kept");

      await openPage(page, `${server.url}/index.html`);
      await ready(page);
      assert.equal(await page.getAttribute("html", "lang"), "de", "the choice lasts for the session");
      assert.equal(await page.textContent("#nav-bagdrop strong"), "Gepäckabgabe");
      await context.close();
    });

    await t.test("the idle reset warns first: announced, extendable, and resets the language when it does reset", async () => {
      const context = await browser.newContext(KIOSK);
      const page = await pageIn(context);
      await openPage(page, `${server.url}/bagdrop.html?idle=10#key=${kioskKey}`);
      await ready(page);
      await page.click("#language-chooser button[lang=fr]");
      await page.waitForFunction(() => document.documentElement.lang === "fr");
      await page.click("#consent-yes");
      await page.fill("#flight", FLIGHT);
      await page.fill("#bag-tag", "0117555555");

      await page.waitForSelector("#idle-warning:not([hidden])", { timeout: 60_000 });
      assert.equal(await page.getAttribute("#idle-warning", "role"), "alertdialog");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "idle-more", "the warning takes the focus, so it is read out");
      assert.equal(await page.textContent("#idle-more"), "J'ai besoin de plus de temps");
      assert.match((await page.textContent("[data-role=idle-countdown]")) ?? "", /Redémarrage dans \d+ s\./);
      assert.equal(await page.getAttribute("[data-role=idle-countdown]", "aria-live"), null, "the countdown itself is not announced every second");
      await assertNoAxeViolations(page, "bagdrop idle warning, fr");
      await assertKioskTargets(page, "bagdrop idle warning, fr");
      await shoot(page, "bagdrop-idle-warning-fr");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#idle-warning", { state: "hidden" });
      assert.ok(await page.isVisible("#step-trip"), "more time: the passenger stays where they were");
      assert.equal(await page.inputValue("#bag-tag"), "0117555555");
      assert.equal(await page.getAttribute("html", "lang"), "fr");

      // nobody answers the second warning: the kiosk starts over, in English
      await page.waitForSelector("#idle-warning:not([hidden])", { timeout: 60_000 });
      await page.waitForSelector("#step-consent:not([hidden])", { timeout: 60_000 });
      await page.waitForFunction(() => document.documentElement.lang === "en");
      assert.ok(await page.isHidden("#idle-warning"));
      assert.equal(await page.inputValue("#bag-tag"), "");
      assert.equal(await page.evaluate(() => sessionStorage.getItem("sealmatch.lang")), "en", "the next passenger starts in the default language");
      assert.equal(await page.textContent("#consent-no"), "No, check my ID by hand");
      await context.close();
    });

    await t.test("no page errors", () => assert.deepEqual(pageErrors, []));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(`# axe-core ${AXE_VERSION}; screenshots in ${SCREENSHOTS}: ${[...written].sort().join(" ")}`);
    console.log(`# a11y-bagdrop took ${Math.round((Date.now() - started) / 1000)} s`);
  }
});
