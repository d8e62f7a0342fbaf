// Firefox backend: Debian's firefox-esr over WebDriver BiDi through
// puppeteer-core (no downloaded browser), headless, in a throwaway profile.

import puppeteer from "puppeteer-core";
import { collectErrors } from "./page-common.mjs";

/**
 * Launches headless Firefox. `fakeCameraY4m` turns on Firefox's fake camera
 * (its own moving test pattern: Firefox cannot play a Y4M file as a camera)
 * with the permission prompt off.
 *
 * ```js
 * const engine = await launch({ binaries: { browser: "/usr/bin/firefox-esr" }, extraArgs: [] });
 * ```
 */
export async function launch({ binaries, fakeCameraY4m, extraArgs }) {
  const prefs = {
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false,
    "app.update.enabled": false,
    "browser.shell.checkDefaultBrowser": false,
  };
  if (fakeCameraY4m) {
    prefs["media.navigator.streams.fake"] = true;
    prefs["media.navigator.permission.disabled"] = true;
  }
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: binaries.browser,
    headless: true,
    args: extraArgs,
    extraPrefsFirefox: prefs,
    protocolTimeout: 600_000,
    // Playwright's default, so that pages lay out alike in every engine.
    defaultViewport: { width: 1280, height: 720 },
  });
  const version = await browser.version();
  return {
    name: "firefox",
    version,
    camera: fakeCameraY4m ? "pattern" : null,
    browser,
    newPage: async () => wrapPage(await browser.newPage()),
    close: () => browser.close(),
  };
}

function wrapPage(page) {
  const errors = collectErrors(page);
  page.setDefaultTimeout(60_000);
  return {
    raw: page,
    goto: async (url) => {
      await page.goto(url);
    },
    evaluate: (fnOrSource, arg) => page.evaluate(fnOrSource, arg),
    click: (selector) => page.click(selector),
    fill: async (selector, text) => {
      await page.$eval(selector, (el) => {
        el.value = "";
      });
      await page.type(selector, text);
    },
    press: (key) => page.keyboard.press(key),
    waitFor: async (selector, { timeout = 30_000, visible = false } = {}) => {
      await page.waitForSelector(selector, { timeout, visible });
    },
    screenshot: async (path) => {
      await page.screenshot({ path });
    },
    setViewport: (width, height) => page.setViewport({ width, height }),
    errors: async () => [...errors],
    close: () => page.close(),
  };
}
