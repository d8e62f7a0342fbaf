// The language chooser on a phone and on a kiosk. Under 36rem the ten
// language buttons fold behind one button that shows a globe and the current language
// (aria-expanded), so a 320 px phone shows the first step without scrolling
// past them; choosing a language or Escape folds the list and gives the
// focus back. On a kiosk the list is always open. Both states pass axe-core.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

import { startServer } from "./lib/server.mjs";
import { A11Y_CONTEXT, assertNoAxeViolations, assertReflows, assertVisibleFocus, tabTo } from "./lib/a11y.mjs";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { ROOT, CHROMIUM, SERVER_BIN, PKG, requireBuilt } from "./lib/paths.mjs";
import { openPage } from "./lib/pages.mjs";

requireBuilt("chromium", "server", "package");

test("the language chooser folds on a phone and stays open on a kiosk", { timeout: 300_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), "sealmatch-chooser-"));
  const kioskKey = randomBytes(24).toString("hex");
  const server = await startServer({
    bin: SERVER_BIN, db: join(work, "db.sqlite"), kioskKey, www: join(ROOT, "www"), pkg: PKG, log: join(work, "server.log"),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  const visibleLanguages = (/** @type {import("playwright-core").Page} */ page) =>
    page.evaluate(() => [...document.querySelectorAll("#language-chooser button[lang]")].filter((b) => b.checkVisibility()).length);
  try {
    await t.test("phone, 320 px: one button names the language; the list opens, chooses, folds", async () => {
      const context = await browser.newContext({ ...A11Y_CONTEXT, viewport: { width: 320, height: 640 } });
      const page = await context.newPage();
      await openPage(page, `${server.url}/checkin.html?lang=en#key=${kioskKey}`);
      const toggle = page.locator("#language-chooser .languages-toggle");
      assert.equal(await toggle.isVisible(), true);
      assert.equal(await toggle.getAttribute("aria-expanded"), "false");
      assert.equal(((await toggle.textContent()) ?? "").trim(), "English");
      assert.equal(await toggle.locator("svg[aria-hidden=true]").count(), 1, "a drawn globe, hidden from screen readers");
      assert.equal(await visibleLanguages(page), 0, "the list is folded");
      const firstStep = await page.locator("#step-booking h2").boundingBox();
      assert.ok(firstStep && firstStep.y < 400, `the first step's heading is on the first screen (y = ${firstStep?.y})`);
      await assertReflows(page, "chooser folded");
      await assertNoAxeViolations(page, "chooser folded, 320 px");

      // by keyboard: open, the focus goes to the current language; Escape folds and returns it
      await tabTo(page, "#language-chooser .languages-toggle");
      await assertVisibleFocus(page);
      await page.keyboard.press("Enter");
      assert.equal(await toggle.getAttribute("aria-expanded"), "true");
      assert.equal(await visibleLanguages(page), 10);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("lang")), "en");
      await assertReflows(page, "chooser open");
      await assertNoAxeViolations(page, "chooser open, 320 px");
      await page.keyboard.press("Escape");
      assert.equal(await toggle.getAttribute("aria-expanded"), "false");
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("languages-toggle")), true);

      // choosing Arabic switches the page, folds the list, and the button says العربية
      await page.keyboard.press("Enter");
      await tabTo(page, '#language-chooser button[lang="ar"]', 12);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      assert.equal(await toggle.getAttribute("aria-expanded"), "false");
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("languages-toggle")), true);
      assert.equal(await page.locator("#language-chooser .languages-current").getAttribute("lang"), "ar");
      assert.match((await toggle.textContent()) ?? "", /العربية/);
      await assertNoAxeViolations(page, "chooser folded, Arabic, 320 px");
      await context.close();
    });

    await t.test("kiosk, 1100 px: all ten languages show and there is no fold button", async () => {
      const context = await browser.newContext({ ...A11Y_CONTEXT, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await openPage(page, `${server.url}/bagdrop.html?lang=en#key=${kioskKey}`);
      assert.equal(await page.locator("#language-chooser .languages-toggle").isVisible(), false);
      assert.equal(await visibleLanguages(page), 10);
      await page.click('#language-chooser button[lang="fi"]');
      await page.waitForFunction(() => document.documentElement.lang === "fi");
      assert.equal(await visibleLanguages(page), 10, "choosing does not fold anything on a kiosk");
      await context.close();
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
