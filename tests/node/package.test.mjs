// The packed tarball, installed into an empty npm project, in Node 20:
// `import init, { ... } from "sealmatch"; await init();` loads the module from
// disk (the "node" export condition), and inspectToken reads tokens made by
// an independent JOSE implementation (jose).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freshProject, header, joseToken, randomKey, throwsCode } from "./support.mjs";

let project;
let sm;

before(async () => {
  project = freshProject();
  sm = await import(project.url);
});

after(() => project?.cleanup());

test("the tarball installs with its manifest, types and wasm", () => {
  const dir = join(project.dir, "node_modules", "sealmatch");
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  assert.equal(manifest.name, "sealmatch");
  assert.equal(manifest.type, "module");
  assert.equal(manifest.exports["."].node, "./sealmatch.node.js");
  assert.equal(manifest.exports["."].types, "./sealmatch.d.ts");
  for (const f of ["sealmatch.js", "sealmatch.node.js", "sealmatch.d.ts", "api.js", "engine-caps.js", "sealmatch_core.js", "sealmatch_core_bg.wasm", "sealmatch_core_nosimd_bg.wasm"]) {
    assert.ok(existsSync(join(dir, f)), `${f} is in the package`);
  }
  const dts = readFileSync(join(dir, "sealmatch.d.ts"), "utf8");
  for (const name of ["export default function init", "export class Capture", "export function enroll", "export function verify", "export function inspectToken"]) {
    assert.ok(dts.includes(name), `types declare ${name}`);
  }
});

test("calls before init throw INVALID_ARGUMENT, not a TypeError", () => {
  throwsCode(assert, () => sm.inspectToken("a.b.c.d.e"), "INVALID_ARGUMENT", "before init");
});

test("init loads the module from disk and is idempotent", async () => {
  assert.equal(typeof sm.default, "function");
  const p1 = sm.default();
  const p2 = sm.default();
  assert.equal(p1, p2);
  await p1;
});

test("inspectToken reads a token made by jose", async () => {
  await sm.default();
  const hdr = header({ bag: "0117123456", flt: "SK1415", iat: 1_800_000_000, exp: 1_800_003_600 });
  const token = await joseToken(randomKey(), hdr);
  assert.deepEqual(sm.inspectToken(token), {
    version: 1,
    bagTag: "0117123456",
    flight: "SK1415",
    issuedAt: 1_800_000_000,
    expiresAt: 1_800_003_600,
  });
});

test("a truncated token is TOKEN_MALFORMED", async () => {
  await sm.default();
  const token = await joseToken(randomKey());
  for (const cut of [token.slice(0, token.length - 1), token.slice(0, token.lastIndexOf(".")), token.slice(0, 10), ""]) {
    throwsCode(assert, () => sm.inspectToken(cut), "TOKEN_MALFORMED", `cut to ${cut.length}`);
  }
});

test('"v":99 is TOKEN_UNSUPPORTED', async () => {
  await sm.default();
  const token = await joseToken(randomKey(), header({ v: 99 }));
  throwsCode(assert, () => sm.inspectToken(token), "TOKEN_UNSUPPORTED", "v 99");
});

test("another alg or enc is TOKEN_UNSUPPORTED", async () => {
  await sm.default();
  const token = await joseToken(randomKey().subarray(0, 16), header({ enc: "A128GCM" }));
  throwsCode(assert, () => sm.inspectToken(token), "TOKEN_UNSUPPORTED", "A128GCM");
});
