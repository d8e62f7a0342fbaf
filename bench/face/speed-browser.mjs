#!/usr/bin/env node
// The Chromium side of the face speed benchmark (run by speed.mjs): Debian's
// /usr/bin/chromium, headless, through playwright-core; one page on a local
// static server imports the installed package as a page without a bundler
// would ("./pkg/sealmatch.js") and face-api.js's browser build
// (face-api.esm.js, tfjs 4.22.0 inside it) with tfjs-backend-wasm's .wasm files
// and face-api's models, all served from bench/face/node_modules: nothing is
// downloaded. Prints one JSON line.
//
//   node bench/face/speed-browser.mjs FRAMES.bin PROJECT_DIR
//
// Also records what `init()` alone fetches (the fingerprint-only path must not
// fetch the face weights) and what `initFace()` fetches next. The page is not
// cross-origin isolated, so tfjs-wasm runs SIMD on one thread, as in Node and
// as sealmatch does; performance.now() is then coarse (100 µs), far below the
// times measured here.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPlaywright, serveFiles } from "../wasm/harness.mjs";
import { CHROMIUM_ARGS } from "../../tests/chromium-args.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const MODULES = join(HERE, "node_modules");
const DETECTORS = ["ssd", "tiny"];

const [framesPath, projectDir] = process.argv.slice(2);
if (!framesPath || !projectDir) {
  console.error("usage: node bench/face/speed-browser.mjs FRAMES.bin PROJECT_DIR");
  process.exit(2);
}
const faceApiDir = join(MODULES, "@vladmandic", "face-api");
const withFaceApi = existsSync(join(faceApiDir, "dist", "face-api.esm.js"));
const server = await serveFiles({
  page: '<!doctype html><meta charset="utf-8"><title>sealmatch face speed</title>',
  roots: [
    ["/pkg/", join(projectDir, "node_modules", "sealmatch")],
    ["/bench/", HERE],
    ["/faceapi/", join(faceApiDir, "dist")],
    ["/models/", join(faceApiDir, "model")],
    ["/tfjs-wasm/", join(MODULES, "@tensorflow", "tfjs-backend-wasm", "dist")],
    ["/frames/", dirname(framesPath)],
  ],
});
const framesUrl = `/frames/${framesPath.split("/").pop()}`;
const fetched = () => Object.fromEntries(server.served);

const { chromium } = loadPlaywright();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${server.origin}/`);
  const runtime = `Chromium ${browser.version()}`;

  // The fingerprint-only path: init() alone.
  const before = new Set(server.served.keys());
  await page.evaluate(async () => {
    window.sm = await import("./pkg/sealmatch.js");
    await window.sm.default();
  });
  const initFetched = Object.fromEntries([...server.served].filter(([p]) => !before.has(p)));
  const afterInit = new Set(server.served.keys());
  await page.evaluate(() => window.sm.initFace());
  const initFaceFetched = Object.fromEntries([...server.served].filter(([p]) => !afterInit.has(p)));

  const ours = await page.evaluate(async (url) => {
    const w = await import("./bench/speed-workload.mjs");
    window.frames = w.framesOf(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    const steps = await w.timeSteps(window.frames, w.oursSteps(window.sm));
    return { engine: "sealmatch", frames: window.frames.length, usable: { whole: w.oursUsable(window.sm, window.frames) }, steps };
  }, framesUrl);

  let faceapi = null;
  if (withFaceApi) {
    faceapi = await page.evaluate(async (detectors) => {
      const w = await import("./bench/speed-workload.mjs");
      const { faceApiHandle } = await import("./bench/faceapi-capture.mjs");
      const faceapi = await import("./faceapi/face-api.esm.js");
      const tf = faceapi.tf;
      tf.setWasmPaths("/tfjs-wasm/");
      await tf.setBackend("wasm");
      await tf.ready();
      for (const d of detectors) await (d === "tiny" ? faceapi.nets.tinyFaceDetector : faceapi.nets.ssdMobilenetv1).loadFromUri("/models");
      await faceapi.nets.faceLandmark68Net.loadFromUri("/models");
      await faceapi.nets.faceRecognitionNet.loadFromUri("/models");
      const api = faceApiHandle(tf, faceapi);
      const steps = await w.timeSteps(window.frames, w.faceApiSteps(api, detectors));
      const usable = {};
      for (const d of detectors) usable[d] = await w.faceApiUsable(api, d, window.frames);
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
      return {
        engine: `face-api.js ${faceapi.version} (tfjs-wasm ${tf.version_core}, backend ${tf.getBackend()}, simd ${simd}, threads ${threads})`,
        frames: window.frames.length,
        usable,
        steps,
      };
    }, DETECTORS);
  }
  if (problems.length) throw new Error(`page errors: ${problems.join("; ")}`);
  console.log(JSON.stringify({ runtime, ours, faceapi, initFetched, initFaceFetched, served: fetched() }));
} finally {
  await browser.close();
  server.close();
}
