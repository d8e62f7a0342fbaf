#!/usr/bin/env node
// The Node side of the face speed benchmark (run by speed.mjs): times the
// frames with one engine and prints one JSON line.
//
//   node bench/face/speed-node.mjs sealmatch FRAMES.bin PROJECT_DIR   # the packed package installed in PROJECT_DIR
//   node bench/face/speed-node.mjs faceapi FRAMES.bin                 # face-api.js (bench/face/node_modules)
//
// FRAMES.bin: 640×480 RGBA frames back to back (speed-workload.mjs).
// Exit code 3 when face-api.js is not installed.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadFaceApi } from "./faceapi-node.mjs";
import { faceApiSteps, faceApiUsable, framesOf, oursSteps, oursUsable, timeSteps } from "./speed-workload.mjs";

const DETECTORS = ["ssd", "tiny"];

async function main([engine, framesPath, projectDir]) {
  const frames = framesOf(new Uint8Array(readFileSync(framesPath)));
  const runtime = `Node ${process.versions.node}`;
  if (engine === "sealmatch") {
    const sm = await import(pathToFileURL(join(projectDir, "entry.mjs")).href);
    await sm.default();
    await sm.initFace();
    const steps = await timeSteps(frames, oursSteps(sm));
    return { runtime, engine, frames: frames.length, usable: { whole: oursUsable(sm, frames) }, steps };
  }
  if (engine === "faceapi") {
    const api = await loadFaceApi({ detectors: DETECTORS });
    if (api === null) return 3;
    const steps = await timeSteps(frames, faceApiSteps(api, DETECTORS));
    const usable = {};
    for (const d of DETECTORS) usable[d] = await faceApiUsable(api, d, frames);
    const v = api.versions;
    return { runtime, engine: `face-api.js ${v.faceapi} (tfjs-wasm ${v.wasm}, simd ${v.simd}, ${v.threads} thread)`, frames: frames.length, usable, steps };
  }
  console.error("usage: node bench/face/speed-node.mjs sealmatch|faceapi FRAMES.bin [PROJECT_DIR]");
  return 2;
}

const result = await main(process.argv.slice(2));
if (typeof result === "number") process.exitCode = result;
else console.log(JSON.stringify(result));
