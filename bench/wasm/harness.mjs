// What the WASM benchmark and the face benchmark share: the packed tarball
// installed into a temp npm project, playwright-core, and a small static file
// server for the headless Chromium pages.
//
// Example:
//   import { installPackage, loadPlaywright, serveFiles } from "./harness.mjs";
//   installPackage(dir);                                  // dir/node_modules/sealmatch, dir/entry.mjs
//   const server = await serveFiles({ page: "<!doctype html>…", roots: [["/pkg/", pkgDir]] });
//   server.origin;   // http://127.0.0.1:PORT
//   server.served;   // Map: request path -> bytes served
//   server.close();

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** The headers that make a page cross-origin isolated (performance.now() at 5 µs). */
export const ISOLATION_HEADERS = Object.freeze({
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
});

/** The tarball `make pack` wrote (target/npm/sealmatch-*.tgz). */
export function tarball() {
  const dir = join(ROOT, "target", "npm");
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /^sealmatch-.*\.tgz$/.test(f)) : [];
  if (found.length !== 1) throw new Error(`expected one sealmatch-*.tgz in ${dir}: run \`make pack\``);
  return join(dir, found[0]);
}

/** An npm project in `dir` with the packed package installed, and `entry.mjs` re-exporting it. */
export function installPackage(dir) {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "wasm-bench", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball()], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(join(dir, "entry.mjs"), 'export { default } from "sealmatch";\nexport * from "sealmatch";\n');
}

/** playwright-core from the repository's dev dependencies (or tests/e2e's). */
export function loadPlaywright() {
  for (const base of [ROOT, join(ROOT, "tests", "e2e")]) {
    try {
      return createRequire(join(base, "package.json"))("playwright-core");
    } catch {
      // try the next
    }
  }
  throw new Error("playwright-core is not installed (run `npm ci` at the repository root)");
}

/**
 * Serves `page` at `/` and files below `roots` (`[[prefix, dir]]`; nothing
 * outside them) on 127.0.0.1, a free port, with `headers` on every answer.
 * Resolves to `{ origin, served, close }`; `served` maps each path to the bytes sent.
 */
export async function serveFiles({ page, roots, headers = {} }) {
  const all = { ...headers, "cache-control": "no-store" };
  const fileFor = (path) => {
    for (const [prefix, root] of roots) {
      if (path.startsWith(prefix)) {
        const file = normalize(join(root, path.slice(prefix.length)));
        if (file.startsWith(normalize(root))) return file;
      }
    }
    return null;
  };
  const served = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/") {
      res.writeHead(200, { ...all, "content-type": TYPES[".html"] }).end(page);
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
      res.writeHead(404, all).end("not found");
      return;
    }
    served.set(path, (served.get(path) ?? 0) + body.length);
    res.writeHead(200, { ...all, "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, served, close: () => server.close() };
}
