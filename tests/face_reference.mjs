#!/usr/bin/env node
// Reference outputs of face-api.js's networks (@vladmandic/face-api on
// tfjs) on fixed synthetic inputs, for the Rust parity test
// tests/face_parity.rs. No photo is used: the inputs are drawn here.
//
//   node tests/face_reference.mjs [--backend cpu|wasm]
//
// Writes target/face/reference/{detector,landmarks,recognition}.json, each
// with the input pixels (RGB bytes, hex) and the outputs.

import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { drawFace } from "./face_draw.mjs";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "target/face/reference");
const modelDir = join(root, "node_modules/@vladmandic/face-api/model");
const backend = process.argv.includes("--backend") ? process.argv[process.argv.indexOf("--backend") + 1] : "cpu";

const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");
const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js");

function tensor(px, width, height) {
  return tf.tensor3d(Float32Array.from(px), [height, width, 3], "float32");
}

function write(name, value) {
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(value));
}

async function main() {
  await tf.setBackend(backend);
  await tf.ready();
  mkdirSync(outDir, { recursive: true });
  const nets = faceapi.nets;
  await nets.tinyFaceDetector.loadFromDisk(modelDir);
  await nets.faceLandmark68TinyNet.loadFromDisk(modelDir);
  await nets.faceLandmark68Net.loadFromDisk(modelDir);
  await nets.faceRecognitionNet.loadFromDisk(modelDir);

  // Detector: square inputs at the network size (no resize) and a 640x480
  // frame (padding and resize), raw outputs and the boxes after NMS.
  const detector = [];
  const frames = [
    { width: 416, height: 416, size: 416, faces: [{ cx: 200, cy: 210, s: 150 }], seed: 1 },
    { width: 320, height: 320, size: 320, faces: [{ cx: 100, cy: 120, s: 70 }, { cx: 230, cy: 170, s: 110 }], seed: 2 },
    { width: 640, height: 480, size: 416, faces: [{ cx: 330, cy: 230, s: 170 }], seed: 3 },
    { width: 480, height: 640, size: 224, faces: [{ cx: 240, cy: 300, s: 200 }], seed: 4 },
  ];
  for (const f of frames) {
    const px = drawFace(f.width, f.height, f.faces, f.seed);
    const input = tensor(px, f.width, f.height);
    const raw = await nets.tinyFaceDetector.forward(input, f.size);
    const dets = await nets.tinyFaceDetector.locateFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize: f.size, scoreThreshold: 0.05 }));
    detector.push({
      width: f.width,
      height: f.height,
      size: f.size,
      rgb: Buffer.from(px).toString("hex"),
      raw_shape: raw.shape.slice(1),
      raw: Array.from(await raw.data()),
      min_score: 0.05,
      detections: dets.map((d) => ({ score: d.score, x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height })),
    });
    raw.dispose();
    input.dispose();
  }
  write("detector", detector);

  // Landmarks: 112x112 crops, the net's 136 outputs (relative to the crop).
  const landmarks = [];
  for (const [seed, s] of [[11, 80], [12, 95]]) {
    const px = drawFace(112, 112, [{ cx: 56, cy: 58, s }], seed);
    const input = tensor(px, 112, 112);
    const out = {};
    for (const [key, net] of [["tiny", nets.faceLandmark68TinyNet], ["full", nets.faceLandmark68Net]]) {
      const t = await net.forward(input);
      out[key] = Array.from(await t.data());
      t.dispose();
    }
    landmarks.push({ width: 112, height: 112, rgb: Buffer.from(px).toString("hex"), ...out });
    input.dispose();
  }
  write("landmarks", landmarks);

  // Recognition: 150x150 chips, the raw 128-d descriptors.
  const recognition = [];
  for (const [seed, s] of [[21, 100], [22, 110], [23, 90]]) {
    const px = drawFace(150, 150, [{ cx: 75, cy: 80, s }], seed);
    const input = tensor(px, 150, 150);
    const d = await nets.faceRecognitionNet.computeFaceDescriptor(input);
    recognition.push({ width: 150, height: 150, rgb: Buffer.from(px).toString("hex"), descriptor: Array.from(d) });
    input.dispose();
  }
  write("recognition", recognition);
  console.log(`face reference (${tf.getBackend()}): ${detector.length} detector, ${landmarks.length} landmark, ${recognition.length} recognition inputs -> ${outDir}`);
}

await main();
