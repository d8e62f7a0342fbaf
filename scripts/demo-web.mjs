#!/usr/bin/env node
// `make demo`: starts the reference server on 127.0.0.1 serving the demo pages
// (www/: web check-in and the kiosks), the package (pkg/, with the face weights), synthetic sample fingers (/samples) and, when
// installed, the jsQR fallback for camera QR reading (/vendor), with a SQLite
// file as its store; prints the URL (with the kiosk key in its fragment), the
// kiosk key and the admin key. Kiosk-signed boarding results are on: the
// server refuses unsigned boardings (SEALMATCH_GATE_SIGNING=required) until
// staff register a gate on the boarding page ("This gate device") with the
// admin key. Stop it with Ctrl-C.
//
//   node scripts/demo-web.mjs SERVER_BIN SYNTH_BIN
//
// Environment: PORT (default 8080), SEALMATCH_DB (default ./data/sealmatch.db),
// SEALMATCH_KIOSK_KEYS (default: one random key made here and printed),
// SEALMATCH_ADMIN_KEY (default: one random key made here and printed),
// SEALMATCH_GATE_SIGNING (default: required).

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeSamples } from "./demo-samples.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [serverBin, synthBin] = process.argv.slice(2);
if (!serverBin || !synthBin) {
  console.error("usage: node scripts/demo-web.mjs SERVER_BIN SYNTH_BIN");
  process.exit(2);
}
if (!existsSync(join(ROOT, "pkg/sealmatch.js"))) {
  console.error("demo: pkg/ is missing; run `make pkg` first");
  process.exit(1);
}

const demoDir = join(ROOT, "target/demo");
const samples = join(demoDir, "samples");
const vendor = join(demoDir, "vendor");
// made once; delete target/demo to make them again
const manifest = existsSync(join(samples, "index.json"))
  ? JSON.parse(readFileSync(join(samples, "index.json"), "utf8"))
  : makeSamples({ synth: synthBin, out: samples, fingers: 6, impressions: 4, seed: 7 });
mkdirSync(vendor, { recursive: true });
const jsqr = join(ROOT, "tests/e2e/node_modules/jsqr/dist/jsQR.js");
if (existsSync(jsqr)) copyFileSync(jsqr, join(vendor, "jsQR.js"));

const port = process.env.PORT ?? "8080";
const kioskKeys = process.env.SEALMATCH_KIOSK_KEYS?.trim() || randomBytes(24).toString("hex");
const kioskKey = kioskKeys.split(",")[0].trim();
// registers gate devices; staff type it on the boarding page, it never goes into a URL
const adminKey = process.env.SEALMATCH_ADMIN_KEY?.trim() || randomBytes(24).toString("hex");
const gateSigning = process.env.SEALMATCH_GATE_SIGNING?.trim() || "required";
const db = process.env.SEALMATCH_DB ?? join(ROOT, "data/sealmatch.db");

const child = spawn(serverBin, [], {
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: port,
    SEALMATCH_BIND: "127.0.0.1",
    SEALMATCH_DB: db,
    SEALMATCH_KIOSK_KEYS: kioskKeys,
    SEALMATCH_ADMIN_KEY: adminKey,
    SEALMATCH_GATE_SIGNING: gateSigning,
    SEALMATCH_WWW: join(ROOT, "www"),
    SEALMATCH_PKG: join(ROOT, "pkg"),
    SEALMATCH_MOUNTS: `/samples=${samples},/vendor=${vendor}`,
  },
});

const url = `http://127.0.0.1:${port}/`;
setTimeout(() => {
  if (child.exitCode !== null) return;
  console.log("");
  console.log("  sealmatch demo");
  console.log(`  open:        ${url}#key=${kioskKey}`);
  console.log(`  kiosk key:   ${kioskKey}`);
  console.log(`  admin key:   ${adminKey}   (registers gates: boarding page, "This gate device")`);
  console.log(`  signing:     ${gateSigning === "required" ? "boarding results must be signed by a registered gate" : gateSigning}`);
  console.log(`  pages:       ${url}checkin.html (a phone)  ${url}bagdrop.html  ${url}boarding.html  ${url}reconciliation.html`);
  console.log("  camera:      getUserMedia needs a secure context: http://127.0.0.1 or localhost on this machine, else https");
  console.log(`  samples:     ${manifest.fingers.length} synthetic fingers × 4 impressions (${samples})`);
  console.log(`  database:    ${db}`);
  console.log("  stop:        Ctrl-C");
  console.log("");
}, 800);

for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
