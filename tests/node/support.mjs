// Shared helpers for the Node tests of the packed package.

import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CompactEncrypt } from "jose";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// The codes and throwsCode live in package-checks.mjs (which a page loads too).
export { CODES, FACE_CODES, throwsCode } from "./package-checks.mjs";

/** The tarball `make pack` wrote. */
export function tarball() {
  const dir = join(ROOT, "target", "npm");
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /^sealmatch-.*\.tgz$/.test(f)) : [];
  if (found.length !== 1) {
    throw new Error(`expected one sealmatch-*.tgz in ${dir} (run \`make pack\`), found ${found.length}`);
  }
  return join(dir, found[0]);
}

/**
 * An empty npm project in a temp dir with the packed tarball installed, and a
 * module `entry.mjs` re-exporting "sealmatch" as that project resolves it.
 * Returns { dir, url, cleanup }.
 */
export function freshProject(name = "sealmatch-consumer") {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, version: "1.0.0", private: true, type: "module" }, null, 2),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball()], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(
    join(dir, "entry.mjs"),
    'export { default } from "sealmatch";\nexport * from "sealmatch";\n',
  );
  return {
    dir,
    url: pathToFileURL(join(dir, "entry.mjs")).href,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The `smk1_` passenger key string for 32 key bytes (docs/token-format.md). */
export function passengerKeyFor(keyBytes) {
  const check = createHash("sha256").update(keyBytes).digest().subarray(0, 4);
  return "smk1_" + Buffer.concat([Buffer.from(keyBytes), check]).toString("base64url");
}

/** 32 random key bytes. */
export function randomKey() {
  return new Uint8Array(randomBytes(32));
}

/** The 32 key bytes of an `smk1_` passenger key string. */
export function keyBytesOf(passengerKey) {
  return new Uint8Array(Buffer.from(passengerKey.slice(5), "base64url").subarray(0, 32));
}

/** A sealmatch-shaped header; `over` replaces or adds fields. */
export function header(over = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    alg: "dir",
    enc: "A256GCM",
    typ: "sealmatch+jwe",
    v: 1,
    bag: "0117123456",
    flt: "SK1415",
    iat: now,
    exp: now + 3600,
    ...over,
  };
}

/** A JWE made by jose (an independent implementation) with `key` and `hdr`. */
export async function joseToken(key, hdr = header(), plaintext = new Uint8Array(64)) {
  return new CompactEncrypt(plaintext).setProtectedHeader(hdr).encrypt(key);
}

/** A synthetic impression from target/fixtures/synth (`make fixtures`), e.g. "101_1". */
export async function fixture(stem) {
  const { readPng } = await import("../../scripts/png.mjs");
  const path = join(ROOT, "target", "fixtures", "synth", `${stem}.png`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`make fixtures\``);
  return readPng(path);
}

/** Grey pixels to RGBA (what a canvas holds). */
export function greyToRgba(pixels) {
  const out = new Uint8ClampedArray(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) {
    out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = pixels[i];
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Hex to bytes. */
export function hex(s) {
  return new Uint8Array(Buffer.from(s, "hex"));
}
