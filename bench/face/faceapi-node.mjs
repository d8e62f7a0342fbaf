// face-api.js in Node: tfjs on its WASM backend (SIMD, one thread; the .wasm
// files and the models from the npm packages installed in bench/face, never
// downloaded), for the accuracy peer (faceapi-peer.mjs) and the speed
// benchmark (speed-node.mjs).
//
// Example:
//   const api = await loadFaceApi({ detectors: ["ssd", "tiny"] });   // null when not installed
//   api.use("tiny");                  // api.detectorOptions for that detector
//   await capture(api, img);          // faceapi-capture.mjs

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { faceApiHandle } from "./faceapi-capture.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Loads tfjs-wasm and face-api with `detectors` ("ssd", "tiny"; the first is
 * in use), the 68-point landmarks (tiny with `tinyLandmarks`) and the
 * recognition network. Resolves to null (after saying what to install) when the
 * npm packages are missing.
 */
export async function loadFaceApi({ detectors = ["ssd"], tinyLandmarks = false, minConfidence = 0.5, tinyInputSize = 416 } = {}) {
  const require = createRequire(join(HERE, "package.json"));
  let tf, wasm, faceapi;
  try {
    tf = require("@tensorflow/tfjs");
    wasm = require("@tensorflow/tfjs-backend-wasm");
    faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js");
  } catch (e) {
    console.error(`face-api: the npm packages are missing (${e.code ?? e.message}); run: (cd bench/face && npm ci)`);
    return null;
  }
  const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  wasm.setWasmPaths(wasmDir + "/");
  await tf.setBackend("wasm");
  await tf.ready();
  const modelDir = join(dirname(require.resolve("@vladmandic/face-api/package.json")), "model");
  for (const d of detectors) await (d === "tiny" ? faceapi.nets.tinyFaceDetector : faceapi.nets.ssdMobilenetv1).loadFromDisk(modelDir);
  await (tinyLandmarks ? faceapi.nets.faceLandmark68TinyNet : faceapi.nets.faceLandmark68Net).loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const versions = {
    faceapi: require("@vladmandic/face-api/package.json").version,
    tfjs: tf.version.tfjs,
    wasm: require("@tensorflow/tfjs-backend-wasm/package.json").version,
    simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
    threads: wasm.getThreadsCount(),
  };
  const api = Object.assign(faceApiHandle(tf, faceapi, { minConfidence, tinyInputSize }), { require, versions });
  return api.use(detectors[0]);
}
