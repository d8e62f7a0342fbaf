// Replays the published token vectors (tests/vectors/tokens.json) through the
// packed package in Node, and checks every decryptable one with jose.
//
// `expect.inspect` is checked with inspectToken. `expect.open` (every check of
// verify that does not involve the capture) is checked with verify and a
// good synthetic fingerprint capture: an "ok" vector must not throw (or, when
// its `expect.modality` is "face", throw MODALITY_MISMATCH, which comes after
// every token check), an error vector must throw exactly its code.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compactDecrypt } from "jose";
import { ROOT, freshProject, fixture, hex, throwsCode } from "./support.mjs";

const file = JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "tokens.json"), "utf8"));
let project;
let sm;
let probe;

before(async () => {
  project = freshProject();
  sm = await import(project.url);
  await sm.default();
  const { width, height, pixels } = await fixture("101_1");
  probe = sm.Capture.fromGray(width, height, pixels, 500);
});

after(() => {
  probe?.free();
  project?.cleanup();
});

test("the vector file has the published format", () => {
  assert.equal(file.format, "sealmatch-token-vectors-1");
  assert.ok(file.vectors.length >= 10);
});

for (const v of file.vectors) {
  test(`vector ${v.name}`, async () => {
    // inspectToken
    if (v.expect.inspect.error) {
      throwsCode(assert, () => sm.inspectToken(v.token), v.expect.inspect.error, `${v.name} inspect`);
    } else {
      assert.deepEqual(sm.inspectToken(v.token), v.expect.inspect);
    }
    // verify's checks without the capture; the options go as JSON has them
    // (a null flight means "not checked").
    const options = v.verifyOptions;
    if (v.expect.open.ok && v.expect.modality === "face") {
      throwsCode(assert, () => sm.verify(probe, v.token, v.passengerKey, options), "MODALITY_MISMATCH", `${v.name} open`);
    } else if (v.expect.open.ok) {
      assert.equal(v.expect.modality, "fingerprint");
      const r = sm.verify(probe, v.token, v.passengerKey, options);
      assert.equal(typeof r.match, "boolean");
      assert.ok(Number.isFinite(r.score));
    } else {
      throwsCode(assert, () => sm.verify(probe, v.token, v.passengerKey, options), v.expect.open.error, `${v.name} open`);
    }
    // The raw key bytes open every authentic token in jose, to the published plaintext.
    if (v.plaintextHex !== undefined) {
      const { plaintext } = await compactDecrypt(v.token, hex(v.keyHex));
      assert.equal(Buffer.from(plaintext).toString("hex"), v.plaintextHex);
    }
  });
}
