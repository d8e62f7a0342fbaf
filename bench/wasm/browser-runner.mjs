// The Chromium half of the WASM benchmark: headless Debian Chromium through
// playwright-core, one page that imports the installed package as a page
// without a bundler would ("./pkg/sealmatch.js"), times load + init, runs the
// same workload.mjs and memory.mjs as Node as run.mjs asks (protocol.mjs).
//
//   node bench/wasm/browser-runner.mjs PLAN.json PROJECT_DIR
//
// Files are served by a small static server on 127.0.0.1 (a free port) with
// COOP/COEP headers, so the page is cross-origin isolated and
// performance.now() has its fine (5 µs) resolution, not the coarse 100 µs.

import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ISOLATION_HEADERS, loadPlaywright, serveFiles } from "./harness.mjs";
import { serveCommands } from "./protocol.mjs";
import { CHROMIUM_ARGS } from "../../tests/chromium-args.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGE = `<!doctype html><meta charset="utf-8"><title>sealmatch wasm bench</title>
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

const [planPath, projectDir] = process.argv.slice(2);
if (!planPath || !projectDir) {
  console.error("usage: node browser-runner.mjs PLAN.json PROJECT_DIR");
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
    ["/data/", dataDir],
  ],
  headers: ISOLATION_HEADERS,
});
const ORIGIN = server.origin;

const { chromium } = loadPlaywright();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [...CHROMIUM_ARGS, "--js-flags=--expose-gc"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  // The page's side: the same workload.mjs and memory.mjs as Node.
  await page.evaluate(async (plan) => {
    const { runGroup } = await import("./bench/workload.mjs");
    const { memoryOfImage, runChurn } = await import("./bench/memory.mjs");
    const sm = window.sm;
    const memBytes = () => window.wasmExports.memory.buffer.byteLength;
    const bins = new Map();
    const bin = async (file) => {
      if (!bins.has(file)) bins.set(file, new Uint8Array(await (await fetch(`./data/${file}`)).arrayBuffer()));
      return bins.get(file);
    };
    const pixels = async (im) => (await bin(im.file)).subarray(im.offset ?? 0, (im.offset ?? 0) + im.width * im.height);
    const memAfterInit = memBytes();
    // Memory of one 640x480 capture first: linear memory never shrinks.
    const image = plan.memory ? memoryOfImage(sm, { ...plan.memory.big, pixels: await pixels(plan.memory.big) }, memBytes) : null;
    window.bench = {
      hello: () => ({ loadMs: window.loadMs, crossOriginIsolated: window.crossOriginIsolated, memAfterInit, image }),
      group: async (i) => runGroup(sm, plan.groups[i], await bin(plan.groups[i].file), memBytes, plan.warmup),
      churn: async () =>
        runChurn(sm, { ...plan.memory.small, pixels: await pixels(plan.memory.small) }, plan.memory.churn, memBytes, window.gc),
      end: () => ({ memEnd: memBytes() }),
    };
  }, plan);
  const call = (cmd, arg) => page.evaluate(([cmd, arg]) => window.bench[cmd](arg), [cmd, arg]);
  await serveCommands({
    hello: async () => ({ runtime: `chromium ${browser.version()}`, ...(await call("hello")) }),
    group: (i) => call("group", i),
    churn: () => call("churn"),
    end: async () => {
      const answer = await call("end");
      if (problems.length) throw new Error(`page errors: ${problems.join("; ")}`);
      return answer;
    },
  });
} finally {
  await browser.close();
  server.close();
}
