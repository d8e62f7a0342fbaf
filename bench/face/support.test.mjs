// Unit tests of the face peers' helpers that need neither the photos nor the
// npm packages: pair lists, the prominent-face rule, score files, padding and
// the synthetic frame (node --test bench/face/support.test.mjs).

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { facesDir, limitPairs, photosOf, prominentFace, readPairs } from "./dataset.mjs";
import { FRAME, GREY, greyImage, pad, resize, syntheticFrame } from "./image.mjs";
import { parseScore, readScores, writeScores } from "./scorefile.mjs";

const tmp = () => mkdtempSync(join(tmpdir(), "sealmatch-face-test-"));

test("pairs: header skipped, genuine flag parsed, a bad flag refused", () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, "pairs-dev.tsv"), "path_a\tpath_b\tgenuine\nx/a.jpg\tx/b.jpg\t1\nx/a.jpg\ty/c.jpg\t0\n");
    assert.equal(facesDir(dir), dir);
    assert.deepEqual(readPairs(dir), [
      { a: "x/a.jpg", b: "x/b.jpg", genuine: true },
      { a: "x/a.jpg", b: "y/c.jpg", genuine: false },
    ]);
    assert.deepEqual(photosOf(readPairs(dir)), ["x/a.jpg", "x/b.jpg", "y/c.jpg"]);
    writeFileSync(join(dir, "pairs-dev.tsv"), "x/a.jpg\tx/b.jpg\tyes\n");
    assert.throws(() => readPairs(dir), /genuine must be 0 or 1/);
    assert.equal(facesDir(join(dir, "absent")), null);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("--limit spreads the pairs over the whole list", () => {
  const pairs = Array.from({ length: 10 }, (_, k) => k);
  assert.deepEqual(limitPairs(pairs, 3), [0, 3, 6]);
  assert.deepEqual(limitPairs(pairs, 5), [0, 2, 4, 6, 8]);
  assert.equal(limitPairs(pairs, 0), pairs);
  assert.equal(limitPairs(pairs, 99), pairs);
});

test("the prominent face: large enough, then nearest the centre", () => {
  const centre = { x: 40, y: 40, width: 20, height: 20 }; // centred in 100×100
  const big = { x: 0, y: 0, width: 30, height: 30 }; // larger, off-centre
  const small = { x: 45, y: 45, width: 10, height: 10 }; // centred but under half the widest
  assert.equal(prominentFace([big, centre], 100, 100), 1);
  assert.equal(prominentFace([big, small], 100, 100), 0);
  assert.equal(prominentFace([], 100, 100), -1);
});

test("score files round-trip, -inf included", () => {
  const dir = tmp();
  try {
    const path = join(dir, "sub", "s.tsv");
    writeScores(path, { peer: "test", ftd: 1 }, [
      { a: "p", b: "q", score: 0.25, genuine: true },
      { a: "p", b: "r", score: -Infinity, genuine: false },
      { a: "q", b: "r", score: -0.5, genuine: false },
    ]);
    const s = readScores(path);
    assert.deepEqual(s.facts, { peer: "test", ftd: "1" });
    assert.deepEqual(s.genuine, [0.25]);
    assert.deepEqual(s.impostor, [-Infinity, -0.5]);
    writeFileSync(path, "p\tq\t0.1\n");
    assert.throws(() => readScores(path), /expected a<TAB>b<TAB>score<TAB>0\|1/);
    assert.throws(() => parseScore("abc"), /not a score/);
    assert.equal(parseScore("-inf"), -Infinity);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

/** A w×h image whose pixel (x, y) is (x, y, 7). */
function ramp(w, h) {
  const img = { width: w, height: h, data: new Uint8Array(w * h * 3) };
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data.set([x, y, 7], (y * w + x) * 3);
  return img;
}
const px = (img, x, y) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];

test("padding puts the photo in the middle of a grey border", () => {
  const p = pad(ramp(10, 6), 0.5);
  assert.equal(p.width, 20);
  assert.equal(p.height, 12);
  assert.deepEqual(px(p, 0, 0), [GREY, GREY, GREY]);
  assert.deepEqual(px(p, 5, 3), [0, 0, 7]);
  assert.deepEqual(px(p, 14, 8), [9, 5, 7]);
  assert.deepEqual(px(p, 15, 9), [GREY, GREY, GREY]);
  assert.equal(pad(ramp(4, 4), 0).width, 4);
});

test("bilinear resize keeps a linear ramp linear", () => {
  const r = resize(ramp(4, 4), 8, 8);
  // Pixel centres: output x=3 samples source x = 3.5*0.5-0.5 = 1.25.
  assert.deepEqual(px(r, 3, 0), [1, 0, 7]);
  assert.deepEqual(px(r, 4, 4), [2, 2, 7]);
  assert.deepEqual(px(r, 7, 7), [3, 3, 7]); // clamped at the edge
});

test("the synthetic frame is 640×480 with the photo enlarged 3× in its centre", () => {
  const photo = greyImage(150, 150);
  photo.data.fill(200);
  const f = syntheticFrame(photo);
  assert.equal(f.width, FRAME.width);
  assert.equal(f.height, FRAME.height);
  assert.deepEqual(px(f, 94, 240), [GREY, GREY, GREY]); // left of the photo (x0 = 95)
  assert.deepEqual(px(f, 95, 15), [200, 200, 200]); // its top-left corner (y0 = 15)
  assert.deepEqual(px(f, 544, 464), [200, 200, 200]); // its bottom-right corner
  assert.deepEqual(px(f, 545, 464), [GREY, GREY, GREY]);
  // A photo larger than the frame is cut, not wrapped.
  const big = syntheticFrame(greyImage(300, 300));
  assert.equal(big.data.length, FRAME.width * FRAME.height * 3);
});
