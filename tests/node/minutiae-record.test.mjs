// Capture.fromMinutiaeRecord through the packed package: ISO and ANSI records
// give captures that enroll and verify, and malformed records are coded
// errors. The records are written here (the library has no writer).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { freshProject, throwsCode } from "./support.mjs";

let project;
let sm;

before(async () => {
  project = freshProject();
  sm = await import(project.url);
  await sm.default();
});

after(() => project?.cleanup());

const BAG = { bagTag: "0117123456", flight: "SK1415" };

/** Deterministic minutiae: [type, x, y, angle (0..255), quality]. */
function minutiae(seed, count, width, height) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8);
  return Array.from({ length: count }, () => [1 + (next() & 1), next() % width, next() % height, next() & 255, 40 + (next() % 60)]);
}

/** An ISO/IEC 19794-2:2005 record, or ANSI INCITS 378-2004 with `ansi`, at 197 px/cm. */
function record(points, { ansi = false, width = 300, height = 400, quality = 70 } = {}) {
  const body = [0, 0];
  const u16 = (v) => body.push(v >> 8, v & 255);
  [width, height, 197, 197].forEach(u16);
  body.push(1, 0, 1, 0, quality, points.length);
  for (const [type, x, y, angle, q] of points) {
    u16((type << 14) | x);
    u16(y);
    body.push(ansi ? Math.floor((angle * 180) / 256) : angle, q);
  }
  body.push(0, 0);
  const head = [..."FMR\0 20\0"].map((c) => c.charCodeAt(0));
  if (ansi) {
    const len = head.length + 2 + 4 + body.length;
    head.push(len >> 8, len & 255, 0, 1, 0, 1);
  } else {
    const len = head.length + 4 + body.length;
    head.push(0, 0, len >> 8, len & 255);
  }
  return new Uint8Array([...head, ...body]);
}

test("ISO and ANSI records enroll and verify; another finger's record does not match", () => {
  const finger = minutiae(7, 40, 300, 400);
  const iso = sm.Capture.fromMinutiaeRecord(record(finger));
  const ansi = sm.Capture.fromMinutiaeRecord(record(finger, { ansi: true }));
  const other = sm.Capture.fromMinutiaeRecord(record(minutiae(99, 40, 300, 400)));
  assert.equal(iso.minutiaeCount, 40);
  assert.equal(iso.quality, 70);
  assert.deepEqual(iso.feedback, []);
  const enrolled = sm.enroll([iso], BAG);
  assert.equal(sm.verify(ansi, enrolled.token, enrolled.passengerKey, { bagTag: BAG.bagTag }).match, true);
  assert.equal(sm.verify(other, enrolled.token, enrolled.passengerKey, { bagTag: BAG.bagTag }).match, false);
  const r = iso.renderFeatures();
  assert.ok(r.data.every((v) => v === 255), "a record renders blank");
  for (const c of [iso, ansi, other]) c.free();
});

test("malformed records are INVALID_IMAGE; a few minutiae are not usable", () => {
  const good = record(minutiae(7, 40, 300, 400));
  throwsCode(assert, () => sm.Capture.fromMinutiaeRecord(good.subarray(0, 30)), "INVALID_IMAGE", "truncated");
  const absurd = good.slice();
  absurd[27] = 255;
  throwsCode(assert, () => sm.Capture.fromMinutiaeRecord(absurd), "INVALID_IMAGE", "absurd count");
  throwsCode(assert, () => sm.Capture.fromMinutiaeRecord(new Uint8Array(8)), "INVALID_IMAGE", "no magic");
  throwsCode(assert, () => sm.Capture.fromMinutiaeRecord([70, 77, 82, 0]), "INVALID_ARGUMENT", "an array");
  const few = sm.Capture.fromMinutiaeRecord(record(minutiae(3, 4, 300, 400), { quality: 0 }));
  assert.deepEqual(few.feedback, ["few_features"]);
  throwsCode(assert, () => sm.enroll([few], BAG), "LOW_QUALITY", "four minutiae");
  few.free();
});
