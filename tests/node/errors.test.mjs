// Every error code, reached from JavaScript through the packed package, and
// hostile arguments for every export: each failure is an Error with a known
// code (never a TypeError, never a WebAssembly trap), and the module keeps
// working afterwards.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CODES, freshProject, fixture, header, joseToken, passengerKeyFor, randomKey, throwsCode } from "./support.mjs";

let project;
let sm;
let good;
let blank;
let sealed;
const NOW = 1_800_000_000;
const BAG = { bagTag: "0117123456", flight: "SK1415", now: NOW };
const AT_GATE = { bagTag: "0117123456", now: NOW + 60 };

before(async () => {
  project = freshProject();
  sm = await import(project.url);
  await sm.default();
  const { width, height, pixels } = await fixture("101_1");
  good = sm.Capture.fromGray(width, height, pixels, 500);
  blank = sm.Capture.fromGray(300, 300, new Uint8Array(300 * 300).fill(255), 500);
  sealed = sm.enroll([good], BAG);
});

after(() => {
  good?.free();
  blank?.free();
  project?.cleanup();
});

const seen = new Set();
function expectCode(fn, code, what) {
  throwsCode(assert, fn, code, what);
  seen.add(code);
}

test("INVALID_IMAGE: sizes, dpi and buffer lengths out of bounds", () => {
  const px = (n) => new Uint8Array(n);
  expectCode(() => sm.Capture.fromGray(10, 10, px(100), 500), "INVALID_IMAGE", "too small");
  expectCode(() => sm.Capture.fromGray(5000, 300, px(5000 * 300), 500), "INVALID_IMAGE", "too wide");
  expectCode(() => sm.Capture.fromGray(300, 300, px(90000), 100), "INVALID_IMAGE", "dpi too low");
  expectCode(() => sm.Capture.fromGray(300, 300, px(90000), 5000), "INVALID_IMAGE", "dpi too high");
  expectCode(() => sm.Capture.fromGray(300, 300, px(89999), 500), "INVALID_IMAGE", "short buffer");
  expectCode(() => sm.Capture.fromGray(-300, 300, px(90000), 500), "INVALID_IMAGE", "negative width");
  expectCode(() => sm.Capture.fromGray(2 ** 40, 2 ** 40, px(16), 500), "INVALID_IMAGE", "huge claimed size");
  expectCode(() => sm.Capture.fromRgba(300, 300, px(90000), 500), "INVALID_IMAGE", "grey buffer as RGBA");
  const detached = px(90000);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  expectCode(() => sm.Capture.fromGray(300, 300, detached, 500), "INVALID_IMAGE", "detached buffer");
});

test("INVALID_ARGUMENT: wrong types, NaN, fractions, missing or unknown options", () => {
  const px = new Uint8Array(90000);
  for (const bad of [NaN, Infinity, 1.5, "300", null, undefined, true, 300n, new Number(300), {}, []]) {
    expectCode(() => sm.Capture.fromGray(bad, 300, px, 500), "INVALID_ARGUMENT", `width ${String(bad)}`);
    expectCode(() => sm.Capture.fromGray(300, 300, px, bad), "INVALID_ARGUMENT", `dpi ${String(bad)}`);
  }
  for (const bad of [null, undefined, "pixels", Array.from(px), new Int8Array(90000), px.buffer, new DataView(px.buffer)]) {
    expectCode(() => sm.Capture.fromGray(300, 300, bad, 500), "INVALID_ARGUMENT", `pixels ${Object.prototype.toString.call(bad)}`);
  }
  for (const bad of [null, undefined, 7, "img", { width: 300, height: 300 }]) {
    expectCode(() => sm.Capture.fromImageData(bad, 500), "INVALID_ARGUMENT", `imageData ${JSON.stringify(bad)}`);
  }
  // enroll
  for (const bad of [undefined, null, good, "cap", [], [good, good, good, good], [{}], [null], [undefined]]) {
    expectCode(() => sm.enroll(bad, BAG), "INVALID_ARGUMENT", "enroll captures");
  }
  for (const bad of [
    undefined,
    null,
    "opts",
    [],
    {},
    { bagTag: "0117123456" },
    { flight: "SK1415" },
    { ...BAG, bagTag: "" },
    { ...BAG, bagTag: "0117-123456" },
    { ...BAG, bagTag: "x".repeat(21) },
    { ...BAG, bagTag: 117123456 },
    { ...BAG, flight: "sk1415" },
    { ...BAG, flight: "S" },
    { ...BAG, ttlSeconds: 0 },
    { ...BAG, ttlSeconds: 86401 },
    { ...BAG, ttlSeconds: -1 },
    { ...BAG, ttlSeconds: 1.5 },
    { ...BAG, ttlSeconds: "3600" },
    { ...BAG, now: NaN },
    { ...BAG, now: -1 },
    { ...BAG, now: 2 ** 60 },
    { ...BAG, passengerKey: 42 },
    { ...BAG, ttl: 60 },
  ]) {
    expectCode(() => sm.enroll([good], bad), "INVALID_ARGUMENT", `enroll options ${JSON.stringify(bad)}`);
  }
  // A throwing getter is caught.
  const trap = { ...BAG };
  Object.defineProperty(trap, "flight", { enumerable: true, get() { throw new TypeError("boom"); } });
  expectCode(() => sm.enroll([good], trap), "INVALID_ARGUMENT", "throwing getter");
  // verify
  for (const bad of [undefined, null, {}, "cap", [good]]) {
    expectCode(() => sm.verify(bad, sealed.token, sealed.passengerKey, AT_GATE), "INVALID_ARGUMENT", "verify capture");
  }
  expectCode(() => sm.verify(good, 42, sealed.passengerKey, AT_GATE), "INVALID_ARGUMENT", "token not a string");
  expectCode(() => sm.verify(good, sealed.token, null, AT_GATE), "INVALID_ARGUMENT", "key not a string");
  // A threshold outside 0.03..=1 (too lenient, or one no score can reach) is refused too.
  const thresholds = [0, -1, 0.01, 0.029, 1.5, 40].map((threshold) => ({ ...AT_GATE, threshold }));
  for (const bad of [undefined, {}, { ...AT_GATE, threshold: NaN }, { ...AT_GATE, threshold: "40" }, ...thresholds, { ...AT_GATE, flight: 1415 }, { ...AT_GATE, ttlSeconds: 5 }]) {
    expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, bad), "INVALID_ARGUMENT", `verify options ${JSON.stringify(bad)}`);
  }
  // inspectToken
  for (const bad of [undefined, null, 42, {}, ["a.b.c.d.e"]]) {
    expectCode(() => sm.inspectToken(bad), "INVALID_ARGUMENT", `inspect ${JSON.stringify(bad)}`);
  }
});

