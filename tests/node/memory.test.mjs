// WebAssembly linear memory stays bounded: after a warm-up, hundreds of
// capture → enroll → verify → free cycles (and refused calls) do not grow it,
// and no capture stays registered.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freshProject, fixture } from "./support.mjs";

let project;
let sm;
let core;
let memory;

before(async () => {
  project = freshProject("sealmatch-memory");
  sm = await import(project.url);
  await sm.default();
  const dir = join(project.dir, "node_modules", "sealmatch");
  // The raw module (internal): initSync on an initialised module returns its
  // exports, memory included, without instantiating again.
  core = await import(pathToFileURL(join(dir, "sealmatch_core.js")).href);
  memory = core.initSync({ module: readFileSync(join(dir, "sealmatch_core_bg.wasm")) }).memory;
});

after(() => project?.cleanup());

test("memory does not grow over repeated enroll/verify cycles", async () => {
  const a = await fixture("101_1");
  const b = await fixture("101_2");
  const cycle = (i) => {
    const c1 = sm.Capture.fromGray(a.width, a.height, a.pixels, 500);
    const c2 = sm.Capture.fromGray(b.width, b.height, b.pixels, 500);
    const { token, passengerKey } = sm.enroll([c1], { bagTag: "0117123456", flight: "SK1415", now: 1_800_000_000 + i });
    sm.verify(c2, token, passengerKey, { bagTag: "0117123456", now: 1_800_000_001 + i });
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
  for (let i = 0; i < 20; i++) cycle(i);
  const warm = memory.buffer.byteLength;
  for (let i = 0; i < 200; i++) cycle(i);
  const after = memory.buffer.byteLength;
  assert.equal(after, warm, `linear memory grew from ${warm} to ${after} bytes`);
  assert.ok(after < 32 * 1024 * 1024, `linear memory ${after} bytes`);
  assert.equal(core.liveCaptures(), 0);
});
