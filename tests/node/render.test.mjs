// Capture.renderFeatures through the packed package: the 500 dpi image with the
// minutiae marked, as RGBA pixels only (no coordinates), and the same coded
// errors as every other capture method.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { freshProject, fixture, throwsCode } from "./support.mjs";

let project;
let sm;

before(async () => {
  project = freshProject();
  sm = await import(project.url);
  await sm.default();
});

after(() => project?.cleanup());

const ENDING = [214, 40, 40];
const BIFURCATION = [24, 96, 224];

test("renderFeatures returns an ImageData-shaped RGBA image with the features marked", async () => {
  const { width, height, pixels } = await fixture("101_1");
  const cap = sm.Capture.fromGray(width, height, pixels, 500);
  const r = cap.renderFeatures();
  assert.deepEqual(Object.keys(r).sort(), ["data", "height", "width"], "pixels and size only");
  assert.equal(r.width, width);
  assert.equal(r.height, height);
  assert.ok(r.data instanceof Uint8ClampedArray);
  assert.equal(r.data.length, width * height * 4);
  let marks = 0;
  for (let i = 0; i < r.data.length; i += 4) {
    const rgb = [r.data[i], r.data[i + 1], r.data[i + 2]];
    if (rgb.every((v, k) => v === ENDING[k]) || rgb.every((v, k) => v === BIFURCATION[k])) marks++;
    assert.equal(r.data[i + 3], 255);
  }
  assert.ok(cap.minutiaeCount > 0 && marks >= cap.minutiaeCount, `${marks} mark pixels for ${cap.minutiaeCount} features`);
  // a fresh copy each time: the caller's edits change nothing
  r.data.fill(0);
  assert.notEqual(cap.renderFeatures().data[3], 0);
  cap.free();
  throwsCode(assert, () => cap.renderFeatures(), "INVALID_ARGUMENT", "freed capture");
});

test("a 1000 dpi capture renders at 500 dpi", async () => {
  const { width, height, pixels } = await fixture("102_1");
  // nearest-neighbour upscale to 1000 dpi
  const big = new Uint8Array(width * 2 * height * 2);
  for (let y = 0; y < height * 2; y++) for (let x = 0; x < width * 2; x++) big[y * width * 2 + x] = pixels[(y >> 1) * width + (x >> 1)];
  const cap = sm.Capture.fromGray(width * 2, height * 2, big, 1000);
  const r = cap.renderFeatures();
  assert.equal(r.width, width);
  assert.equal(r.height, height);
  cap.free();
});
