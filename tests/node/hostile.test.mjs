// Hostile arguments for every export, one position at a time (the others
// valid): each call either succeeds or throws an Error with a known code —
// never a TypeError, never a WebAssembly trap — and the module keeps working.
// The face exports too, with the face models loaded and a drawn face. The
// checks live in package-checks.mjs; the browser engines run the same ones
// (engines-package.test.mjs).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { hostileChecks } from "./package-checks.mjs";
import { freshProject, fixture } from "./support.mjs";
import { drawFaceRgba } from "../face_draw.mjs";

const project = freshProject("sealmatch-hostile");
const sm = await import(project.url);
await sm.default();
await sm.initFace();
const suite = hostileChecks({ sm, assert, gray: await fixture("101_1"), facePixels: drawFaceRgba(160, 120, [{ cx: 80, cy: 60, s: 70 }], 8) });

after(() => {
  suite.release();
  project.cleanup();
});

for (const [name, run] of Object.entries(suite.checks)) test(name, run);
