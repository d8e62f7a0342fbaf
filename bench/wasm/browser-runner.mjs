// The browser half of the WASM benchmark: a headless browser engine through
// the tests' driver layer (tests/engines: Debian's Chromium by default, or
// Firefox ESR or WebKitGTK with --engine), one page that imports the
// installed package as a page without a bundler would ("./pkg/sealmatch.js"),
// times load + init, runs the same workload.mjs, memory.mjs and batches.mjs as
// Node as run.mjs or bench/engines/speed.mjs asks (protocol.mjs).
//
//   node bench/wasm/browser-runner.mjs PLAN.json PROJECT_DIR [--engine chromium|firefox|webkit]
//
// Files are served by a small static server on 127.0.0.1 (a free port) with
// COOP/COEP headers, so the page is cross-origin isolated and
// performance.now() has its finest resolution (Chromium 5 µs, not 100 µs).

import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ISOLATION_HEADERS, serveFiles } from "./harness.mjs";
import { serveCommands } from "./protocol.mjs";
import { ENGINES, launchEngine } from "../../tests/engines/index.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>sealmatch wasm bench</title>
<script type="module">
const t0 = performance.now();
const sm = await import("./pkg/sealmatch.js");
await sm.default();
window.loadMs = performance.now() - t0;
window.sm = sm;
const core = await import("./pkg/sealmatch_core.js");
window.wasmExports = await core.default();
window.benchReady = true;
</script>`;

const [planPath, projectDir, flag, engineName = "chromium"] = process.argv.slice(2);
if (!planPath || !projectDir || (flag !== undefined && flag !== "--engine") || !ENGINES.includes(engineName)) {
  console.error(`usage: node browser-runner.mjs PLAN.json PROJECT_DIR [--engine ${ENGINES.join("|")}]`);
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planPath, "utf8"));
const pkgDir = join(projectDir, "node_modules", "sealmatch");
const dataDir = dirname(planPath);

const server = await serveFiles({
  page: PAGE,
  roots: [
    ["/pkg/", pkgDir],
    ["/bench/", HERE],
    ["/face/", join(HERE, "..", "face")],
    ["/data/", dataDir],
  ],
  headers: ISOLATION_HEADERS,
});
const ORIGIN = server.origin;

// Chromium's gc() for the memory churn; the other engines have none (churn then relies on the collector's own timing).
const engine = await launchEngine(engineName, { extraArgs: engineName === "chromium" ? ["--js-flags=--expose-gc"] : [] });
try {
  const page = await engine.newPage();
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 120_000 });
  // The page's side: the same workload.mjs and memory.mjs as Node.
  await page.evaluate(async (plan) => {
    const { runGroup } = await import("./bench/workload.mjs");
    const { memoryOfImage, runChurn } = await import("./bench/memory.mjs");
    const { runBatches } = await import("./bench/batches.mjs");
    const sm = window.sm;
    const memBytes = () => window.wasmExports.memory.buffer.byteLength;
    const bins = new Map();
    const bin = async (file) => {
      if (!bins.has(file)) bins.set(file, new Uint8Array(await (await fetch(`./data/${file}`)).arrayBuffer()));
      return bins.get(file);
    };
    const pixels = async (im) =>
      (await bin(im.file)).subarray(im.offset ?? 0, (im.offset ?? 0) + im.width * im.height * (im.channels ?? 1));
    const memAfterInit = memBytes();
    // Memory of one 640x480 capture first: linear memory never shrinks.
    const image = plan.memory ? memoryOfImage(sm, { ...plan.memory.big, pixels: await pixels(plan.memory.big) }, memBytes) : null;
    window.bench = {
      hello: () => ({ loadMs: window.loadMs, crossOriginIsolated: window.crossOriginIsolated, memAfterInit, image }),
      group: async (i) => runGroup(sm, plan.groups[i], await bin(plan.groups[i].file), memBytes, plan.warmup),
      churn: async () =>
        runChurn(sm, { ...plan.memory.small, pixels: await pixels(plan.memory.small) }, plan.memory.churn, memBytes, window.gc),
      batches: async () => {
        const px = {};
        for (const name of ["extract", "enrolled", "probe", "face"]) px[name] = await pixels(plan.batches[name]);
        return runBatches(sm, plan.batches, (name) => px[name]);
      },
      end: () => ({ memEnd: memBytes() }),
    };
  }, plan);
  const call = (cmd, arg) => page.evaluate(([cmd, arg]) => window.bench[cmd](arg), [cmd, arg]);
  await serveCommands({
    hello: async () => ({ runtime: `${engineName} ${engine.version}`, ...(await call("hello")) }),
    group: (i) => call("group", i),
    churn: () => call("churn"),
    batches: () => call("batches"),
    end: async () => {
      const answer = await call("end");
      const problems = await page.errors();
      if (problems.length) throw new Error(`page errors: ${problems.join("; ")}`);
      return answer;
    },
  });
} finally {
  await engine.close();
  server.close();
}
