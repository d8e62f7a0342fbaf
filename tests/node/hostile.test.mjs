// Hostile arguments for every export, one position at a time (the others
// valid): each call either succeeds or throws an Error with a known code —
// never a TypeError, never a WebAssembly trap — and the module keeps working.
// The face exports too, with the face models loaded and a drawn face.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CODES as BASE_CODES, FACE_CODES, freshProject, fixture } from "./support.mjs";
import { drawFaceRgba } from "../face_draw.mjs";

const CODES = [...BASE_CODES, ...FACE_CODES];

let project;
let sm;
let good;
let sealed;
let gray;
let face;
let faceSealed;
const FACE_PIXELS = drawFaceRgba(160, 120, [{ cx: 80, cy: 60, s: 70 }], 8);
const NOW = 1_800_000_000;

before(async () => {
  project = freshProject("sealmatch-hostile");
  sm = await import(project.url);
  await sm.default();
  gray = await fixture("101_1");
  good = sm.Capture.fromGray(gray.width, gray.height, gray.pixels, 500);
  sealed = sm.enroll([good], { bagTag: "0117123456", flight: "SK1415", now: NOW });
  await sm.initFace();
  face = sm.FaceCapture.fromRgba(160, 120, FACE_PIXELS);
  assert.ok(face.quality > 0, "the drawn face is usable");
  faceSealed = sm.enroll([face], { bagTag: "0117123456", flight: "SK1415", now: NOW });
});

after(() => {
  good?.free();
  face?.free();
  project?.cleanup();
});

function hostileValues() {
  const detached = new Uint8Array(16);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const revokedArray = Proxy.revocable([], {});
  revokedArray.revoke();
  const thrower = new Proxy({}, {
    get() { throw new RangeError("get"); },
    ownKeys() { throw new RangeError("ownKeys"); },
    getPrototypeOf() { throw new RangeError("proto"); },
    has() { throw new RangeError("has"); },
  });
  const throwingArray = new Proxy([good], { get() { throw new RangeError("get"); } });
  const getterTrap = Object.defineProperty({}, "bagTag", { enumerable: true, get() { throw new Error("getter"); } });
  const lyingLength = Object.defineProperty(new Uint8Array(4), "length", { value: 90000 });
  const evil = { valueOf() { throw new Error("valueOf"); }, toString() { throw new Error("toString"); } };
  return {
    undefined: undefined,
    null: null,
    NaN: NaN,
    "-0": -0,
    "-1": -1,
    "1.5": 1.5,
    "2^53": 2 ** 53,
    "-Infinity": -Infinity,
    "1e308": 1e308,
    "empty string": "",
    "1M string": "x".repeat(1_000_000),
    "lone surrogate": "\ud800abc",
    "empty array": [],
    "array of junk": [1, "a", null],
    "empty object": {},
    symbol: Symbol("s"),
    bigint: 10n,
    function: () => 1,
    "Number object": new Number(5),
    "String object": new String("0117123456"),
    "detached array": detached,
    "empty bytes": new Uint8Array(0),
    "revoked proxy": revoked.proxy,
    "revoked array proxy": revokedArray.proxy,
    "throwing proxy": thrower,
    "throwing array proxy": throwingArray,
    "throwing getter": getterTrap,
    "lying length": lyingLength,
    "valueOf thrower": evil,
    "frozen capture-like": Object.freeze({ quality: 90, feedback: [], minutiaeCount: 30 }),
    "Capture prototype": sm.Capture.prototype,
    "FaceCapture prototype": sm.FaceCapture.prototype,
    "face-capture-like": { face: 1 },
  };
}

