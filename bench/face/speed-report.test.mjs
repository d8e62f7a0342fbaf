// Unit tests of the face speed report and the summary's skipped and
// fixed-threshold rows (node --test bench/face/speed-report.test.mjs): made-up
// timings and scores, no data, no npm packages.

import assert from "node:assert/strict";
import { test } from "node:test";
import { cell, columns, fps, ratio, sizesReport, speedReport } from "./speed-report.mjs";
import { formatTable, skippedRun, summaryRows } from "./summarize.mjs";

const ssdAndTiny = (ssd, tiny) => ({
  steps: { "ssd guide": [ssd / 2], "ssd whole": [ssd], "tiny guide": [tiny / 2], "tiny whole": [tiny] },
});

test("cells, ratios and frames per second", () => {
  assert.equal(cell([3, 1, 2]), "2.0 / 3.0");
  assert.equal(cell([], "none"), "none");
  assert.equal(ratio([10, 30], [10]), "2.00×");
  assert.equal(ratio(undefined, [1]), "—");
  assert.equal(fps(50), 20);
  assert.deepEqual(columns([["a", "bb"], ["ccc", "d"]]), ["a    bb", "ccc  d"]);
});

test("the browser target: met only when faster than every face-api.js detector timed", () => {
  const base = { native: { guideMs: [20], wholeMs: [40] }, node: { steps: { whole: [80] } }, nodeFaceApi: "not installed" };
  const met = speedReport({ ...base, chromium: { steps: { whole: [60] } }, chromiumFaceApi: ssdAndTiny(300, 120) }).join("\n");
  assert.match(met, /faster than face-api\.js in the same browser: met \(/);
  const half = speedReport({ ...base, chromium: { steps: { whole: [200] } }, chromiumFaceApi: ssdAndTiny(300, 120) }).join("\n");
  assert.match(half, /met against SSD MobileNet v1 only/);
  const skipped = speedReport({ ...base, chromium: "--no-browser", chromiumFaceApi: "--no-browser" }).join("\n");
  assert.match(skipped, /not measured/);
  assert.match(skipped, /skipped: not installed/);
});

test("live guidance: 15 frames/s natively from the guidance path, in WASM from the whole capture", () => {
  const lines = speedReport({
    native: { guideMs: [50], wholeMs: [90] },
    node: { steps: { whole: [100] } },
    chromium: { steps: { whole: [60] } },
    nodeFaceApi: "x",
    chromiumFaceApi: "x",
  }).join("\n");
  assert.match(lines, /native 20\.0\/s \(guidance\) met; Node 10\.0\/s \(whole capture\) MISSED; Chromium 16\.7\/s \(whole capture\) met/);
  assert.match(lines, /WASM \/ native, whole capture \(medians\): Node 1\.11×, Chromium 0\.67×/);
});

test("sizes: growth over the baseline and whether init() fetched the weights", () => {
  const ok = sizesReport({
    wasm: { raw: 500, gzip: 200_000 },
    weights: 7,
    baselineGzip: 150_000,
    initFetched: { "/pkg/sealmatch_core_bg.wasm": 500 },
    initFaceFetched: { "/pkg/sealmatch-face.bin": 7 },
  }).join("\n");
  assert.match(ok, /\+50\.0 KB over 150000 .*met\)/);
  assert.match(ok, /the face weights: not fetched \(met\)/);
  assert.match(ok, /initFace\(\) fetched: sealmatch-face\.bin 7 bytes/);
  const bad = sizesReport({ wasm: { raw: 1, gzip: 220_000 }, weights: 7, baselineGzip: 150_000, initFetched: { "/pkg/sealmatch-face.bin": 7 } }).join("\n");
  assert.match(bad, /MISSED/);
  assert.match(bad, /FETCHED/);
});

test("summary: a skipped peer is a column of 'skipped'; the fixed threshold row", () => {
  const run = { facts: { peer: "ours", default_threshold: "0.5" }, genuine: [0.9, 0.4, -Infinity, 0.6], impostor: [0.1, 0.55, 0.2, 0.3] };
  const rows = summaryRows(run);
  const fixed = rows.find(([label]) => label === "at the fixed default threshold")[1];
  assert.equal(fixed, "TAR 50.00 % / FMR 25.0000 % (t=0.5)");
  const skipped = summaryRows(skippedRun("dlib", "not installed"));
  assert.equal(skipped.length, rows.length);
  assert.equal(skipped[0][1], "dlib");
  assert.equal(skipped[1][1], "skipped: not installed");
  assert.ok(skipped.slice(2).every(([, v]) => v === "skipped"));
  const peerless = summaryRows({ facts: { peer: "peer" }, genuine: [1], impostor: [0] });
  assert.equal(peerless.find(([label]) => label === "at the fixed default threshold")[1], "—");
  assert.match(formatTable([run, skippedRun("dlib", "not installed")]), /skipped: not installed/);
});
