// sealmatch/scanners from the packed package, in Node: each vendor adapter
// against a fake of its service on 127.0.0.1 (tests/node/scanner-fakes/),
// success and every failure: no service, no device, timeout, low quality,
// unplugged mid-capture, malformed reply, cancel. Success images are BMPs made
// here from the synthetic fingers (`make fixtures`).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, fixture, freshProject } from "./support.mjs";
import { grayBmp, toBase64 } from "./scanner-fakes/bmp.mjs";
import { fakeSecugen, fakeSuprema } from "./scanner-fakes/services.mjs";
import { FakeFingerprintReader } from "./scanner-fakes/digitalpersona.mjs";

const DPI = 500;
let project, sm, sc, finger, bmp, png, secugen, suprema;

before(async () => {
  project = freshProject("sealmatch-scanners");
  writeFileSync(join(project.dir, "scanners.mjs"), 'export * from "sealmatch/scanners";\n');
  sm = await import(project.url);
  sc = await import(pathToFileURL(join(project.dir, "scanners.mjs")).href);
  await sm.default();
  finger = await fixture("101_1");
  bmp = grayBmp(finger.width, finger.height, finger.pixels, DPI);
  png = new Uint8Array(readFileSync(join(ROOT, "target", "fixtures", "synth", "101_1.png")));
  secugen = await fakeSecugen({ bmp, width: finger.width, height: finger.height, dpi: DPI });
  suprema = await fakeSuprema({ bmp });
});

after(async () => {
  await secugen?.close();
  await suprema?.close();
  project?.cleanup();
});

/** A closed port: nothing listens there. */
async function deadUrl() {
  const s = await fakeSecugen({ bmp: new Uint8Array(2), width: 1, height: 1, dpi: 500 });
  await s.close();
  return s.url;
}

/** Rejects with `code`, a short message, and no image data in it. */
async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error, "an Error");
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.length < 200, `short message: ${e.message}`);
    assert.ok(!e.message.includes(toBase64(bmp).slice(0, 40)), "no image data in the message");
    return true;
  });
}

/** The capture a scan must equal: the same pixels through Capture.fromGray. */
function assertSameAsGray(cap) {
  const ref = sm.Capture.fromGray(finger.width, finger.height, finger.pixels, DPI);
  try {
    assert.ok(cap.minutiaeCount > 10, `features found: ${cap.minutiaeCount}`);
    assert.equal(cap.minutiaeCount, ref.minutiaeCount);
    assert.equal(cap.quality, ref.quality);
  } finally {
    ref.free();
    cap.free();
  }
}

const NEEDS = "needs Capture.fromImageFile (the scanners-core library work)";
const hasImageFile = () => typeof sm.Capture.fromImageFile === "function";

test("the subpath export lists its codes and adapters", () => {
  assert.deepEqual([...sc.SCANNER_CODES].sort(), [
    "BAD_REPLY", "CANCELLED", "DEVICE_BUSY", "DEVICE_DISCONNECTED", "LOW_QUALITY",
    "NO_DEVICE", "SCANNER_ERROR", "SCANNER_UNAVAILABLE", "TIMEOUT",
  ]);
  for (const f of ["secugenScanner", "supremaScanner", "digitalPersonaScanner", "defineScanner", "imageToCapture", "findScanners"]) {
    assert.equal(typeof sc[f], "function", f);
  }
  assert.equal(sc.secugenScanner().baseUrl, "https://localhost:8443");
  assert.equal(sc.supremaScanner().baseUrl, "https://localhost:8084");
});

