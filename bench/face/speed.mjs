// The face speed and size benchmark (a part of run.mjs, so of `make bench`):
// 640×480 frames made at run time from LFW photos (image.mjs's synthetic
// frame: the photo enlarged 3× in the middle of a grey frame; written to a
// temp folder and deleted afterwards), timed natively (examples/face_eval.rs
// --frames), in Node and in headless Chromium (the packed package, beside
// face-api.js on tfjs-wasm in both), one runtime after the other; then the
// sizes. Returns the lines to print.
//
// Example:
//   const lines = await runSpeed({ dir, photos, count: 20, browser: true });

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { installPackage } from "../wasm/harness.mjs";
import { syntheticFrame } from "./image.mjs";
import { sizesReport, speedReport } from "./speed-report.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");

/** sealmatch_core_bg.wasm's gzip'd size before the face modality (README, issue 11's baseline). */
export const WASM_GZIP_BEFORE_FACE = 150_466;

/** RGBA 640×480 frames of the first `count` photos, back to back, or null without jpeg-js. */
function makeFrames(dir, photos, count) {
  let jpeg;
  try {
    jpeg = createRequire(join(HERE, "package.json"))("jpeg-js");
  } catch {
    return null;
  }
  const parts = photos.slice(0, count).map((rel) => {
    const { width, height, data } = jpeg.decode(readFileSync(join(dir, rel)), { useTArray: true, formatAsRGBA: false });
    const rgb = syntheticFrame({ width, height, data }).data;
    const rgba = Buffer.alloc((rgb.length / 3) * 4, 255);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) rgba.set(rgb.subarray(i, i + 3), j);
    return rgba;
  });
  return Buffer.concat(parts);
}

/** Runs a command; its JSON line, or a short reason when it failed (`skipCodes`: exit code -> reason). */
function jsonOf(cmd, args, skipCodes = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  if (r.status !== 0) return skipCodes[r.status] ?? `failed (exit ${r.status ?? r.signal})`;
  const line = r.stdout.trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    return "failed (no result)";
  }
}

function step(text) {
  process.stderr.write(`face speed: ${text}\n`);
}

/** The speed table and the sizes, as lines. `photos`: paths relative to `dir`, frames from the first `count`. */
export async function runSpeed({ dir, photos, count = 20, browser = true }) {
  const work = mkdtempSync(join(tmpdir(), "sealmatch-face-speed-"));
  try {
    const frames = makeFrames(dir, photos, count);
    if (frames === null) return ["face speed: skipped: jpeg-js (bench/face's npm packages) is not installed: (cd bench/face && npm ci)"];
    const framesPath = join(work, "frames", "frames.bin");
    mkdirSync(dirname(framesPath));
    writeFileSync(framesPath, frames);
    const project = join(work, "project");
    mkdirSync(project);
    installPackage(project);
    const pkgDir = join(project, "node_modules", "sealmatch");
    execFileSync("cargo", ["build", "--quiet", "--release", "--example", "face_eval"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });

    const load0 = loadavg()[0];
    const t0 = Date.now();
    step("native");
    const native = jsonOf(join(ROOT, "target", "release", "examples", "face_eval"), ["--frames", framesPath]);
    step("Node, sealmatch");
    const node = jsonOf(process.execPath, [join(HERE, "speed-node.mjs"), "sealmatch", framesPath, project]);
    step("Node, face-api.js");
    const nodeFaceApi = jsonOf(process.execPath, [join(HERE, "speed-node.mjs"), "faceapi", framesPath], { 3: "face-api.js not installed" });
    let chromium = "--no-browser";
    let chromiumFaceApi = "--no-browser";
    let page = null;
    if (browser) {
      step("Chromium, sealmatch and face-api.js");
      page = jsonOf(process.execPath, [join(HERE, "speed-browser.mjs"), framesPath, project]);
      if (typeof page === "string") chromium = chromiumFaceApi = page;
      else {
        chromium = page.ours;
        chromiumFaceApi = page.faceapi ?? "face-api.js not installed";
      }
    }
    const load1 = loadavg()[0];
    const wasm = readFileSync(join(pkgDir, "sealmatch_core_bg.wasm"));
    const nFrames = frames.length / (640 * 480 * 4);
    const runtimes = [
      typeof native === "object" ? `native: ${native.runtime}` : null,
      typeof node === "object" ? node.runtime : null,
      typeof chromium === "object" ? page.runtime : null,
      typeof nodeFaceApi === "object" ? `face-api in Node: ${nodeFaceApi.engine}` : null,
      typeof chromiumFaceApi === "object" ? `in Chromium: ${chromiumFaceApi.engine}` : null,
    ].filter(Boolean);
    const usable = [
      typeof native === "object" ? `sealmatch native ${native.usable}` : null,
      typeof chromium === "object" ? `sealmatch Chromium ${chromium.usable.whole}` : null,
      typeof chromiumFaceApi === "object" ? `face-api.js SSD ${chromiumFaceApi.usable.ssd}, tiny ${chromiumFaceApi.usable.tiny}` : null,
      typeof nodeFaceApi === "object" && typeof chromiumFaceApi !== "object" ? `face-api.js SSD ${nodeFaceApi.usable.ssd}, tiny ${nodeFaceApi.usable.tiny}` : null,
    ].filter(Boolean);
    return [
      `face speed: ${nFrames} frames 640×480 (the first ${nFrames} photos of the pair list, each enlarged 3× bilinear in the middle of a grey frame),`,
      "each timed in 2 rounds after one warm-up frame, each frame's faster round kept; one runtime after the other, one thread each.",
      `runtimes: ${runtimes.join("; ")}`,
      `frames with a usable face: ${usable.join("; ")} (of ${nFrames})`,
      `load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      "",
      ...speedReport({
        native: typeof native === "object" ? native : null,
        node,
        chromium,
        nodeFaceApi,
        chromiumFaceApi,
      }),
      "",
      "face sizes:",
      ...sizesReport({
        wasm: { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length },
        weights: statSync(join(pkgDir, "sealmatch-face.bin")).size,
        baselineGzip: WASM_GZIP_BEFORE_FACE,
        initFetched: page && typeof page === "object" ? page.initFetched : null,
        initFaceFetched: page && typeof page === "object" ? page.initFaceFetched : null,
      }),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
