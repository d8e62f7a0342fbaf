// sealmatch/scanners in every engine (Chromium, Firefox, WebKit;
// tests/engines): a plain page imports the built
// package's scanners/index.js and calls the fake SecuGen and BioMini services
// (tests/node/scanner-fakes/, on 127.0.0.1 at other ports, so cross-origin as
// on a kiosk) and a fake FingerprintReader; success and every failure.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, fixture } from "./support.mjs";
import { forEachEngine, openPage, serve } from "./browser.mjs";
import { grayBmp } from "./scanner-fakes/bmp.mjs";
import { fakeSecugen, fakeSuprema } from "./scanner-fakes/services.mjs";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch scanners</title>
<script type="module">
  import init, { Capture } from "./pkg/sealmatch.js";
  import * as sc from "./pkg/scanners/index.js";
  import { FakeFingerprintReader } from "./fakes/digitalpersona.mjs";
  init().then(
    () => {
      window.sealmatch = { Capture, sc, FakeFingerprintReader };
      window.sealmatchReady = true;
    },
    (e) => { window.sealmatchFailed = String(e && e.message); },
  );
</script>
`;

// Runs in the page: one scan or capture; returns what happened, never pixels.
async function attempt({ vendor, url, mode, capture, cancelAfter, png }) {
  const { sc, FakeFingerprintReader } = window.sealmatch;
  let scanner;
  if (vendor === "secugen") scanner = sc.secugenScanner({ baseUrl: url, timeoutMs: 300 });
  else if (vendor === "suprema") scanner = sc.supremaScanner({ baseUrl: url, timeoutMs: 300 });
  else {
    window.dpReader ??= new FakeFingerprintReader({ png: new Uint8Array(png) });
    window.dpReader.mode = mode;
    scanner = sc.digitalPersonaScanner({ reader: window.dpReader, timeoutMs: cancelAfter ? 10_000 : 300 });
  }
  const ac = new AbortController();
  if (cancelAfter) setTimeout(() => ac.abort(), cancelAfter);
  const stages = [];
  try {
    const options = { signal: ac.signal, onProgress: (p) => stages.push(p.stage) };
    if (capture) {
      const cap = await scanner.capture(options);
      const r = { ok: true, quality: cap.quality, minutiae: cap.minutiaeCount, stages };
      cap.free();
      return r;
    }
    const image = await scanner.scan(options);
    return { ok: true, format: image.format, dpi: image.dpi, bytes: image.file.length, stages };
  } catch (e) {
    return { ok: false, code: e.code, message: e.message };
  }
}

let dir, server, secugen, suprema, png, bmp, finger;

before(async () => {
  assert.ok(existsSync(join(ROOT, "pkg", "scanners", "index.js")), "pkg/ is built with scanners (make pkg)");
  finger = await fixture("101_1");
  bmp = grayBmp(finger.width, finger.height, finger.pixels, 500);
  png = readFileSync(join(ROOT, "target", "fixtures", "synth", "101_1.png"));
  secugen = await fakeSecugen({ bmp, width: finger.width, height: finger.height, dpi: 500 });
  suprema = await fakeSuprema({ bmp });
  dir = mkdtempSync(join(tmpdir(), "sealmatch-scanners-"));
  cpSync(join(ROOT, "pkg"), join(dir, "pkg"), { recursive: true });
  cpSync(join(ROOT, "tests", "node", "scanner-fakes"), join(dir, "fakes"), { recursive: true });
  writeFileSync(join(dir, "index.html"), PAGE);
  server = await serve(dir);
});

after(async () => {
  await server?.close();
  await secugen?.close();
  await suprema?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const NEEDS = "needs Capture.fromImageFile (the scanners-core library work)";

const CASES = {
  secugen: [
    ["no-device", "NO_DEVICE"], ["timeout", "TIMEOUT"], ["low-quality", "LOW_QUALITY"],
    ["unplugged", "DEVICE_DISCONNECTED"], ["bad-json", "BAD_REPLY"], ["bad-base64", "BAD_REPLY"],
    ["http-500", "SCANNER_UNAVAILABLE"], ["hang", "TIMEOUT"],
  ],
  suprema: [
    ["no-device", "NO_DEVICE"], ["timeout", "TIMEOUT"], ["low-quality", "LOW_QUALITY"],
    ["unplugged", "DEVICE_DISCONNECTED"], ["bad-json", "BAD_REPLY"], ["wsq", "BAD_REPLY"], ["hang", "TIMEOUT"],
  ],
  digitalpersona: [
    ["no-service", "SCANNER_UNAVAILABLE"], ["no-device", "NO_DEVICE"], ["hang", "TIMEOUT"],
    ["low-quality", "LOW_QUALITY"], ["unplugged", "DEVICE_DISCONNECTED"], ["bad-samples", "BAD_REPLY"],
  ],
};

forEachEngine((ctx) => {
  let page;
  let ref;
  const hasImageFile = () => page.evaluate(() => typeof window.sealmatch.Capture.fromImageFile === "function");

  before(async () => {
    page = await openPage(ctx.engine, server.url);
    ref = await page.evaluate(
      ({ w, h, px }) => {
        const c = window.sealmatch.Capture.fromGray(w, h, new Uint8Array(px), 500);
        const r = { quality: c.quality, minutiae: c.minutiaeCount };
        c.free();
        return r;
      },
      { w: finger.width, h: finger.height, px: [...finger.pixels] },
    );
  });

  for (const vendor of Object.keys(CASES)) {
    test(`${vendor}`, async (t) => {
      const fake = vendor === "secugen" ? secugen : vendor === "suprema" ? suprema : null;
      const url = fake?.url;
      const run = (mode, extra = {}) => {
        if (fake) fake.mode = mode;
        return page.evaluate(attempt, { vendor, url, mode, png: [...png], ...extra });
      };

      await t.test("scan: the device's image file at 500 dpi", async () => {
        const r = await run("ok");
        assert.equal(r.ok, true, r.message);
        assert.equal(r.format, vendor === "digitalpersona" ? "png" : "bmp");
        assert.equal(r.dpi, 500);
        assert.equal(r.bytes, vendor === "digitalpersona" ? png.length : bmp.length);
        assert.ok(r.stages.includes("waiting-for-finger"));
      });

      await t.test("capture: equal to the same pixels through fromGray", async () => {
        assert.ok(await hasImageFile(), NEEDS);
        const r = await run("ok", { capture: true });
        assert.equal(r.ok, true, r.message);
        assert.deepEqual({ quality: r.quality, minutiae: r.minutiae }, ref);
        assert.equal(r.stages.at(-1), "decoding");
      });

      for (const [mode, code] of CASES[vendor]) {
        await t.test(`${mode} → ${code}`, async () => {
          const r = await run(mode);
          assert.equal(r.ok, false);
          assert.equal(r.code, code, r.message);
        });
      }

      await t.test("cancel → CANCELLED", async () => {
        const r = await run("hang", { cancelAfter: 80 });
        assert.equal(r.code, "CANCELLED", r.message);
      });

      if (fake) {
        await t.test("no service → SCANNER_UNAVAILABLE", async () => {
          const r = await page.evaluate(attempt, { vendor, url: "http://127.0.0.1:9", mode: "ok" });
          assert.equal(r.code, "SCANNER_UNAVAILABLE", r.message);
        });
      }
    });
  }

  test("the page logged no errors", async () => {
    assert.deepEqual((await page.errors()).filter((p) => !/Failed to load resource|ERR_CONNECTION_REFUSED|net::/.test(p)), []);
  });
});
