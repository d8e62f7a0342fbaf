// The Node half of the WASM benchmark: one process (started by run.mjs with
// --expose-gc) that loads the installed package, times load + init, runs the
// plan's groups and the memory checks as run.mjs asks for them, one JSON line
// an answer (see protocol.mjs); `batches` is its row of the per-engine table
// (bench/engines/speed.mjs, batches.mjs).
//
//   node --expose-gc bench/wasm/node-runner.mjs PLAN.json PROJECT_DIR
//
// PROJECT_DIR is an npm project with the packed tarball installed. The
// module's linear memory is reached without any extra export: wasm-bindgen's
// own init function, called again after the package's `init()`, returns the
// instance's exports (it is a no-op once loaded), whose `memory` is read.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runGroup } from "./workload.mjs";
import { memoryOfImage, runChurn } from "./memory.mjs";
import { runBatches } from "./batches.mjs";
import { serveCommands } from "./protocol.mjs";

const [planPath, projectDir] = process.argv.slice(2);
if (!planPath || !projectDir) {
  console.error("usage: node --expose-gc node-runner.mjs PLAN.json PROJECT_DIR");
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planPath, "utf8"));
const pkgDir = join(projectDir, "node_modules", "sealmatch");

const t0 = performance.now();
const sm = await import(pathToFileURL(join(projectDir, "entry.mjs")).href);
await sm.default();
const loadMs = performance.now() - t0;

const core = await import(pathToFileURL(join(pkgDir, "sealmatch_core.js")).href);
const exports = await core.default();
/** @returns {number} */
const memBytes = () => exports.memory.buffer.byteLength;
const memAfterInit = memBytes();

/** @param {{ bin: string, offset?: number, width: number, height: number, channels?: number }} im */
const pixels = (im) => {
  const b = new Uint8Array(readFileSync(im.bin));
  const off = im.offset ?? 0;
  return b.subarray(off, off + im.width * im.height * (im.channels ?? 1));
};

// Memory of one 640x480 capture first: linear memory never shrinks.
const image = plan.memory ? memoryOfImage(sm, { ...plan.memory.big, pixels: pixels(plan.memory.big) }, memBytes) : null;
await serveCommands({
  hello: () => ({ runtime: `node ${process.version}`, loadMs, memAfterInit, image }),
  group: (i) => runGroup(sm, plan.groups[i], new Uint8Array(readFileSync(plan.groups[i].bin)), memBytes, plan.warmup),
  churn: () =>
    runChurn(sm, { ...plan.memory.small, pixels: pixels(plan.memory.small) }, plan.memory.churn, memBytes, globalThis.gc),
  batches: () => runBatches(sm, plan.batches, (name) => pixels(plan.batches[name])),
  end: () => ({ memEnd: memBytes() }),
});