test("SecuGen WebAPI", async (t) => {
  const scanner = () => sc.secugenScanner({ baseUrl: secugen.url, timeoutMs: 300 });

  await t.test("scan: the service's BMP at its resolution, with the documented form fields", async () => {
    secugen.mode = "ok";
    const stages = [];
    const image = await scanner().scan({ onProgress: (p) => stages.push(p.stage) });
    assert.equal(image.format, "bmp");
    assert.equal(image.dpi, DPI);
    assert.deepEqual([image.width, image.height], [finger.width, finger.height]);
    assert.deepEqual(image.file, bmp);
    assert.deepEqual(stages, ["waiting-for-finger", "reading-image"]);
    const form = secugen.requests.at(-1).form;
    assert.deepEqual(Object.keys(form).sort(), ["Quality", "Timeout", "imageWSQRate", "licstr", "templateFormat"]);
    assert.equal(form.Timeout, "300");
    assert.equal(form.Quality, "50");
  });

  await t.test("capture: a Capture equal to the same pixels through fromGray", async () => {
    assert.ok(hasImageFile(), NEEDS);
    secugen.mode = "ok";
    assertSameAsGray(await scanner().capture());
  });

  await t.test("probe: present, no device, no service", async () => {
    secugen.mode = "ok";
    assert.deepEqual(await scanner().probe(), { available: true, devices: ["Hamster Pro 20"] });
    secugen.mode = "no-device";
    assert.deepEqual(await scanner().probe(), { available: false, code: "NO_DEVICE", devices: [] });
    const dead = sc.secugenScanner({ baseUrl: await deadUrl() });
    assert.deepEqual(await dead.probe(), { available: false, code: "SCANNER_UNAVAILABLE", devices: [] });
    assert.deepEqual(await sc.findScanners([dead, scanner()]).then((a) => a.length), 0);
    secugen.mode = "ok";
    assert.deepEqual((await sc.findScanners([dead, scanner()])).map((a) => a.vendor), ["secugen"]);
  });

  const failures = [
    ["no-device", "NO_DEVICE"],
    ["timeout", "TIMEOUT"],
    ["low-quality", "LOW_QUALITY"],
    ["unplugged", "DEVICE_DISCONNECTED"],
    ["busy", "DEVICE_BUSY"],
    ["bad-json", "BAD_REPLY"],
    ["not-object", "BAD_REPLY"],
    ["bad-base64", "BAD_REPLY"],
    ["missing-size", "BAD_REPLY"],
    ["http-500", "SCANNER_UNAVAILABLE"],
    ["drop", "SCANNER_UNAVAILABLE"],
    ["hang", "TIMEOUT"],
  ];
  for (const [mode, code] of failures) {
    await t.test(`${mode} → ${code}`, async () => {
      secugen.mode = mode;
      await rejectsWith(scanner().capture(), code);
    });
  }

  await t.test("no service → SCANNER_UNAVAILABLE", async () => {
    await rejectsWith(sc.secugenScanner({ baseUrl: await deadUrl() }).capture(), "SCANNER_UNAVAILABLE");
  });

  await t.test("cancel while waiting for the finger → CANCELLED, at once", async () => {
    secugen.mode = "hang";
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(sc.secugenScanner({ baseUrl: secugen.url, timeoutMs: 10_000 }).capture({ signal: ac.signal }), "CANCELLED");
    assert.ok(Date.now() - started < 2000);
    await rejectsWith(scanner().capture({ signal: AbortSignal.abort() }), "CANCELLED");
  });
});

