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
import { createServer } from "node:http";
import { extname, join, normalize, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { serveCommands } from "./protocol.mjs";
import { CHROMIUM_ARGS } from "../../tests/chromium-args.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** playwright-core from the repository's dev dependencies (or tests/e2e's). */
function loadPlaywright() {
  for (const base of [ROOT, join(ROOT, "tests", "e2e")]) {
    try {
      return createRequire(join(base, "package.json"))("playwright-core");
    } catch {
      // try the next
    }
  }
  throw new Error("playwright-core is not installed (run `npm ci` at the repository root)");
}

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

/** Maps a request path to a file, only below the three served roots. */
function fileFor(path) {
  const roots = [
    ["/pkg/", pkgDir],
    ["/bench/", HERE],
    ["/data/", dataDir],
  ];
  for (const [prefix, root] of roots) {
    if (path.startsWith(prefix)) {
      const file = normalize(join(root, path.slice(prefix.length)));
      if (file.startsWith(normalize(root))) return file;
    }
  }
  return null;
}

const HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cache-control": "no-store",
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path === "/") {
    res.writeHead(200, { ...HEADERS, "content-type": TYPES[".html"] }).end(PAGE);
    return;
  }
  const file = fileFor(path);
  let body;
  try {
    body = file && readFileSync(file);
  } catch {
    body = null;
  }
  if (!body) {
    res.writeHead(404, HEADERS).end("not found");
    return;
  }
  res.writeHead(200, { ...HEADERS, "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

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
