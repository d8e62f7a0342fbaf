// The passenger's QR payload after web check-in (www/js/passqr.js): Base45 as
// RFC 9285 gives it, the combined token-and-key record rebuilt exactly, its
// size and QR version, and jsQR reading it back from the demo's encoder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import jsQR from "jsqr";
import { encodeQr, qrToRgba } from "../../www/js/qr.js";
import { base45Encode, base45Decode, packPass, readPass, PASS_PREFIX } from "../../www/js/passqr.js";

/** A token of the library's shape: header..iv.ciphertext.tag, content of one capture (778 bytes). */
function fakeToken(contentBytes = 778) {
  const header = { alg: "dir", enc: "A256GCM", typ: "sealmatch+jwe", v: 1, bag: "K7Q2ZX", flt: "SK1415", iat: 1796371200, exp: 1796457600 };
  const b = (/** @type {Buffer} */ x) => x.toString("base64url");
  return `${b(Buffer.from(JSON.stringify(header)))}..${b(randomBytes(12))}.${b(randomBytes(contentBytes))}.${b(randomBytes(16))}`;
}
function fakeKey() {
  return `smk1_${randomBytes(36).toString("base64url")}`;
}

test("Base45 matches RFC 9285's examples and round-trips every length", () => {
  const enc = (/** @type {string} */ s) => base45Encode(new TextEncoder().encode(s));
  assert.equal(enc("AB"), "BB8");
  assert.equal(enc("Hello!!"), "%69 VD92EX0");
  assert.equal(enc("base-45"), "UJCLQE7W581");
  assert.equal(new TextDecoder().decode(base45Decode("QED8WEX0")), "ietf!");
  for (let n = 0; n < 40; n++) {
    const bytes = randomBytes(n);
    assert.deepEqual(Buffer.from(base45Decode(base45Encode(bytes))), bytes);
  }
  assert.throws(() => base45Decode("GGW"), /Base45/); // 65535 + 1: out of range
  assert.throws(() => base45Decode("AB".toLowerCase()), /Base45/);
});

test("the combined payload rebuilds the token and key exactly", () => {
  for (const captures of [1, 2, 3]) {
    const token = fakeToken(3 + 775 * captures);
    const key = fakeKey();
    const text = packPass(token, key);
    assert.ok(text.startsWith(PASS_PREFIX));
    assert.deepEqual(readPass(text), { kind: "combined", token, passengerKey: key });
  }
});

test("a key alone, a combined payload and anything else are told apart", () => {
  const key = fakeKey();
  assert.deepEqual(readPass(key), { kind: "key", passengerKey: key });
  assert.equal(readPass("hello"), null);
  assert.equal(readPass(`${PASS_PREFIX}not base45`), null);
  assert.equal(readPass(`${PASS_PREFIX}${base45Encode(new Uint8Array(10))}`), null, "too short a record");
  assert.throws(() => packPass(fakeToken(), "smk1_short"));
  assert.throws(() => packPass("a.b.c", key));
});

test("size: a one-capture phone-only QR is version 26-M and jsQR reads it", () => {
  const token = fakeToken();
  const key = fakeKey();
  const text = packPass(token, key);
  const qr = encodeQr(text);
  const plain = encodeQr(`${key}.${token}`);
  console.log(`phone-only QR: ${text.length} characters (token ${token.length} + key ${key.length} as plain text would be ${plain.version}-M), version ${qr.version}-M, ${qr.size}x${qr.size} modules`);
  assert.ok(text.length < 1500, `${text.length} characters`);
  assert.equal(qr.version, 26);
  assert.ok(plain.version > qr.version);
  const { width, height, rgba } = qrToRgba(qr, { scale: 3, quiet: 4 });
  const found = jsQR(rgba, width, height, { inversionAttempts: "dontInvert" });
  assert.equal(found?.data, text);
  assert.deepEqual(readPass(found.data), { kind: "combined", token, passengerKey: key });
});
