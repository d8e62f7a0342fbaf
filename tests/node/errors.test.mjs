// Every error code, reached from JavaScript through the packed package, and
// hostile arguments for every export: each failure is an Error with a known
// code (never a TypeError, never a WebAssembly trap), and the module keeps
// working afterwards. The checks live in package-checks.mjs; the browser
// engines run the same ones (engines-package.test.mjs).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { errorChecks } from "./package-checks.mjs";
import { freshProject, fixture, header, joseToken, passengerKeyFor, randomKey } from "./support.mjs";

const project = freshProject();
const sm = await import(project.url);
await sm.default();
const suite = errorChecks({
  sm,
  assert,
  gray: await fixture("101_1"),
  v99: await joseToken(randomKey(), header({ v: 99 })),
  otherKey: passengerKeyFor(randomKey()),
});

after(() => {
  suite.release();
  project.cleanup();
});

for (const [name, run] of Object.entries(suite.checks)) test(name, run);
