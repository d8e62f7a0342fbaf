// The TypeScript types that ship in the package: a consumer project that
// installs the tarball type-checks correct use and rejects wrong use
// (`// @ts-expect-error` lines must each be an error), with both Node's and
// a bundler's module resolution; fingerprint and face (initFace,
// FaceCapture, its fields, the face error codes); sealmatch/scanners and
// sealmatch/messages.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freshProject } from "./support.mjs";

const CONSUMER = `import init, { Capture, FaceCapture, initFace, enroll, verify, inspectToken } from "sealmatch";
import type { ErrorCode, SealmatchError, TokenHeader, Verification, Enrolled } from "sealmatch";
import type { FaceBox, FaceFeedback, InitFaceOptions } from "sealmatch";

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

export async function webCheckIn(frame: ImageData, rgba: Uint8ClampedArray, bytes: Uint8Array): Promise<Verification> {
  await initFace();
  await initFace({ modelUrl: "/assets/sealmatch-face.bin" });
  await initFace({ modelUrl: new URL("https://example.org/sealmatch-face.bin") });
  const opts: InitFaceOptions = { modelBytes: bytes };
  await initFace(opts);
  await initFace({ modelBytes: bytes.buffer as ArrayBuffer });
  const face: FaceCapture = FaceCapture.fromImageData(frame);
  const again = FaceCapture.fromRgba(640, 480, rgba);
  const q: number = face.quality;
  const feedback: FaceFeedback[] = face.feedback;
  const box: FaceBox | null = face.box;
  const right: number | undefined = box ? box.x + box.width : undefined;
  void q; void feedback; void right;
  const out: Enrolled = enroll([face, again], { bagTag: "0117123456", flight: "SK1415" });
  const r = verify(again, out.token, out.passengerKey, { bagTag: "0117123456", threshold: 0.5 });
  face.free();
  again.free();
  return r;
}

export function faceCode(e: SealmatchError): "retry" | "other" | undefined {
  switch (e.code) {
    case "NOT_READY":
      return "retry";
    case "MODALITY_MISMATCH":
      return "other";
    default:
      return undefined;
  }
}

export async function wrongFace(face: FaceCapture, cap: Capture) {
  // @ts-expect-error one modality per enrollment
  enroll([face, cap], { bagTag: "0117123456", flight: "SK1415" });
  // @ts-expect-error the constructor is private
  new FaceCapture();
  // @ts-expect-error quality is read-only
  face.quality = 1;
  // @ts-expect-error box is read-only
  face.box = null;
  // @ts-expect-error a fingerprint feedback code is not a face one
  const f: FaceFeedback = "blank";
  // @ts-expect-error rgba must be bytes
  FaceCapture.fromRgba(1, 1, [0, 0, 0, 0]);
  // @ts-expect-error fromRgba takes no dpi
  FaceCapture.fromRgba(1, 1, new Uint8Array(4), 500);
  // @ts-expect-error fromImageData takes no dpi
  FaceCapture.fromImageData({ width: 1, height: 1, data: new Uint8Array(4) }, 500);
  // @ts-expect-error no such initFace option
  await initFace({ weights: "sealmatch-face.bin" });
  // @ts-expect-error initFace resolves to nothing
  const n: number = await initFace();
  // @ts-expect-error a face capture has no minutiae
  face.minutiaeCount;
  // @ts-expect-error not an error code
  const c: ErrorCode = "FACE_NOT_READY";
  void f; void n; void c;
}
`;

// A Node-only consumer: no DOM library, no @types/node.
const NODE_CONSUMER = `import init, { Capture, FaceCapture, initFace, enroll, inspectToken } from "sealmatch";
export async function run(pixels: Uint8Array): Promise<string> {
  await init();
  const cap = Capture.fromGray(300, 300, pixels, 500);
  const { token } = enroll([cap], { bagTag: "1", flight: "SK1" });
  cap.free();
  return inspectToken(token).bagTag;
}
export async function face(rgba: Uint8Array, weights: Uint8Array): Promise<number> {
  await initFace({ modelBytes: weights });
  const f = FaceCapture.fromImageData({ width: 640, height: 480, data: rgba });
  const q = f.quality + (f.box?.width ?? 0);
  f.free();
  return q;
}
`;

