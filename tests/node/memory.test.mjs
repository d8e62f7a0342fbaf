// WebAssembly linear memory stays bounded: after a warm-up, hundreds of
// capture → enroll → verify → free cycles (and refused calls) do not grow it,
// and no capture stays registered. The check lives in package-checks.mjs; the
// browser engines run the same one (engines-package.test.mjs).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { memoryChecks } from "./package-checks.mjs";
import { freshProject, fixture } from "./support.mjs";

const project = freshProject("sealmatch-memory");
const sm = await import(project.url);
await sm.default();
const dir = join(project.dir, "node_modules", "sealmatch");
// The raw module (internal): initSync on an initialised module returns its
// exports, memory included, without instantiating again.
const core = await import(pathToFileURL(join(dir, "sealmatch_core.js")).href);
const { memory } = core.initSync({ module: readFileSync(join(dir, "sealmatch_core_bg.wasm")) });
const suite = memoryChecks({ sm, assert, a: await fixture("101_1"), b: await fixture("101_2"), memory, liveCaptures: core.liveCaptures });

after(() => project.cleanup());

for (const [name, run] of Object.entries(suite.checks)) test(name, run);
