// The bag-drop page finds the kiosk's scanner services: fake SecuGen WebAPI
// and Suprema BioMini Web Agent services (tests/node/scanner-fakes/, on
// 127.0.0.1, pointed at with ?secugen= and ?suprema=) are listed beside the
// sample and file options; a scan through one is processed like any other;
// a service failure and a cancel are shown to staff; with no service running
// the page says so and keeps the sample and file options. Fingers come from
// sealmatch-synth, made into BMPs here.
//
// The real services live at https://localhost:8443 and :8084, which the
// server's Content-Security-Policy allows; the fakes listen elsewhere, so this
// test's browser context bypasses the policy.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

import { startServer } from "./lib/server.mjs";
import { makeSamples } from "../../scripts/demo-samples.mjs";
import { readPng } from "../../scripts/png.mjs";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { grayBmp } from "../node/scanner-fakes/bmp.mjs";
import { fakeSecugen, fakeSuprema } from "../node/scanner-fakes/services.mjs";
import { HERE, ROOT, CHROMIUM, SERVER_BIN, SYNTH_BIN, PKG } from "./lib/paths.mjs";
import { openPage } from "./lib/pages.mjs";


test("bag drop lists the kiosk's scanner services and scans through them", { timeout: 300_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), "sealmatch-kiosk-scanners-"));
  const samples = join(work, "samples");
  const manifest = makeSamples({ synth: SYNTH_BIN, out: samples, fingers: 1, impressions: 1, seed: 11 });
  const finger = readPng(join(samples, manifest.fingers[0].impressions[0]));
  const bmp = grayBmp(finger.width, finger.height, finger.pixels, 500);
  const secugen = await fakeSecugen({ bmp, width: finger.width, height: finger.height, dpi: 500 });
  const suprema = await fakeSuprema({ bmp });
  const server = await startServer({
    bin: SERVER_BIN, db: join(work, "db.sqlite"), kioskKey: randomBytes(24).toString("hex"),
    www: join(ROOT, "www"), pkg: PKG, log: join(work, "server.log"), mounts: { "/samples": samples },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  /** Opens bag drop with `query` and goes to the capture panel. */
  async function openCapture(query) {
    await openPage(page, `${server.url}/bagdrop.html?${query}`);
    await page.click("#consent-yes");
    await page.fill("#flight", "SK1415");
    await page.fill("#bag-tag", "0117555001");
    await page.click("#trip-next");
    await page.waitForSelector("#capture-panel[data-scanner-services]", { timeout: 30_000 });
  }

  /** Clicks "Scan finger" on the chosen service and waits for the panel to finish. */
  async function scanService() {
    const before = Number((await page.getAttribute("#capture-panel", "data-captures")) ?? 0);
    await page.click("[data-role=scan-service]");
    await page.waitForFunction((n) => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0) > n, before, { timeout: 60_000 });
    return (await page.textContent("[data-role=capture-message]")) ?? "";
  }

  try {
    await t.test("with both services running, both are listed beside the sample and file options", async () => {
      await openCapture(`scanners=find&secugen=${encodeURIComponent(secugen.url)}&suprema=${encodeURIComponent(suprema.url)}`);
      assert.equal(await page.getAttribute("#capture-panel", "data-scanner-services"), "2");
      const labels = await page.$$eval(".scanner-choice label.radio", (ls) => ls.map((l) => l.textContent?.trim()));
      assert.deepEqual(labels, [
        "Sample finger (synthetic)",
        "Scanner image file",
        "SecuGen (WebAPI): Hamster Pro 20",
        "Suprema BioMini (Web Agent): BioMini Slim 2",
      ]);
      assert.match((await page.textContent("[data-role=scanner-services]")) ?? "", /Found: SecuGen \(WebAPI\), Suprema BioMini \(Web Agent\)/);
    });

    await t.test("a service failure is shown with its code; a scan can be cancelled", async () => {
      await page.check("[data-role=scanner-service-secugen]");
      secugen.mode = "no-device";
      assert.match(await scanService(), /No fingerprint scanner is connected\. \(NO_DEVICE\)/);
      suprema.mode = "unplugged";
      await page.check("[data-role=scanner-service-suprema]");
      assert.match(await scanService(), /unplugged.*\(DEVICE_DISCONNECTED\)/);
      secugen.mode = "hang";
      await page.check("[data-role=scanner-service-secugen]");
      const before = Number((await page.getAttribute("#capture-panel", "data-captures")) ?? 0);
      await page.click("[data-role=scan-service]");
      await page.waitForSelector("[data-role=cancel-scan]:not([disabled])");
      await page.click("[data-role=cancel-scan]");
      await page.waitForFunction((n) => Number(document.getElementById("capture-panel")?.dataset.captures ?? 0) > n, before);
      assert.match((await page.textContent("[data-role=capture-message]")) ?? "", /\(CANCELLED\)/);
    });

    for (const vendor of ["secugen", "suprema"]) {
      await t.test(`a scan through ${vendor} is processed at the device's resolution`, async () => {
        secugen.mode = "ok";
        suprema.mode = "ok";
        await page.check(`[data-role=scanner-service-${vendor}]`);
        const message = await scanService();
        const quality = await page.getAttribute("#capture-panel", "data-quality");
        const text = await page.textContent("[data-role=quality-text]");
        assert.equal(quality, "good", `${text} ${message}`);
        assert.ok(Number(/(\d+) features/.exec(text ?? "")?.[1]) > 10, text ?? "");
      });
    }

    await t.test("with no service running, the page says so and keeps the sample and file options", async () => {
      await openCapture("scanners=find&secugen=http%3A%2F%2F127.0.0.1%3A9&suprema=http%3A%2F%2F127.0.0.1%3A9");
      assert.equal(await page.getAttribute("#capture-panel", "data-scanner-services"), "0");
      assert.match((await page.textContent("[data-role=scanner-services]")) ?? "", /No scanner service found/);
      const labels = await page.$$eval(".scanner-choice label.radio", (ls) => ls.map((l) => l.textContent?.trim()));
      assert.deepEqual(labels, ["Sample finger (synthetic)", "Scanner image file"]);
    });

    await t.test("no page errors", () => assert.deepEqual(pageErrors, []));
  } finally {
    await browser.close();
    await server.stop();
    await secugen.close();
    await suprema.close();
    rmSync(work, { recursive: true, force: true });
  }
});
