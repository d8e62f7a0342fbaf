// The TypeScript types that ship in the package: a consumer project that
// installs the tarball type-checks correct use and rejects wrong use
// (`// @ts-expect-error` lines must each be an error), with both Node's and
// a bundler's module resolution.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freshProject } from "./support.mjs";

const CONSUMER = `import init, { Capture, enroll, verify, inspectToken } from "sealmatch";
import type { ErrorCode, SealmatchError, TokenHeader, Verification, Enrolled } from "sealmatch";

export async function bagDrop(width: number, height: number, pixels: Uint8Array): Promise<Enrolled> {
  await init();
  const cap: Capture = Capture.fromGray(width, height, pixels, 500);
  const q: number = cap.quality;
  const f: string[] = cap.feedback;
  const n: number = cap.minutiaeCount;
  const img = cap.renderFeatures();
  const data: Uint8ClampedArray = img.data;
  void q; void f; void n; void data;
  const out = enroll([cap], { bagTag: "0117123456", flight: "SK1415", ttlSeconds: 3600 });
  const again = enroll([cap], { bagTag: "0117123457", flight: "SK1415", passengerKey: out.passengerKey, now: 1 });
  void again;
  cap.free();
  return out;
}

export function gate(cap: Capture, token: string, key: string): boolean {
  const h: TokenHeader = inspectToken(token);
  const r: Verification = verify(cap, token, key, { bagTag: h.bagTag, flight: h.flight, threshold: 0.1 });
  return r.match && r.score >= r.threshold;
}

export function codeOf(e: unknown): ErrorCode | undefined {
  return e instanceof Error ? (e as SealmatchError).code : undefined;
}

export function wrong(cap: Capture, data: ImageData) {
  Capture.fromImageData(data, 500);
  Capture.fromImageFile(new Uint8Array(0));
  Capture.fromImageFile(new Uint8Array(0), 500);
  Capture.fromMinutiaeRecord(new Uint8Array(0));
  // @ts-expect-error a record takes no dpi
  Capture.fromMinutiaeRecord(new Uint8Array(0), 500);
  // @ts-expect-error a file is bytes, not a string
  Capture.fromImageFile("BM", 500);
  // @ts-expect-error pixels must be bytes
  Capture.fromGray(1, 1, [0], 500);
  // @ts-expect-error flight is required
  enroll([cap], { bagTag: "0117123456" });
  // @ts-expect-error bagTag is required
  verify(cap, "t", "k", {});
  // @ts-expect-error no such option
  verify(cap, "t", "k", { bagTag: "1", ttlSeconds: 5 });
  // @ts-expect-error quality is read-only
  cap.quality = 5;
  // @ts-expect-error the constructor is private
  new Capture();
}
`;

// A Node-only consumer: no DOM library, no @types/node.
const NODE_CONSUMER = `import init, { Capture, enroll, inspectToken } from "sealmatch";
export async function run(pixels: Uint8Array): Promise<string> {
  await init();
  const cap = Capture.fromGray(300, 300, pixels, 500);
  const { token } = enroll([cap], { bagTag: "1", flight: "SK1" });
  cap.free();
  return inspectToken(token).bagTag;
}
`;

let project;

before(() => {
  project = freshProject("sealmatch-ts");
  writeFileSync(join(project.dir, "consumer.ts"), CONSUMER);
  writeFileSync(join(project.dir, "node-consumer.ts"), NODE_CONSUMER);
});

after(() => project?.cleanup());

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

for (const [module, resolution, lib, file] of [
  ["nodenext", "nodenext", "es2022,dom", "consumer.ts"],
  ["esnext", "bundler", "es2022,dom", "consumer.ts"],
  ["nodenext", "nodenext", "es2022", "node-consumer.ts"],
]) {
  test(`the types check with moduleResolution ${resolution}, lib ${lib}: ${file}`, () => {
    const args = [TSC, "--noEmit", "--strict", "--target", "es2022", "--lib", lib, "--module", module, "--moduleResolution", resolution, file];
    let output = "";
    try {
      execFileSync(process.execPath, args, { cwd: project.dir, encoding: "utf8" });
    } catch (e) {
      output = `${e.stdout}${e.stderr}`;
    }
    assert.equal(output, "", output);
  });
}
