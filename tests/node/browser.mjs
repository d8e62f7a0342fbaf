// Headless Chromium (Debian's, through playwright-core; never a downloaded
// browser) and a small static file server on 127.0.0.1 for the page tests.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../chromium-args.mjs";

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

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}

/**
 * Opens `url`, waits for the page to set `window.sealmatchReady` (or
 * `window.sealmatchFailed`), and returns the page. Page errors fail the test.
 */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.sealmatchReady === true || window.sealmatchFailed !== undefined, null, {
    timeout: 30_000,
  });
  const failed = await page.evaluate(() => window.sealmatchFailed);
  if (failed !== undefined) throw new Error(`the page failed to load sealmatch: ${failed}`);
  page.problems = problems;
  return page;
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
