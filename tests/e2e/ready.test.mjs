// Every demo page says when it is usable: `<html data-ready="true">`
// (markReady in www/js/ui.js). The browser's `load` event comes before the
// page's module has fetched its language file and attached its handlers; a
// click in between did nothing, which made a CI run lose a click on a slow
// machine. Here the language file is held back: the page must not claim to be
// ready while it waits, a form sent meanwhile must not reload the page and
// lose what was typed (holdFormsUntilReady in ui.js), and once the page is
// ready its first control works.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

import { startServer } from "./lib/server.mjs";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { ROOT, CHROMIUM, SERVER_BIN, PKG } from "./lib/paths.mjs";
import { waitReady } from "./lib/pages.mjs";

/**
 * Each page, and what its first control does once the page is ready;
 * `early`: a field typed into, and the form sent, before the page is ready
 * (the submit must neither reload the page nor lose the text).
 */
const PAGES = [
  { page: "index.html" },
  { page: "bagdrop.html", click: "#consent-yes", then: "#step-trip:not([hidden])" },
  { page: "boarding.html", click: "#fetch-token", then: "#passenger-key[aria-invalid=true]", early: { fill: "#bag-tag", value: "0117555001" } },
  { page: "checkin.html", click: "#booking-next", then: "#booking-ref[aria-invalid=true]", early: { fill: "#flight", value: "SK1415" } },
  { page: "reconciliation.html", click: "#load", then: "#flight[aria-invalid=true]" },
];

test("a page marks itself ready only after its language file, and then its controls work", { timeout: 180_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), "sealmatch-ready-"));
  const kioskKey = randomBytes(24).toString("hex");
  const server = await startServer({
    bin: SERVER_BIN, db: join(work, "db.sqlite"), kioskKey, www: join(ROOT, "www"), pkg: PKG, log: join(work, "server.log"),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  try {
    for (const { page: name, click, then, early } of PAGES) {
      await t.test(name, async () => {
        const page = await browser.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        /** @type {() => void} */
        let release = () => {};
        const held = new Promise((r) => (release = () => r(undefined)));
        let asked = 0;
        await page.route("**/i18n/*.json", async (route) => {
          asked++;
          await held;
          await route.continue();
        });
        await page.goto(`${server.url}/${name}#key=${kioskKey}`);
        // `load` has fired; the module still waits for its language file
        await page.waitForFunction(() => true);
        assert.ok(asked > 0, "the page asked for its language file");
        assert.equal(await page.evaluate(() => document.documentElement.dataset.ready ?? null), null, "not ready while the language file is held");
        if (early && click) {
          await page.evaluate(() => Object.assign(window, { sameDocument: true }));
          const url = page.url();
          await page.fill(early.fill, early.value);
          await page.click(click);
          await new Promise((r) => setTimeout(r, 500));
          assert.equal(page.url(), url, "a submit before the page is ready does not navigate");
          assert.equal(await page.evaluate(() => /** @type {any} */ (window).sameDocument), true, "nor reload");
        }
        release();
        await waitReady(page, 30_000);
        if (early) assert.equal(await page.inputValue(early.fill), early.value, "what was typed early is still there");
        if (click) {
          await page.click(click);
          await page.waitForSelector(then, { timeout: 10_000 });
        }
        assert.deepEqual(errors, []);
        await page.close();
      });
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
