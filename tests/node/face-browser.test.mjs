// The face API of the package in every engine (Chromium, Firefox, WebKit;
// tests/engines) from a plain module page:
// from page load through init() and a whole fingerprint job, the face
// weights are never requested; initFace() then fetches them exactly once,
// from beside the module; a drawn face enrolls and verifies from ImageData;
// and, only when ../shared/data/faces exists, an enroll/verify round trip on
// LFW photos decoded by the browser (served through a symlink in a temporary
// folder; nothing is copied).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support.mjs";
import { fingerprintJobInPage, forEachEngine, openPage, pageRequests, servePkgPage } from "./browser.mjs";

const FACES = join(ROOT, "..", "shared", "data", "faces");
const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>sealmatch face page</title>
<script type="module">
  import init, * as sealmatch from "./pkg/sealmatch.js";
  import { drawFaceRgba } from "./face_draw.mjs";
  init().then(
    () => { window.sealmatch = sealmatch; window.drawFaceRgba = drawFaceRgba; window.sealmatchReady = true; },
    (e) => { window.sealmatchFailed = String(e && e.message); },
  );
</script>
`;
const WEIGHTS = "/pkg/sealmatch-face.bin";

let server;

before(async () => {
  assert.ok(existsSync(join(ROOT, "pkg", "sealmatch-face.bin")), "pkg/ is built with the face weights (make pkg)");
  server = await servePkgPage(PAGE, {
    files: { "face_draw.mjs": join(ROOT, "tests", "face_draw.mjs") },
    links: { faces: join(FACES, "dev") },
  });
});

after(async () => {
  await server?.close();
});

forEachEngine((ctx) => {
  test("init() and a fingerprint job never fetch the face weights; initFace() fetches them once", async () => {
    const page = await openPage(ctx.engine, server.url);
    await fingerprintJobInPage(page);
    // Requests are recorded from before the page loaded: the module and its
    // .wasm are there, the face weights are not.
    const requests = await pageRequests(page);
    assert.ok(requests.includes("/pkg/sealmatch_core_bg.wasm"), requests.join(", "));
    assert.deepEqual(requests.filter((p) => p.endsWith("sealmatch-face.bin")), [], "fetched before initFace");
    const out = await page.evaluate(async () => {
      const { initFace, FaceCapture, enroll, verify } = window.sealmatch;
      const code = (fn) => {
        try { fn(); return "no error"; } catch (e) { return e.code; }
      };
      const blank = new ImageData(320, 240);
      const r = { before: code(() => FaceCapture.fromImageData(blank)) };
      await Promise.all([initFace(), initFace()]);
      await initFace();
      const f = FaceCapture.fromImageData(blank);
      r.blank = { feedback: f.feedback, quality: f.quality, box: f.box };
      f.free();
      const drawn = new ImageData(window.drawFaceRgba(320, 240, [{ cx: 160, cy: 120, s: 110 }], 5), 320, 240);
      const face = FaceCapture.fromImageData(drawn);
      r.face = { feedback: face.feedback, quality: face.quality };
      const e = enroll([face], { bagTag: "B1", flight: "SK1415" });
      r.self = verify(face, e.token, e.passengerKey, { bagTag: "B1" });
      face.free();
      return r;
    });
    assert.equal(out.before, "NOT_READY");
    assert.deepEqual(out.blank, { feedback: ["no_face"], quality: 0, box: null });
    assert.deepEqual(out.face, { feedback: [], quality: 100 });
    assert.ok(out.self.match && out.self.score > 0.999, JSON.stringify(out.self));
    assert.deepEqual((await pageRequests(page)).filter((p) => p.endsWith("sealmatch-face.bin")), [WEIGHTS], "fetched once, by initFace");
    assert.deepEqual(await page.errors(), []);
  });

  test("LFW photos decoded by the browser: same person matches, two people do not", async (t) => {
    if (!existsSync(join(FACES, "dev"))) {
      t.skip(`SKIPPED: ${FACES} is absent; the LFW round trip did not run`);
      return;
    }
    const page = await openPage(ctx.engine, server.url);
    const out = await page.evaluate(async () => {
      const { initFace, FaceCapture, enroll, verify } = window.sealmatch;
      await initFace();
      const load = async (path) => {
        const bmp = await createImageBitmap(await (await fetch(path)).blob());
        const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext("2d");
        ctx.drawImage(bmp, 0, 0);
        return FaceCapture.fromImageData(ctx.getImageData(0, 0, bmp.width, bmp.height));
      };
      const a = await load("faces/Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
      const same = await load("faces/Aaron_Peirsol/Aaron_Peirsol_0002.jpg");
      const other = await load("faces/Aaron_Sorkin/Aaron_Sorkin_0001.jpg");
      const e = enroll([a], { bagTag: "B1", flight: "SK1415" });
      const r = {
        same: verify(same, e.token, e.passengerKey, { bagTag: "B1" }),
        other: verify(other, e.token, e.passengerKey, { bagTag: "B1" }),
        box: a.box,
      };
      for (const c of [a, same, other]) c.free();
      return r;
    });
    assert.equal(out.same.match, true, JSON.stringify(out.same));
    assert.equal(out.other.match, false, JSON.stringify(out.other));
    assert.ok(out.box && out.box.width > 20, JSON.stringify(out.box));
    assert.deepEqual(await page.errors(), []);
  });
});
