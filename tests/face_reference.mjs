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

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "target/face/reference");
const modelDir = join(root, "node_modules/@vladmandic/face-api/model");
const backend = process.argv.includes("--backend") ? process.argv[process.argv.indexOf("--backend") + 1] : "cpu";

const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");
const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js");

/** A small deterministic generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws a frontal cartoon face (skin ellipse, hair, eyes, brows, nose,
 * mouth) of width `s` centred at (cx, cy) on a textured background; RGB bytes.
 */
export function drawFace(width, height, faces, seed) {
  const rnd = rng(seed);
  const px = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const n = rnd() * 30;
      px[i] = 60 + (x * 90) / width + n;
      px[i + 1] = 80 + (y * 60) / height + n;
      px[i + 2] = 110 + n;
    }
  }
  const inEllipse = (x, y, ex, ey, rx, ry) => ((x - ex) / rx) ** 2 + ((y - ey) / ry) ** 2 <= 1;
  for (const { cx, cy, s } of faces) {
    const parts = [
      // [centre x, centre y, radius x, radius y] in face widths, colour
      [[0, -0.12, 0.56, 0.62], [60, 40, 30]], // hair
      [[0, 0.05, 0.5, 0.64], [205, 160, 130]], // skin
      [[-0.2, -0.08, 0.11, 0.05], [245, 245, 240]], // eye whites
      [[0.2, -0.08, 0.11, 0.05], [245, 245, 240]],
      [[-0.2, -0.08, 0.05, 0.05], [50, 35, 25]], // irises
      [[0.2, -0.08, 0.05, 0.05], [50, 35, 25]],
      [[-0.2, -0.2, 0.13, 0.03], [70, 45, 30]], // brows
      [[0.2, -0.2, 0.13, 0.03], [70, 45, 30]],
      [[0, 0.1, 0.06, 0.1], [185, 135, 110]], // nose
      [[0, 0.32, 0.17, 0.05], [170, 70, 70]], // mouth
    ];
    for (const [[ex, ey, rx, ry], col] of parts) {
      const [x0, x1] = [Math.floor(cx + (ex - rx) * s), Math.ceil(cx + (ex + rx) * s)];
      const [y0, y1] = [Math.floor(cy + (ey - ry) * s), Math.ceil(cy + (ey + ry) * s)];
      for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
        for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
          if (inEllipse(x, y, cx + ex * s, cy + ey * s, rx * s, ry * s)) {
            const i = (y * width + x) * 3;
            const n = (rnd() - 0.5) * 16;
            for (let c = 0; c < 3; c++) px[i + c] = Math.max(0, Math.min(255, col[c] + n));
          }
        }
      }
    }
  }
  return px;
}

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
