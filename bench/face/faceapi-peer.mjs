#!/usr/bin/env node
// face-api.js peer of sealmatch's face accuracy benchmark: @vladmandic/face-api
// 1.7.15 on @tensorflow/tfjs-backend-wasm (SIMD, one thread) in Node.
//
//   (cd bench/face && npm ci)      # once
//   node bench/face/faceapi-peer.mjs [--out PATH] [--limit N] [--detector ssd|tiny]
//        [--pad F] [--min-confidence C] [--tiny-input-size N] [--tiny-landmarks]
//        [--frames N] [--data DIR] [--no-summary]
//
// Protocol (../shared/data/faces/README.md): each pair of pairs-dev.tsv once,
// path_a enrolled alone, path_b verified. One 128-d descriptor per photo, made
// once and kept in memory: the photo padded with a grey border of --pad of its
// size on each side (default 0.5: 150×150 → 300×300, so the face fills as
// little of the picture as in a camera frame, which SSD needs), the detector
// (default SSD MobileNet v1 at confidence 0.5), the most prominent face (among
// faces at least half as wide as the widest, the one nearest the centre), the
// 68-point landmarks, face-api's alignment and its ResNet descriptor.
// Score = 1 − euclidean distance (higher = more alike; face-api's usual 0.6
// distance is score 0.4). A photo without a detected face is a failure to
// detect (counted); its pairs score -inf.
//
// Writes the score file (scorefile.mjs) to --out (default
// /tmp/sealmatch-face/faceapi.tsv) and prints the table (summarize.mjs).
// Times: per photo, detection + landmarks + descriptor (decoding and padding
// excluded); per synthetic 640×480 frame (image.mjs: a photo enlarged 3×
// on grey, not padded), detection alone and the whole capture.
// Exit codes: 0 done, or skipped when the data folder is absent; 2 usage;
// 3 the npm packages are not installed.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { facesDir, limitPairs, photosOf, readPairs, PAIRS_FILE } from "./dataset.mjs";
import { capture } from "./faceapi-capture.mjs";
import { loadFaceApi } from "./faceapi-node.mjs";
import { pad, syntheticFrame } from "./image.mjs";
import { readScores, writeScores } from "./scorefile.mjs";
import { formatTable } from "./summarize.mjs";
import { median, p95 } from "./timing.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

const OPTIONS = {
  data: { type: "string" },
  out: { type: "string", default: "/tmp/sealmatch-face/faceapi.tsv" },
  limit: { type: "string", default: "0" },
  detector: { type: "string", default: "ssd" },
  pad: { type: "string", default: "0.5" },
  "min-confidence": { type: "string", default: "0.5" },
  "tiny-input-size": { type: "string", default: "416" },
  "tiny-landmarks": { type: "boolean", default: false },
  frames: { type: "string", default: "20" },
  "no-summary": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
};

function distance(a, b) {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s);
}

function parseOptions(argv) {
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  const num = (name) => {
    const v = Number(values[name]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return v;
  };
  if (!["ssd", "tiny"].includes(values.detector)) throw new Error("--detector must be ssd or tiny");
  return {
    help: values.help,
    data: values.data,
    out: values.out,
    limit: Math.floor(num("limit")),
    detector: values.detector,
    pad: num("pad"),
    minConfidence: num("min-confidence"),
    tinyInputSize: Math.floor(num("tiny-input-size")),
    tinyLandmarks: values["tiny-landmarks"],
    frames: Math.floor(num("frames")),
    summary: !values["no-summary"],
  };
}

async function main(argv) {
  let opts;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    console.error(`face-api peer: ${e.message}`);
    return 2;
  }
  if (opts.help) {
    const header = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 28);
    console.log(header.map((line) => line.replace(/^\/\/ ?/, "")).join("\n"));
    return 0;
  }
  const dir = facesDir(opts.data);
  if (dir === null) {
    console.log(`face-api peer: skipped: the face data (../shared/data/faces/${PAIRS_FILE}, or $SEALMATCH_FACES) is absent`);
    return 0;
  }
  if (!existsSync(join(HERE, "node_modules"))) {
    console.error("face-api peer: the npm packages are missing; run: (cd bench/face && npm ci)");
    return 3;
  }
  const api = await loadFaceApi({
    detectors: [opts.detector],
    tinyLandmarks: opts.tinyLandmarks,
    minConfidence: opts.minConfidence,
    tinyInputSize: opts.tinyInputSize,
  });
  if (api === null) return 3;
  const jpeg = api.require("jpeg-js");
  const decodeJpeg = (bytes) => {
    const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
    return { width, height, data };
  };

  const pairs = limitPairs(readPairs(dir), opts.limit);
  const photos = photosOf(pairs);
  console.error(`face-api peer: ${pairs.length} pairs, ${photos.length} photos`);
  const descriptors = new Map();
  const photoMs = [];
  const start = performance.now();
  for (const [n, rel] of photos.entries()) {
    const img = pad(decodeJpeg(readFileSync(join(dir, rel))), opts.pad);
    const { descriptor, totalMs } = await capture(api, img, { tinyLandmarks: opts.tinyLandmarks });
    descriptors.set(rel, descriptor);
    photoMs.push(totalMs);
    if ((n + 1) % 500 === 0) {
      console.error(`  ${n + 1}/${photos.length} photos, ${((performance.now() - start) / 1000).toFixed(0)} s`);
    }
  }
  const ftd = [...descriptors.values()].filter((d) => d === null).length;

  const frameDetect = [];
  const frameFull = [];
  const withFace = photos.filter((p) => descriptors.get(p) !== null).slice(0, opts.frames);
  for (const [k, rel] of withFace.entries()) {
    const frame = syntheticFrame(decodeJpeg(readFileSync(join(dir, rel))));
    if (k === 0) await capture(api, frame, { tinyLandmarks: opts.tinyLandmarks }); // warm-up at this size
    const { detectMs, totalMs } = await capture(api, frame, { tinyLandmarks: opts.tinyLandmarks });
    frameDetect.push(detectMs);
    frameFull.push(totalMs);
  }

  const v = api.versions;
  const detectorText =
    opts.detector === "tiny"
      ? `TinyFaceDetector ${opts.tinyInputSize} @${opts.minConfidence}`
      : `SSD MobileNet v1 @${opts.minConfidence}`;
  const facts = {
    peer: `face-api.js ${v.faceapi} (tfjs-wasm ${v.wasm}, simd ${v.simd}, ${v.threads} thread)`,
    config: `${detectorText}, pad ${opts.pad}, ${opts.tinyLandmarks ? "tiny " : ""}68-point; score 1-dist`,
    pairs: pairs.length,
    photos: photos.length,
    ftd,
    photo_ms_median: median(photoMs).toFixed(2),
    photo_ms_p95: p95(photoMs).toFixed(2),
    frames: frameDetect.length,
  };
  if (frameDetect.length > 0) {
    Object.assign(facts, {
      frame_detect_ms_median: median(frameDetect).toFixed(2),
      frame_detect_ms_p95: p95(frameDetect).toFixed(2),
      frame_full_ms_median: median(frameFull).toFixed(2),
      frame_full_ms_p95: p95(frameFull).toFixed(2),
    });
  }
  const scored = pairs.map(({ a, b, genuine }) => {
    const da = descriptors.get(a);
    const db = descriptors.get(b);
    return { a, b, genuine, score: da && db ? 1 - distance(da, db) : -Infinity };
  });
  writeScores(opts.out, facts, scored);
  console.error(`face-api peer: wrote ${opts.out}`);
  if (opts.summary) console.log(formatTable([readScores(opts.out)]));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
