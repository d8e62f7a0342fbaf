// The whole job through the packed package in Node: captures from synthetic
// fingers, enroll, inspect, verify; captures are borrowed, freed captures are
// refused, and sealmatch's tokens interoperate with jose in both directions.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { compactDecrypt, CompactEncrypt } from "jose";
import { freshProject, fixture, greyToRgba, header, keyBytesOf, passengerKeyFor, randomKey, throwsCode } from "./support.mjs";

let project;
let sm;
const caps = {};
const NOW = 1_800_000_000;
const BAG = { bagTag: "0117123456", flight: "SK1415", ttlSeconds: 3600, now: NOW };

before(async () => {
  project = freshProject();
  sm = await import(project.url);
  await sm.default();
  for (const stem of ["101_1", "101_2", "101_3", "102_1", "103_1"]) {
    const { width, height, pixels } = await fixture(stem);
    caps[stem] = sm.Capture.fromGray(width, height, pixels, 500);
  }
});

after(() => {
  for (const c of Object.values(caps)) c.free();
  project?.cleanup();
});

test("captures report quality, feedback and features", () => {
  for (const [stem, c] of Object.entries(caps)) {
    assert.ok(Number.isInteger(c.quality) && c.quality >= 0 && c.quality <= 100, `${stem} quality ${c.quality}`);
    assert.ok(Array.isArray(c.feedback) && c.feedback.every((f) => typeof f === "string"), `${stem} feedback`);
    assert.ok(Number.isInteger(c.minutiaeCount) && c.minutiaeCount > 0, `${stem} minutiae ${c.minutiaeCount}`);
  }
  // feedback is a fresh array each time: changing it changes nothing.
  const f = caps["101_1"].feedback;
  f.push("tampered");
  assert.ok(!caps["101_1"].feedback.includes("tampered"));
});

test("renderFeatures gives an RGBA image of the capture, pixels only", () => {
  const r = caps["101_1"].renderFeatures();
  assert.deepEqual(Object.keys(r).sort(), ["data", "height", "width"]);
  assert.ok(r.data instanceof Uint8ClampedArray);
  assert.equal(r.data.length, r.width * r.height * 4);
  // Marks are coloured; the fingerprint itself is grey.
  let coloured = 0;
  for (let i = 0; i < r.data.length; i += 4) if (r.data[i] !== r.data[i + 1] || r.data[i + 1] !== r.data[i + 2]) coloured++;
  assert.ok(coloured > 0, "features are drawn");
});

test("fromRgba and fromImageData give the same capture as fromGray", async () => {
  const { width, height, pixels } = await fixture("101_1");
  const rgba = greyToRgba(pixels);
  const a = sm.Capture.fromRgba(width, height, rgba, 500);
  const b = sm.Capture.fromImageData({ width, height, data: rgba }, 500);
  const g = caps["101_1"];
  for (const c of [a, b]) {
    assert.equal(c.quality, g.quality);
    assert.equal(c.minutiaeCount, g.minutiaeCount);
    assert.deepEqual(c.feedback, g.feedback);
    c.free();
  }
});

test("enroll, inspect, verify: plain objects, borrowed captures", () => {
  const enrolled = sm.enroll([caps["101_1"], caps["101_2"]], BAG);
  assert.deepEqual(Object.keys(enrolled).sort(), ["passengerKey", "token"]);
  assert.match(enrolled.passengerKey, /^smk1_[A-Za-z0-9_-]{48}$/);
  assert.equal(enrolled.token.split(".").length, 5);
  assert.deepEqual(sm.inspectToken(enrolled.token), {
    version: 1,
    bagTag: "0117123456",
    flight: "SK1415",
    issuedAt: NOW,
    expiresAt: NOW + 3600,
  });
  // The captures were borrowed, not consumed.
  assert.ok(caps["101_1"].quality >= 0 && caps["101_2"].minutiaeCount > 0);

  const same = sm.verify(caps["101_1"], enrolled.token, enrolled.passengerKey, { bagTag: "0117123456", now: NOW + 60 });
  assert.deepEqual(Object.keys(same).sort(), ["match", "score", "threshold"]);
  assert.equal(same.match, true);
  assert.ok(same.score >= same.threshold);
  assert.equal(same.match, same.score >= same.threshold);

  const stranger = sm.verify(caps["102_1"], enrolled.token, enrolled.passengerKey, { bagTag: "0117123456", flight: "SK1415", now: NOW + 60 });
  assert.equal(stranger.match, false, `stranger score ${stranger.score} vs ${stranger.threshold}`);
  assert.ok(stranger.score < same.score);

  // An operator's own threshold (0.03 to 1) is applied as given.
  const strict = sm.verify(caps["101_1"], enrolled.token, enrolled.passengerKey, { bagTag: "0117123456", now: NOW + 60, threshold: 1 });
  assert.equal(strict.threshold, 1);
  assert.equal(strict.match, same.score >= 1);
  const other = sm.verify(caps["102_1"], enrolled.token, enrolled.passengerKey, { bagTag: "0117123456", now: NOW + 60, threshold: 0.03 });
  assert.equal(other.threshold, 0.03);
  assert.equal(other.match, other.score >= 0.03);
  // And the captures are still usable after verify.
  assert.ok(caps["102_1"].minutiaeCount > 0);
});

