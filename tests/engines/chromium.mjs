// Chromium backend: Debian's Chromium through playwright-core, with the
// flags every headless run here uses (tests/chromium-args.mjs).

import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { collectErrors } from "./page-common.mjs";

/**
 * Launches headless Chromium. `fakeCameraY4m` feeds its fake camera from
 * that file (and grants camera permission).
 *
 * ```js
 * const engine = await launch({ binaries: { browser: "/usr/bin/chromium" }, extraArgs: [] });
 * ```
 */
export async function launch({ binaries, fakeCameraY4m, extraArgs }) {
  const camera = fakeCameraY4m
    ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${fakeCameraY4m}`]
    : [];
  const browser = await chromium.launch({
    executablePath: binaries.browser,
    headless: true,
    args: [...CHROMIUM_ARGS, ...camera, ...extraArgs],
  });
  return {
    name: "chromium",
    version: browser.version(),
    camera: fakeCameraY4m ? "file" : null,
    browser,
    newPage: async () => wrapPage(await browser.newPage()),
    close: () => browser.close(),
  };
}

function wrapPage(page) {
  const errors = collectErrors(page);
  return {
    raw: page,
    goto: async (url) => {
      await page.goto(url);
    },
    evaluate: (fnOrSource, arg) => page.evaluate(fnOrSource, arg),
    click: (selector) => page.click(selector),
    fill: (selector, text) => page.fill(selector, text),
    press: (key) => page.keyboard.press(key),
    waitFor: async (selector, { timeout = 30_000, visible = false } = {}) => {
      await page.waitForSelector(selector, { timeout, state: visible ? "visible" : "attached" });
    },
    screenshot: async (path) => {
      await page.screenshot({ path });
    },
    setViewport: (width, height) => page.setViewportSize({ width, height }),
    errors: async () => [...errors],
    close: () => page.close(),
  };
}
