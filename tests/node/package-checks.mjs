// The package's error, hostile-argument and memory checks as plain functions
// of the package's exports, so that the same bodies run in Node
// (errors.test.mjs, hostile.test.mjs, memory.test.mjs) and in every browser
// engine (engines-package.test.mjs, which loads this file into a page). No
// imports: a page loads it as it is.
//
// ```js
// const checks = errorChecks({ sm, assert, gray, v99, otherKey });
// for (const [name, run] of Object.entries(checks)) await run();
// ```

export const CODES = [
  "INVALID_IMAGE",
  "INVALID_ARGUMENT",
  "LOW_QUALITY",
  "TOKEN_MALFORMED",
  "TOKEN_UNSUPPORTED",
  "TOKEN_EXPIRED",
  "WRONG_BAG",
  "TOKEN_REJECTED",
  "KEY_MALFORMED",
];

/** The codes only the face functions raise, beside `CODES`. */
export const FACE_CODES = ["NOT_READY", "MODALITY_MISMATCH"];

/** Asserts that `fn` throws an Error whose code is `code`; returns the error. */
export function throwsCode(assert, fn, code, what = "") {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `${what}: expected ${code}, nothing was thrown`);
  assert.ok(err instanceof Error, `${what}: expected an Error, got ${err}`);
  assert.ok(!(err instanceof TypeError), `${what}: a bare TypeError: ${err.message}`);
  assert.equal(err.code, code, `${what}: ${err.message}`);
  return err;
}

/**
 * The few assertions the checks use (ok, equal, deepEqual on JSON values),
 * for a page, where node:assert is not.
 *
 * ```js
 * pageAssert.equal(1 + 1, 2);
 * ```
 */
export const pageAssert = {
  ok(value, message = "not truthy") {
    if (!value) throw new Error(String(message));
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) throw new Error(`${message ?? "not equal"}: ${String(actual)} !== ${String(expected)}`);
  },
  deepEqual(actual, expected, message) {
    const [a, b] = [JSON.stringify(actual), JSON.stringify(expected)];
    if (a !== b) throw new Error(`${message ?? "not deep-equal"}: ${a} !== ${b}`);
  },
};

/**
 * Runs `checks` (`{ name: async () => {} }`) in order; returns
 * `[{ name, error }]`, error null when the check passed (for a page).
 */
export async function runChecks(checks) {
  const out = [];
  for (const [name, run] of Object.entries(checks)) {
    try {
      await run();
      out.push({ name, error: null });
    } catch (e) {
      out.push({ name, error: String(e && e.stack ? `${e.message}\n${e.stack}` : e) });
    }
  }
  return out;
}

const NOW = 1_800_000_000;
const BAG = { bagTag: "0117123456", flight: "SK1415", now: NOW };
const AT_GATE = { bagTag: "0117123456", now: NOW + 60 };

/**
 * Every error code reached through the package, and wrong types, NaN, huge
 * sizes and malformed tokens and keys: `{ name: () => void }`, in order (the
 * last two need the others first). `gray` is the finger 101_1
 * (`{ width, height, pixels }`), `v99` a token with "v":99, `otherKey` a
 * passenger key of another random key. Returns `{ checks, release }`;
 * `release()` frees the captures the checks share.
 */