test("a passenger key can be reused for a second bag", () => {
  const first = sm.enroll([caps["101_1"]], BAG);
  const second = sm.enroll([caps["101_1"]], { ...BAG, bagTag: "0117123457", passengerKey: first.passengerKey });
  assert.equal(second.passengerKey, first.passengerKey);
  assert.notEqual(second.token, first.token);
  const r = sm.verify(caps["101_1"], second.token, first.passengerKey, { bagTag: "0117123457", now: NOW });
  assert.equal(r.match, true);
});

test("null optional options take their defaults (options often come from JSON)", () => {
  const e = sm.enroll([caps["101_1"]], { bagTag: "0117123456", flight: "SK1415", ttlSeconds: null, passengerKey: null, now: NOW });
  assert.equal(sm.inspectToken(e.token).expiresAt, NOW + 3600);
  const r = sm.verify(caps["101_1"], e.token, e.passengerKey, { bagTag: "0117123456", flight: null, threshold: null, now: NOW });
  assert.equal(r.match, true);
  throwsCode(assert, () => sm.enroll([caps["101_1"]], { bagTag: null, flight: "SK1415" }), "INVALID_ARGUMENT", "null bagTag");
});

test("tokens have a length that does not depend on the template", () => {
  const a = sm.enroll([caps["101_1"]], BAG).token;
  const b = sm.enroll([caps["103_1"]], BAG).token;
  assert.equal(a.length, b.length);
});

test("freed captures are refused with INVALID_ARGUMENT; free is idempotent", async () => {
  const { width, height, pixels } = await fixture("101_3");
  const c = sm.Capture.fromGray(width, height, pixels, 500);
  const { token, passengerKey } = sm.enroll([c], BAG);
  c.free();
  c.free();
  throwsCode(assert, () => c.quality, "INVALID_ARGUMENT", "quality after free");
  throwsCode(assert, () => c.feedback, "INVALID_ARGUMENT", "feedback after free");
  throwsCode(assert, () => c.minutiaeCount, "INVALID_ARGUMENT", "minutiaeCount after free");
  throwsCode(assert, () => c.renderFeatures(), "INVALID_ARGUMENT", "renderFeatures after free");
  throwsCode(assert, () => sm.enroll([c], BAG), "INVALID_ARGUMENT", "enroll a freed capture");
  throwsCode(assert, () => sm.enroll([caps["101_1"], c], BAG), "INVALID_ARGUMENT", "enroll with one freed");
  throwsCode(assert, () => sm.verify(c, token, passengerKey, { bagTag: "0117123456", now: NOW }), "INVALID_ARGUMENT", "verify a freed capture");
  // Look-alikes are not captures.
  const fake = Object.create(sm.Capture.prototype);
  throwsCode(assert, () => fake.quality, "INVALID_ARGUMENT", "prototype look-alike");
  throwsCode(assert, () => sm.verify({ quality: 90 }, token, passengerKey, { bagTag: "0117123456" }), "INVALID_ARGUMENT", "plain object");
  throwsCode(assert, () => new sm.Capture(), "INVALID_ARGUMENT", "new Capture()");
});

test("sealmatch's token decrypts with jose's compactDecrypt", async () => {
  const { token, passengerKey } = sm.enroll([caps["101_1"]], BAG);
  const { plaintext, protectedHeader } = await compactDecrypt(token, keyBytesOf(passengerKey));
  assert.deepEqual(protectedHeader, {
    alg: "dir",
    enc: "A256GCM",
    typ: "sealmatch+jwe",
    v: 1,
    bag: "0117123456",
    flt: "SK1415",
    iat: NOW,
    exp: NOW + 3600,
  });
  assert.ok(plaintext.length > 0);
  // The wrong key fails in jose too.
  await assert.rejects(compactDecrypt(token, randomKey()));
});

test("a token sealed by jose opens in sealmatch's verify and matches", async () => {
  // A real template content, taken out with jose, sealed again by jose under
  // a new key and header: sealmatch must open it (structure, key, bag, expiry,
  // decryption, content) and match the same finger.
  const original = sm.enroll([caps["101_1"]], BAG);
  const { plaintext } = await compactDecrypt(original.token, keyBytesOf(original.passengerKey));
  const key = randomKey();
  const hdr = header({ bag: "0117000042", flt: "SK0001", iat: NOW, exp: NOW + 600 });
  const joseMade = await new CompactEncrypt(plaintext).setProtectedHeader(hdr).encrypt(key);
  const r = sm.verify(caps["101_1"], joseMade, passengerKeyFor(key), { bagTag: "0117000042", flight: "SK0001", now: NOW + 1 });
  assert.equal(r.match, true);
  // jose-made with arbitrary content: passes structure, key and decryption
  // (so not TOKEN_REJECTED), and is refused only for its content.
  const junk = await new CompactEncrypt(new Uint8Array(64)).setProtectedHeader(hdr).encrypt(key);
  let err;
  try {
    sm.verify(caps["101_1"], junk, passengerKeyFor(key), { bagTag: "0117000042", now: NOW + 1 });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, "junk content is refused");
  assert.ok(["TOKEN_MALFORMED", "TOKEN_UNSUPPORTED"].includes(err.code), `junk content: ${err.code}`);
  // Under another key it is TOKEN_REJECTED.
  throwsCode(assert, () => sm.verify(caps["101_1"], joseMade, passengerKeyFor(randomKey()), { bagTag: "0117000042", now: NOW + 1 }), "TOKEN_REJECTED", "other key");
});
