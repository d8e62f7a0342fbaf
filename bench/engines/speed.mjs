// Speed of the package in each browser engine (tests/engines: Chromium,
// Firefox, WebKit) and in Node, measured in one run: fingerprint extraction of
// a 640×480 image, verify, and a whole face capture (640×480 drawn face).
// Firefox and WebKit round performance.now(), so every figure is a batch of
// calls timed together and divided; the median of the batches is printed.
//
//   node bench/engines/speed.mjs            (needs make pkg and make fixtures)
//
// Not yet part of `make bench`, and without the native column (issue 16).

import { join } from "node:path";
import { ROOT, fixture, freshProject } from "../../tests/node/support.mjs";
import { servePkgPage } from "../../tests/node/browser.mjs";
import { enginesToRun, engineMissing, launchEngine } from "../../tests/engines/index.mjs";
import { drawFaceRgba } from "../../tests/face_draw.mjs";

const BATCHES = 7;

// Runs in a page or in Node: medians (ms per call) of batches of calls.
async function measure(sm, { finger, probe, batches }) {
  const pad = (f) => {
    const w = 640;
    const h = 480;
    const out = new Uint8Array(w * h).fill(255);
    const x0 = (w - f.width) >> 1;
    const y0 = (h - f.height) >> 1;
    for (let y = 0; y < f.height; y++) out.set(new Uint8Array(f.pixels.slice(y * f.width, (y + 1) * f.width)), (y0 + y) * w + x0);
    return { width: w, height: h, pixels: out };
  };
  const big = pad(finger);
  const a = sm.Capture.fromGray(finger.width, finger.height, new Uint8Array(finger.pixels), 500);
  const b = sm.Capture.fromGray(probe.width, probe.height, new Uint8Array(probe.pixels), 500);
  const sealed = sm.enroll([a], { bagTag: "0117123456", flight: "SK1415", now: 1_800_000_000 });
  await sm.initFace();
  const face = globalThis.drawFaceRgba(640, 480, [{ cx: 320, cy: 240, s: 200 }], 5);
  const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  const timed = (perBatch, fn) => {
    for (let i = 0; i < 2; i++) fn();
    const per = [];
    for (let k = 0; k < batches; k++) {
      const t0 = performance.now();
      for (let i = 0; i < perBatch; i++) fn();
      per.push((performance.now() - t0) / perBatch);
    }
    return median(per);
  };
  const out = {
    extract: timed(5, () => sm.Capture.fromGray(big.width, big.height, big.pixels, 500).free()),
    verify: timed(20, () => sm.verify(b, sealed.token, sealed.passengerKey, { bagTag: "0117123456", now: 1_800_000_001 })),
    face: timed(3, () => sm.FaceCapture.fromRgba(640, 480, face).free()),
    score: sm.verify(b, sealed.token, sealed.passengerKey, { bagTag: "0117123456", now: 1_800_000_001 }).score,
  };
  a.free();
  b.free();
  return out;
}

const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>engine speed</title>
<script type="module">
  import init, * as sealmatch from "./pkg/sealmatch.js";
  import { drawFaceRgba } from "./face_draw.mjs";
  init().then(() => { window.sealmatch = sealmatch; window.drawFaceRgba = drawFaceRgba; window.sealmatchReady = true; },
    (e) => { window.sealmatchFailed = String(e && e.message); });
</script>`;

const finger = await fixture("101_1");
const probe = await fixture("101_2");
const input = {
  finger: { width: finger.width, height: finger.height, pixels: Array.from(finger.pixels) },
  probe: { width: probe.width, height: probe.height, pixels: Array.from(probe.pixels) },
  batches: BATCHES,
};
const rows = [];
const project = freshProject("sealmatch-engine-speed");
try {
  const sm = await import(project.url);
  await sm.default();
  globalThis.drawFaceRgba = drawFaceRgba;
  rows.push({ where: `Node ${process.version}`, ...(await measure(sm, input)) });
} finally {
  project.cleanup();
}
const server = await servePkgPage(PAGE, { files: { "face_draw.mjs": join(ROOT, "tests", "face_draw.mjs") } });
try {
  for (const name of enginesToRun()) {
    const why = engineMissing(name);
    if (why) {
      rows.push({ where: `${name}: skipped, ${why}` });
      continue;
    }
    const engine = await launchEngine(name);
    try {
      const page = await engine.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => window.sealmatchReady === true || window.sealmatchFailed !== undefined, null, { timeout: 120_000 });
      const out = await page.evaluate(`(${measure.toString()})(window.sealmatch, ${JSON.stringify(input)})`);
      rows.push({ where: `${name} ${engine.version}`, ...out });
    } finally {
      await engine.close();
    }
  }
} finally {
  await server.close();
}
const base = rows[0];
const cell = (r, k) => (r[k] === undefined ? "" : `${r[k].toFixed(1)} ms (${(r[k] / base[k]).toFixed(2)}×)`);
console.log("| runtime | extraction 640×480 | verify | face capture 640×480 | verify score |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.where} | ${cell(r, "extract")} | ${cell(r, "verify")} | ${cell(r, "face")} | ${r.score?.toFixed(4) ?? ""} |`);
console.log(`\nMedians of ${BATCHES} batches (5 extractions, 20 verifies, 3 face captures each), each batch timed whole and divided: Firefox and WebKit round performance.now(). Ratios to Node.`);