function calls() {
  const opts = { bagTag: "0117123456", flight: "SK1415", now: NOW };
  const vopts = { bagTag: "0117123456", now: NOW + 1 };
  return {
    "Capture.fromGray": [(a) => sm.Capture.fromGray(...a), [gray.width, gray.height, gray.pixels, 500]],
    "Capture.fromRgba": [(a) => sm.Capture.fromRgba(...a), [gray.width, gray.height, new Uint8Array(gray.width * gray.height * 4), 500]],
    "Capture.fromImageData": [(a) => sm.Capture.fromImageData(...a), [{ width: 300, height: 300, data: new Uint8ClampedArray(360000) }, 500]],
    enroll: [(a) => sm.enroll(...a), [[good], opts]],
    verify: [(a) => sm.verify(...a), [good, sealed.token, sealed.passengerKey, vopts]],
    inspectToken: [(a) => sm.inspectToken(...a), [sealed.token]],
    "quality getter": [(a) => Object.getOwnPropertyDescriptor(sm.Capture.prototype, "quality").get.call(a[0]), [good]],
    "feedback getter": [(a) => Object.getOwnPropertyDescriptor(sm.Capture.prototype, "feedback").get.call(a[0]), [good]],
    "minutiaeCount getter": [(a) => Object.getOwnPropertyDescriptor(sm.Capture.prototype, "minutiaeCount").get.call(a[0]), [good]],
    renderFeatures: [(a) => sm.Capture.prototype.renderFeatures.call(a[0]), [good]],
    free: [(a) => sm.Capture.prototype.free.call(a[0]), [{}]],
    "FaceCapture.fromRgba": [(a) => sm.FaceCapture.fromRgba(...a), [160, 120, FACE_PIXELS]],
    "FaceCapture.fromImageData": [(a) => sm.FaceCapture.fromImageData(...a), [{ width: 160, height: 120, data: FACE_PIXELS }]],
    "enroll (face)": [(a) => sm.enroll(...a), [[face], opts]],
    "verify (face)": [(a) => sm.verify(...a), [face, faceSealed.token, faceSealed.passengerKey, vopts]],
    "face quality getter": [(a) => Object.getOwnPropertyDescriptor(sm.FaceCapture.prototype, "quality").get.call(a[0]), [face]],
    "face feedback getter": [(a) => Object.getOwnPropertyDescriptor(sm.FaceCapture.prototype, "feedback").get.call(a[0]), [face]],
    "face box getter": [(a) => Object.getOwnPropertyDescriptor(sm.FaceCapture.prototype, "box").get.call(a[0]), [face]],
    "face free": [(a) => sm.FaceCapture.prototype.free.call(a[0]), [{}]],
  };
}

test("every export, every argument position, every hostile value", () => {
  const values = hostileValues();
  let n = 0;
  for (const [name, [fn, valid]] of Object.entries(calls())) {
    for (let pos = 0; pos < valid.length; pos++) {
      for (const [label, bad] of Object.entries(values)) {
        const args = valid.slice();
        args[pos] = bad;
        n++;
        try {
          const out = fn(args);
          // A created capture is released at once.
          if (out instanceof sm.Capture || out instanceof sm.FaceCapture) out.free();
        } catch (e) {
          const what = `${name} arg ${pos} = ${label}`;
          assert.ok(!(e instanceof WebAssembly.RuntimeError), `${what}: a WebAssembly trap: ${e.message}`);
          assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
          assert.ok(CODES.includes(e.code), `${what}: ${e.name} without a known code: ${e.message}`);
          // Every refusal comes from the Rust checks, with their message, not
          // from the JS layer's last-resort conversion.
          assert.ok(!e.message.includes("argument could not be read"), `${what}: ${e.message} (${e.cause})`);
        }
      }
    }
  }
  assert.ok(n > 300, `${n} calls`);
});

test("the module still works after the hostile calls", () => {
  assert.equal(sm.inspectToken(sealed.token).bagTag, "0117123456");
  const c = sm.Capture.fromGray(gray.width, gray.height, gray.pixels, 500);
  const again = sm.enroll([c], { bagTag: "0117123456", flight: "SK1415", now: NOW });
  assert.equal(sm.verify(c, again.token, again.passengerKey, { bagTag: "0117123456", now: NOW }).match, true);
  assert.equal(sm.verify(good, sealed.token, sealed.passengerKey, { bagTag: "0117123456", now: NOW }).match, true);
  c.free();
  const f = sm.FaceCapture.fromRgba(160, 120, FACE_PIXELS);
  assert.equal(sm.verify(f, faceSealed.token, faceSealed.passengerKey, { bagTag: "0117123456", now: NOW }).match, true);
  f.free();
});
