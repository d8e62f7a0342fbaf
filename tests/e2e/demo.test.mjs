// `make demo`'s last step (scripts/demo-web.mjs) on a free port: it prints the
// URL with the kiosk key, and that URL serves the pages, the package, the
// sample fingers and the API, which wants that key. Signed boarding results are
// on from the start, and the printed admin key (not the kiosk key) registers a gate.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./lib/server.mjs";
import { ROOT, SERVER_BIN, SYNTH_BIN } from "./lib/paths.mjs";

test("the demo command prints a working URL and kiosk key", { timeout: 120_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "sealmatch-demo-"));
  const port = await freePort();
  const child = spawn("node", [join(ROOT, "scripts/demo-web.mjs"), SERVER_BIN, SYNTH_BIN], {
    env: { ...process.env, PORT: String(port), SEALMATCH_DB: join(work, "demo.db"), SEALMATCH_KIOSK_KEYS: "", SEALMATCH_ADMIN_KEY: "", SEALMATCH_GATE_SIGNING: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  try {
    const deadline = Date.now() + 100_000;
    let m = null;
    while (!(m = /open:\s+(http:\/\/127\.0\.0\.1:\d+\/)#key=(\S+)/.exec(out)) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(m, `no URL printed:\n${out}`);
    const [, url, key] = m;
    assert.equal(url, `http://127.0.0.1:${port}/`);
    assert.match(out, new RegExp(`kiosk key:\\s+${key}`));

    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /bagdrop\.html/);
    assert.match(page.headers.get("content-security-policy") ?? "", /'wasm-unsafe-eval'/);
    assert.equal((await fetch(`${url}pkg/sealmatch.js`)).status, 200);
    assert.equal((await fetch(`${url}pkg/sealmatch_core_bg.wasm`)).headers.get("content-type"), "application/wasm");
    const samples = await (await fetch(`${url}samples/index.json`)).json();
    assert.ok(samples.fingers.length >= 4 && samples.dpi === 500);
    assert.equal((await fetch(`${url}samples/${samples.fingers[0].impressions[0]}`)).status, 200);

    const rec = `${url}api/flights/SK1415/reconciliation`;
    assert.equal((await fetch(rec)).status, 401, "the API wants the kiosk key");
    const ok = await fetch(rec, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { flight: "SK1415", bags: [], offload: [] });

    const admin = /admin key:\s+(\S+)/.exec(out)?.[1];
    assert.ok(admin && admin !== key, `an admin key beside the kiosk key:\n${out}`);
    assert.deepEqual(await (await fetch(`${url}api/health`)).json(), { status: "ok", gateSigning: true }, "signing is required before any gate exists");
    const { webcrypto } = await import("node:crypto");
    const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
    const publicKey = Buffer.from(await webcrypto.subtle.exportKey("raw", pair.publicKey)).toString("base64url");
    const register = (/** @type {string} */ bearer) =>
      fetch(`${url}api/gates/gate-demo-test`, { method: "PUT", headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" }, body: JSON.stringify({ publicKey }) });
    assert.equal((await register(key)).status, 401, "a kiosk key cannot register a gate");
    assert.equal((await register(admin)).status, 201, "the printed admin key can");
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.on("exit", r)));
    rmSync(work, { recursive: true, force: true });
  }
});