test("LOW_QUALITY: a blank capture cannot enroll or verify", () => {
  assert.ok(blank.feedback.length > 0, "a blank image has feedback");
  expectCode(() => sm.enroll([blank], BAG), "LOW_QUALITY", "enroll blank");
  expectCode(() => sm.enroll([good, blank], BAG), "LOW_QUALITY", "enroll with one blank");
  expectCode(() => sm.verify(blank, sealed.token, sealed.passengerKey, AT_GATE), "LOW_QUALITY", "verify blank");
  // Quality comes before the token in verify's order.
  expectCode(() => sm.verify(blank, "garbage", "garbage", AT_GATE), "LOW_QUALITY", "quality before token");
});

test("TOKEN_MALFORMED and TOKEN_UNSUPPORTED", async () => {
  const t = sealed.token;
  for (const bad of ["", "a.b.c.d.e", t.slice(0, -1), t + ".", t.replace(/\./g, ""), t + "=", "A".repeat(2_000_000)]) {
    expectCode(() => sm.inspectToken(bad), "TOKEN_MALFORMED", `inspect ${bad.slice(0, 12)}… (${bad.length})`);
    expectCode(() => sm.verify(good, bad, sealed.passengerKey, AT_GATE), "TOKEN_MALFORMED", `verify malformed (${bad.length})`);
  }
  const v99 = await joseToken(randomKey(), header({ v: 99 }));
  expectCode(() => sm.inspectToken(v99), "TOKEN_UNSUPPORTED", "v 99");
  expectCode(() => sm.verify(good, v99, sealed.passengerKey, AT_GATE), "TOKEN_UNSUPPORTED", "verify v 99");
});

test("KEY_MALFORMED: prefix, length, alphabet, checksum", () => {
  const k = sealed.passengerKey;
  const flipped = k.slice(0, -1) + (k.endsWith("A") ? "B" : "A");
  for (const bad of ["", "smk1_", "smk2_" + k.slice(5), k.slice(0, -1), k + "A", k.slice(0, -1) + "!", flipped, "k".repeat(100_000)]) {
    expectCode(() => sm.verify(good, sealed.token, bad, AT_GATE), "KEY_MALFORMED", `verify key ${bad.slice(0, 12)}`);
    expectCode(() => sm.enroll([good], { ...BAG, passengerKey: bad }), "KEY_MALFORMED", `enroll key ${bad.slice(0, 12)}`);
  }
});

test("WRONG_BAG, TOKEN_EXPIRED, TOKEN_REJECTED", () => {
  expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, { ...AT_GATE, bagTag: "0117999999" }), "WRONG_BAG", "other bag");
  expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, { ...AT_GATE, flight: "SK9999" }), "WRONG_BAG", "other flight");
  expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, { ...AT_GATE, now: NOW + 3600 }), "TOKEN_EXPIRED", "at exp");
  expectCode(() => sm.verify(good, sealed.token, passengerKeyFor(randomKey()), AT_GATE), "TOKEN_REJECTED", "another key");
  const parts = sealed.token.split(".");
  const c = parts[3];
  const i = Math.floor(c.length / 2);
  parts[3] = c.slice(0, i) + (c[i] === "A" ? "B" : "A") + c.slice(i + 1);
  expectCode(() => sm.verify(good, parts.join("."), sealed.passengerKey, AT_GATE), "TOKEN_REJECTED", "altered ciphertext");
});

test("every error code was reached from JavaScript", () => {
  assert.deepEqual([...seen].sort(), [...CODES].sort());
});

test("after all that the module still works", () => {
  assert.equal(sm.inspectToken(sealed.token).bagTag, "0117123456");
  assert.equal(sm.verify(good, sealed.token, sealed.passengerKey, AT_GATE).match, true);
});