export function errorChecks({ sm, assert, gray, v99, otherKey }) {
  const good = sm.Capture.fromGray(gray.width, gray.height, gray.pixels, 500);
  const blank = sm.Capture.fromGray(300, 300, new Uint8Array(300 * 300).fill(255), 500);
  const sealed = sm.enroll([good], BAG);
  const seen = new Set();
  const expectCode = (fn, code, what) => {
    throwsCode(assert, fn, code, what);
    seen.add(code);
  };
  const checks = {
    "INVALID_IMAGE: sizes, dpi and buffer lengths out of bounds": () => {
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
    },
    "INVALID_ARGUMENT: wrong types, NaN, fractions, missing or unknown options": () => {
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
    },
    "LOW_QUALITY: a blank capture cannot enroll or verify": () => {
      assert.ok(blank.feedback.length > 0, "a blank image has feedback");
      expectCode(() => sm.enroll([blank], BAG), "LOW_QUALITY", "enroll blank");
      expectCode(() => sm.enroll([good, blank], BAG), "LOW_QUALITY", "enroll with one blank");
      expectCode(() => sm.verify(blank, sealed.token, sealed.passengerKey, AT_GATE), "LOW_QUALITY", "verify blank");
      // Quality comes before the token in verify's order.
      expectCode(() => sm.verify(blank, "garbage", "garbage", AT_GATE), "LOW_QUALITY", "quality before token");
    },
    "TOKEN_MALFORMED and TOKEN_UNSUPPORTED": () => {
      const t = sealed.token;
      for (const bad of ["", "a.b.c.d.e", t.slice(0, -1), t + ".", t.replace(/\./g, ""), t + "=", "A".repeat(2_000_000)]) {
        expectCode(() => sm.inspectToken(bad), "TOKEN_MALFORMED", `inspect ${bad.slice(0, 12)}… (${bad.length})`);
        expectCode(() => sm.verify(good, bad, sealed.passengerKey, AT_GATE), "TOKEN_MALFORMED", `verify malformed (${bad.length})`);
      }
      expectCode(() => sm.inspectToken(v99), "TOKEN_UNSUPPORTED", "v 99");
      expectCode(() => sm.verify(good, v99, sealed.passengerKey, AT_GATE), "TOKEN_UNSUPPORTED", "verify v 99");
    },
    "KEY_MALFORMED: prefix, length, alphabet, checksum": () => {
      const k = sealed.passengerKey;
      const flipped = k.slice(0, -1) + (k.endsWith("A") ? "B" : "A");
      for (const bad of ["", "smk1_", "smk2_" + k.slice(5), k.slice(0, -1), k + "A", k.slice(0, -1) + "!", flipped, "k".repeat(100_000)]) {
        expectCode(() => sm.verify(good, sealed.token, bad, AT_GATE), "KEY_MALFORMED", `verify key ${bad.slice(0, 12)}`);
        expectCode(() => sm.enroll([good], { ...BAG, passengerKey: bad }), "KEY_MALFORMED", `enroll key ${bad.slice(0, 12)}`);
      }
    },
    "WRONG_BAG, TOKEN_EXPIRED, TOKEN_REJECTED": () => {
      expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, { ...AT_GATE, bagTag: "0117999999" }), "WRONG_BAG", "other bag");
      expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, { ...AT_GATE, flight: "SK9999" }), "WRONG_BAG", "other flight");
      expectCode(() => sm.verify(good, sealed.token, sealed.passengerKey, { ...AT_GATE, now: NOW + 3600 }), "TOKEN_EXPIRED", "at exp");
      expectCode(() => sm.verify(good, sealed.token, otherKey, AT_GATE), "TOKEN_REJECTED", "another key");
      const parts = sealed.token.split(".");
      const c = parts[3];
      const i = Math.floor(c.length / 2);
      parts[3] = c.slice(0, i) + (c[i] === "A" ? "B" : "A") + c.slice(i + 1);
      expectCode(() => sm.verify(good, parts.join("."), sealed.passengerKey, AT_GATE), "TOKEN_REJECTED", "altered ciphertext");
    },
    "every error code was reached from JavaScript": () => {
      assert.deepEqual([...seen].sort(), [...CODES].sort());
    },
    "after all that the module still works": () => {
      assert.equal(sm.inspectToken(sealed.token).bagTag, "0117123456");
      assert.equal(sm.verify(good, sealed.token, sealed.passengerKey, AT_GATE).match, true);
    },
  };
  return {
    checks,
    release: () => {
      good.free();
      blank.free();
    },
  };
}

/**
 * Hostile arguments for every export, one position at a time (the others
 * valid): each call succeeds or throws an Error with a known code, never a
 * TypeError or a WebAssembly trap, and the module keeps working. The face
 * exports too: `initFace()` must have resolved. `gray` is the finger 101_1,
 * `facePixels` a drawn 160×120 face (RGBA). Returns `{ checks, release }`.
 */