test("Suprema BioMini Web Agent", async (t) => {
  const scanner = () => sc.supremaScanner({ baseUrl: suprema.url, timeoutMs: 300 });

  await t.test("scan: session, device, capture, image data; the BMP at the reader's resolution", async () => {
    suprema.mode = "ok";
    suprema.requests.length = 0;
    const stages = [];
    const image = await scanner().scan({ onProgress: (p) => stages.push(p.stage) });
    assert.equal(image.format, "bmp");
    assert.equal(image.dpi, DPI);
    assert.deepEqual(image.file, bmp);
    assert.deepEqual(stages, ["connecting", "waiting-for-finger", "reading-image"]);
    assert.deepEqual(suprema.requests.map((r) => r.path), ["/api/createSessionID", "/api/initDevice", "/api/captureSingle", "/api/getImageData"]);
    const capture = suprema.requests[2].query;
    assert.equal(capture.sHandle, "4711");
    assert.equal(capture.resetTimer, "300");
    assert.equal(suprema.requests[3].query.fileType, "1");
  });

  await t.test("capture: a Capture equal to the same pixels through fromGray", async () => {
    assert.ok(hasImageFile(), NEEDS);
    suprema.mode = "ok";
    assertSameAsGray(await scanner().capture());
  });

  await t.test("probe: present, no device, no service", async () => {
    suprema.mode = "ok";
    assert.deepEqual(await scanner().probe(), { available: true, devices: ["BioMini Slim 2"] });
    suprema.mode = "no-device";
    assert.deepEqual(await scanner().probe(), { available: false, code: "NO_DEVICE", devices: [] });
    assert.deepEqual(await sc.supremaScanner({ baseUrl: await deadUrl() }).probe(), { available: false, code: "SCANNER_UNAVAILABLE", devices: [] });
  });

  const failures = [
    ["no-device", "NO_DEVICE"],
    ["timeout", "TIMEOUT"],
    ["low-quality", "LOW_QUALITY"],
    ["unplugged", "DEVICE_DISCONNECTED"],
    ["busy", "DEVICE_BUSY"],
    ["bad-json", "BAD_REPLY"],
    ["no-retvalue", "BAD_REPLY"],
    ["bad-base64", "BAD_REPLY"],
    ["wsq", "BAD_REPLY"],
    ["hang", "TIMEOUT"],
  ];
  for (const [mode, code] of failures) {
    await t.test(`${mode} → ${code}`, async () => {
      suprema.mode = mode;
      await rejectsWith(scanner().capture(), code);
    });
  }

  await t.test("no service → SCANNER_UNAVAILABLE", async () => {
    await rejectsWith(sc.supremaScanner({ baseUrl: await deadUrl() }).capture(), "SCANNER_UNAVAILABLE");
  });

  await t.test("cancel while waiting → CANCELLED, and the agent is told to abort", async () => {
    suprema.mode = "hang";
    suprema.requests.length = 0;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await rejectsWith(sc.supremaScanner({ baseUrl: suprema.url, timeoutMs: 10_000 }).capture({ signal: ac.signal }), "CANCELLED");
    for (let i = 0; i < 50 && !suprema.requests.some((r) => r.path === "/api/abortCapture"); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const abort = suprema.requests.find((r) => r.path === "/api/abortCapture");
    assert.ok(abort, "abortCapture was called");
    assert.equal(abort.query.sHandle, "4711");
  });
});

test("DigitalPersona (injected FingerprintReader)", async (t) => {
  const reader = new FakeFingerprintReader({ png, raw: { ...finger, dpi: DPI } });
  const scanner = (opts = {}) => sc.digitalPersonaScanner({ reader, timeoutMs: 300, ...opts });

  await t.test("scan: a PngImage sample, at the configured resolution", async () => {
    reader.mode = "ok";
    const stages = [];
    const image = await scanner().scan({ onProgress: (p) => stages.push(p.stage) });
    assert.equal(image.format, "png");
    assert.equal(image.dpi, DPI);
    assert.deepEqual(image.file, png);
    assert.deepEqual(stages, ["connecting", "waiting-for-finger", "quality", "reading-image"]);
    assert.ok(reader.calls.includes("startAcquisition:5"));
    assert.equal(reader.listeners, 0, "the adapter removed its handlers");
  });

  await t.test("capture from a Raw sample: grey pixels through fromGray, equal to the fixture", async () => {
    reader.mode = "ok";
    const image = await scanner({ format: "Raw" }).scan();
    assert.deepEqual([image.width, image.height, image.dpi], [finger.width, finger.height, DPI]);
    assert.deepEqual(image.pixels, finger.pixels);
    assertSameAsGray(await scanner({ format: "Raw" }).capture());
  });

  await t.test("capture from a PngImage sample", async () => {
    assert.ok(hasImageFile(), NEEDS);
    reader.mode = "ok";
    assertSameAsGray(await scanner().capture());
  });

  await t.test("probe: present, no device, no agent", async () => {
    reader.mode = "ok";
    assert.deepEqual(await scanner().probe(), { available: true, devices: ["{fake-uid-1}"] });
    reader.mode = "no-device";
    assert.deepEqual(await scanner().probe(), { available: false, code: "NO_DEVICE", devices: [] });
    reader.mode = "no-service";
    assert.deepEqual(await scanner().probe(), { available: false, code: "SCANNER_UNAVAILABLE", devices: [] });
  });

  const failures = [
    ["no-service", "SCANNER_UNAVAILABLE"],
    ["no-device", "NO_DEVICE"],
    ["hang", "TIMEOUT"],
    ["low-quality", "LOW_QUALITY"],
    ["unplugged", "DEVICE_DISCONNECTED"],
    ["comm-failed", "SCANNER_UNAVAILABLE"],
    ["error", "SCANNER_ERROR"],
    ["bad-samples", "BAD_REPLY"],
    ["not-png", "BAD_REPLY"],
  ];
  for (const [mode, code] of failures) {
    await t.test(`${mode} → ${code}`, async () => {
      reader.mode = mode;
      await rejectsWith(scanner().capture(), code);
      assert.equal(reader.listeners, 0, "the adapter removed its handlers");
    });
  }

  await t.test("cancel → CANCELLED and acquisition stopped", async () => {
    reader.mode = "hang";
    reader.calls.length = 0;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(scanner({ timeoutMs: 10_000 }).capture({ signal: ac.signal }), "CANCELLED");
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(reader.calls.includes("stopAcquisition"));
  });

  await t.test("a reader that is not a FingerprintReader is a TypeError at construction", () => {
    assert.throws(() => sc.digitalPersonaScanner({ reader: {} }), TypeError);
  });
});

test("defineScanner: a new vendor from name, probe and scan", async () => {
  const acme = sc.defineScanner({
    name: "Acme FP-500",
    async probe() {
      return { available: true, devices: ["FP-500"] };
    },
    async scan() {
      return { width: finger.width, height: finger.height, pixels: finger.pixels, dpi: DPI };
    },
  });
  assert.equal(acme.name, "Acme FP-500");
  assertSameAsGray(await acme.capture());
  const stages = [];
  (await acme.capture({ onProgress: (p) => stages.push(p.stage) })).free();
  assert.deepEqual(stages, ["decoding"]);
});