const SCANNERS_CONSUMER = `import init, { Capture } from "sealmatch";
import { secugenScanner, supremaScanner, digitalPersonaScanner, defineScanner, findScanners, type ScannerAdapter, type ScannerErrorCode } from "sealmatch/scanners";
export async function run(reader: { enumerateDevices(): Promise<string[]>; startAcquisition(f: number, u?: string): Promise<void>; stopAcquisition(u?: string): Promise<void>; on(e: string, h: (ev: any) => void): unknown; off(e?: string, h?: (ev: any) => void): unknown }): Promise<number> {
  await init();
  const acme: ScannerAdapter = defineScanner({
    name: "Acme",
    probe: async () => ({ available: true, devices: ["A"] }),
    scan: async () => ({ width: 1, height: 1, pixels: new Uint8Array(1), dpi: 500 }),
  });
  const all = [secugenScanner({ licstr: "" }), supremaScanner({ baseUrl: "https://localhost:8084" }), digitalPersonaScanner({ reader }), acme];
  const found = await findScanners(all);
  try {
    const cap: Capture = await found[0].capture({ onProgress: (p) => void p.stage });
    return cap.quality;
  } catch (e) {
    const code: ScannerErrorCode | undefined = (e as { code?: ScannerErrorCode }).code;
    return code === "NO_DEVICE" ? -1 : -2;
  }
}
`;

// sealmatch/messages: texts for the codes, with and without translations.
const MESSAGES_CONSUMER = `import { ENGLISH, MESSAGE_KEYS, message, errorKey, errorMessage, feedbackMessages, type MessageKey, type Translations } from "sealmatch/messages";
import type { SealmatchError, FaceFeedback } from "sealmatch";
const fr: Translations = { "error.WRONG_BAG": "Ce bagage ne correspond pas.", generic: "Veuillez réessayer." };
export function texts(e: SealmatchError, feedback: string[], face: FaceFeedback[]): string[] {
  const k: MessageKey = "face.good";
  const all: readonly MessageKey[] = MESSAGE_KEYS;
  const english: string = ENGLISH["error.WRONG_BAG"];
  const key: string | null = errorKey(e, fr);
  const own = message("error.MY_CODE", { "error.MY_CODE": "Mine." });
  return [message(k, fr), english, own, key ?? "", errorMessage(e), errorMessage(undefined, fr), ...feedbackMessages(feedback), ...feedbackMessages(face, fr, { modality: "face" }), String(all.length)];
}
export function wrong() {
  // @ts-expect-error texts are strings
  message("generic", { generic: 5 });
  // @ts-expect-error no such modality
  feedbackMessages([], {}, { modality: "iris" });
  // @ts-expect-error not a key
  const k: MessageKey = "error.NOPE";
  // @ts-expect-error the table is read-only
  ENGLISH["generic"] = "x";
  void k;
}
`;

let project;

before(() => {
  project = freshProject("sealmatch-ts");
  writeFileSync(join(project.dir, "consumer.ts"), CONSUMER);
  writeFileSync(join(project.dir, "node-consumer.ts"), NODE_CONSUMER);
  writeFileSync(join(project.dir, "scanners-consumer.ts"), SCANNERS_CONSUMER);
  writeFileSync(join(project.dir, "messages-consumer.ts"), MESSAGES_CONSUMER);
});

after(() => project?.cleanup());

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

for (const [module, resolution, lib, file] of [
  ["nodenext", "nodenext", "es2022,dom", "consumer.ts"],
  ["esnext", "bundler", "es2022,dom", "consumer.ts"],
  ["nodenext", "nodenext", "es2022", "node-consumer.ts"],
  ["nodenext", "nodenext", "es2022,dom", "scanners-consumer.ts"],
  ["esnext", "bundler", "es2022,dom", "scanners-consumer.ts"],
  ["nodenext", "nodenext", "es2022", "messages-consumer.ts"],
  ["esnext", "bundler", "es2022,dom", "messages-consumer.ts"],
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