export function hostileChecks({ sm, assert, gray, facePixels }) {
  const ALL_CODES = [...CODES, ...FACE_CODES];
  const FACE_PIXELS = facePixels;
  const good = sm.Capture.fromGray(gray.width, gray.height, gray.pixels, 500);
  const sealed = sm.enroll([good], { bagTag: "0117123456", flight: "SK1415", now: NOW });
  const face = sm.FaceCapture.fromRgba(160, 120, FACE_PIXELS);
  assert.ok(face.quality > 0, "the drawn face is usable");
  const faceSealed = sm.enroll([face], { bagTag: "0117123456", flight: "SK1415", now: NOW });

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

  const checks = {
    "every export, every argument position, every hostile value": () => {
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
              assert.ok(ALL_CODES.includes(e.code), `${what}: ${e.name} without a known code: ${e.message}`);
              // Every refusal comes from the Rust checks, with their message, not
              // from the JS layer's last-resort conversion.
              assert.ok(!e.message.includes("argument could not be read"), `${what}: ${e.message} (${e.cause})`);
            }
          }
        }
      }
      assert.ok(n > 300, `${n} calls`);
    },
    "the module still works after the hostile calls": () => {
      assert.equal(sm.inspectToken(sealed.token).bagTag, "0117123456");
      const c = sm.Capture.fromGray(gray.width, gray.height, gray.pixels, 500);
      const again = sm.enroll([c], { bagTag: "0117123456", flight: "SK1415", now: NOW });
      assert.equal(sm.verify(c, again.token, again.passengerKey, { bagTag: "0117123456", now: NOW }).match, true);
      assert.equal(sm.verify(good, sealed.token, sealed.passengerKey, { bagTag: "0117123456", now: NOW }).match, true);
      c.free();
      const f = sm.FaceCapture.fromRgba(160, 120, FACE_PIXELS);
      assert.equal(sm.verify(f, faceSealed.token, faceSealed.passengerKey, { bagTag: "0117123456", now: NOW }).match, true);
      f.free();
    },
  };
  return {
    checks,
    release: () => {
      good.free();
      face.free();
    },
  };
}

/**
 * WebAssembly linear memory stays bounded: after a warm-up, hundreds of
 * capture → enroll → verify → free cycles (and refused calls) do not grow
 * it, and no capture stays registered. `memory` is the module's
 * WebAssembly.Memory, `liveCaptures` its internal counter; `a` and `b` the
 * fingers 101_1 and 101_2. Returns `{ checks, release }`.
 */
export function memoryChecks({ sm, assert, a, b, memory, liveCaptures, cycles = 200 }) {
  const cycle = (i) => {
    const c1 = sm.Capture.fromGray(a.width, a.height, a.pixels, 500);
    const c2 = sm.Capture.fromGray(b.width, b.height, b.pixels, 500);
    const { token, passengerKey } = sm.enroll([c1], { bagTag: "0117123456", flight: "SK1415", now: NOW + i });
    sm.verify(c2, token, passengerKey, { bagTag: "0117123456", now: NOW + 1 + i });
    sm.inspectToken(token);
    try {
      sm.verify(c2, token.slice(0, -4), passengerKey, { bagTag: "0117123456" });
    } catch {}
    try {
      sm.Capture.fromGray(a.width, a.height, a.pixels.subarray(1), 500);
    } catch {}
    c1.free();
    c2.free();
  };
  const checks = {
    "memory does not grow over repeated enroll/verify cycles": () => {
      for (let i = 0; i < 20; i++) cycle(i);
      const warm = memory.buffer.byteLength;
      for (let i = 0; i < cycles; i++) cycle(i);
      const after = memory.buffer.byteLength;
      assert.equal(after, warm, `linear memory grew from ${warm} to ${after} bytes`);
      assert.ok(after < 32 * 1024 * 1024, `linear memory ${after} bytes`);
      assert.equal(liveCaptures(), 0);
    },
  };
  return { checks, release: () => {} };
}
