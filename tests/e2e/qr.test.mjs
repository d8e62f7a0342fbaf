// The demo's QR encoder (www/js/qr.js), checked by decoding its output with
// an independent decoder (jsQR) — every version 1..40, both modes, and every mask.
import { test } from "node:test";
import assert from "node:assert/strict";
import jsQR from "jsqr";
import { encodeQr, qrToRgba, byteCapacity, alphanumericCapacity, blocksM, rsRemainder, formatBits, penalty, MAX_VERSION, ALPHANUMERIC } from "../../www/js/qr.js";

/** Decodes a QR code rendered by qrToRgba with jsQR; returns the text or null. */
function decode(qr) {
  const { width, height, rgba } = qrToRgba(qr, { scale: 4, quiet: 4 });
  const found = jsQR(rgba, width, height, { inversionAttempts: "dontInvert" });
  return found ? { text: found.data, version: found.version } : null;
}

const KEY = "smk1_" + "Ab9-_".repeat(9) + "xyz"; // 53 characters, the passenger key's shape

test("a passenger key fits version 4-M and decodes", () => {
  assert.equal(KEY.length, 53);
  const qr = encodeQr(KEY);
  assert.equal(qr.version, 4);
  assert.equal(qr.size, 33);
  const got = decode(qr);
  assert.ok(got, "jsQR found no code");
  assert.equal(got.text, KEY);
  assert.equal(got.version, 4);
});

test("every mask decodes", () => {
  for (let mask = 0; mask < 8; mask++) {
    const qr = encodeQr(KEY, { mask });
    assert.equal(qr.mask, mask);
    assert.equal(decode(qr)?.text, KEY, `mask ${mask}`);
  }
});

test("every version 1..40 decodes at its full byte capacity", () => {
  for (let v = 1; v <= MAX_VERSION; v++) {
    const n = byteCapacity(v);
    const text = Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7 + v) % 90))).join("");
    const qr = encodeQr(text);
    assert.equal(qr.version, v, `capacity ${n} should need version ${v}`);
    const got = decode(qr);
    assert.equal(got?.text, text, `version ${v}`);
    assert.equal(got?.version, v);
  }
});

test("capacities at level M match the standard's table", () => {
  assert.deepEqual(
    Array.from({ length: 10 }, (_, i) => byteCapacity(i + 1)),
    [14, 26, 42, 62, 84, 106, 122, 152, 180, 213],
  );
  assert.deepEqual([20, 40].map(byteCapacity), [666, 2331]);
  assert.deepEqual([1, 2, 3, 4, 5, 10, 40].map(alphanumericCapacity), [20, 38, 61, 90, 122, 311, 3391]);
});

test("the block structure of versions 1..10 is the standard's (Table 9, level M)", () => {
  assert.deepEqual(
    Array.from({ length: 10 }, (_, i) => blocksM(i + 1)),
    [
      { ec: 10, groups: [[1, 16]] }, { ec: 16, groups: [[1, 28]] }, { ec: 26, groups: [[1, 44]] },
      { ec: 18, groups: [[2, 32]] }, { ec: 24, groups: [[2, 43]] }, { ec: 16, groups: [[4, 27]] },
      { ec: 18, groups: [[4, 31]] }, { ec: 22, groups: [[2, 38], [2, 39]] },
      { ec: 22, groups: [[3, 36], [2, 37]] }, { ec: 26, groups: [[4, 43], [1, 44]] },
    ],
  );
  assert.deepEqual(blocksM(40), { ec: 28, groups: [[18, 47], [31, 48]] });
});

test("alphanumeric text takes alphanumeric mode and decodes, up to version 40", () => {
  for (const v of [1, 9, 10, 26, 27, 33, 40]) {
    const n = alphanumericCapacity(v);
    const text = Array.from({ length: n }, (_, i) => ALPHANUMERIC[(i * 7 + v) % 45]).join("");
    const qr = encodeQr(text);
    assert.equal(qr.version, v, `${n} characters should need version ${v}`);
    assert.equal(decode(qr)?.text, text, `version ${v}`);
  }
  // one more character than a version holds takes the next version
  assert.equal(encodeQr("A".repeat(alphanumericCapacity(12) + 1)).version, 13);
});

test("the automatic mask has the lowest penalty", () => {
  const auto = encodeQr(KEY);
  const scores = [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => {
    const qr = encodeQr(KEY, { mask });
    return penalty(qr.modules, qr.size);
  });
  assert.equal(penalty(auto.modules, auto.size), Math.min(...scores));
  assert.equal(scores.indexOf(Math.min(...scores)), auto.mask);
  assert.equal(decode(auto)?.text, KEY);
});

test("format bits for level M match the standard's table", () => {
  // ISO/IEC 18004 Table C.1, level M, masks 0..7
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7].map(formatBits),
    [0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0],
  );
});

test("Reed-Solomon remainder of a known block", () => {
  // "HELLO WORLD" 1-M example data codewords and their 10 EC codewords (thonky.com tutorial)
  const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
  assert.deepEqual(rsRemainder(data, 10), [196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
});

test("too long input is a RangeError", () => {
  assert.throws(() => encodeQr("x".repeat(2332)), RangeError);
  assert.throws(() => encodeQr("X".repeat(3392)), RangeError);
});
