#!/usr/bin/env node
// Converts the face models that ship in the npm package @vladmandic/face-api
// (MIT; a devDependency pinned in package.json) into sealmatch's own weights
// file, read by src/face/weights.rs.
//
//   node scripts/face-models.mjs [--all] [out.bin]   (default target/face/sealmatch-face.bin)
//
// The file holds the tiny face detector, the tiny 68-point landmark network
// and the recognition network; --all adds the full landmark network (for
// measurements: the tiny one was as accurate on the development pairs).
//
// Nothing is downloaded: the script reads the tfjs weight manifests and .bin
// shards from node_modules/@vladmandic/face-api/model/ only.
//
// File format, version 1 (all integers little-endian):
//
//   offset  size  field
//   0       8     magic "SMFACEW\0"
//   8       4     u32 format version (1)
//   12      4     u32 number of tensors N (at most 1024)
//   16      ...   N tensor records, each:
//                   u16 name length L (1..=128), L bytes ASCII name "<net>/<tfjs name>"
//                   u8  dtype: 1 = f32, 2 = u8 affine-quantised (value = q * scale + min)
//                   u8  rank R (1..=4), then R x u32 dimensions
//                   dtype 2 only: f64 scale, f64 min (the manifest's numbers, unrounded,
//                   so value = f32(q * scale + min) in double as tfjs computes it)
//                   the elements, row-major in the tfjs (HWIO for filters) order:
//                   4 bytes each for f32, 1 byte each for u8
//   end-32  32    SHA-256 of every byte before it
//
// uint8 quantisation is kept as the source has it (no re-quantisation), so
// the loader reproduces tfjs's dequantised values exactly.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modelDir = join(root, "node_modules/@vladmandic/face-api/model");
const args = process.argv.slice(2);
const all = args.includes("--all");
const out = args.find((a) => !a.startsWith("--")) ?? join(root, "target/face/sealmatch-face.bin");

/** The networks taken, as (prefix in the weights file, tfjs model name). */
export const NETS = [
  ["detector", "tiny_face_detector_model"],
  ["landmarks_tiny", "face_landmark_68_tiny_model"],
  ["recognition", "face_recognition_model"],
];
/** Added by --all. */
const EXTRA_NETS = [["landmarks", "face_landmark_68_model"]];

const MAGIC = Buffer.from("SMFACEW\0", "latin1");
const VERSION = 1;
const DTYPE_F32 = 1;
const DTYPE_U8 = 2;

/** Reads one tfjs model: its manifest and shards, as records of raw bytes. */
function readModel(prefix, name) {
  const manifest = JSON.parse(readFileSync(join(modelDir, `${name}-weights_manifest.json`), "utf8"));
  const records = [];
  for (const group of manifest) {
    const data = Buffer.concat(group.paths.map((p) => readFileSync(join(modelDir, p))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== "float32") throw new Error(`${name}: ${w.name}: dtype ${w.dtype} not supported`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      if (q && q.dtype !== "uint8") throw new Error(`${name}: ${w.name}: quantisation ${q.dtype} not supported`);
      const bytes = count * (q ? 1 : 4);
      if (offset + bytes > data.length) throw new Error(`${name}: shards shorter than the manifest says`);
      records.push({ name: `${prefix}/${w.name}`, shape: w.shape, quant: q ?? null, data: data.subarray(offset, offset + bytes) });
      offset += bytes;
    }
    if (offset !== data.length) throw new Error(`${name}: ${data.length - offset} bytes left over after the manifest's weights`);
  }
  return records;
}

function u8(v) { return Buffer.from([v]); }
function u16(v) { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; }
function u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; }
function f64(v) { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; }

/** Serialises the records into the format described above. */
export function encode(records) {
  const parts = [MAGIC, u32(VERSION), u32(records.length)];
  for (const r of records) {
    const name = Buffer.from(r.name, "ascii");
    if (name.length < 1 || name.length > 128) throw new Error(`name too long: ${r.name}`);
    if (r.shape.length < 1 || r.shape.length > 4) throw new Error(`rank not supported: ${r.name}`);
    parts.push(u16(name.length), name, u8(r.quant ? DTYPE_U8 : DTYPE_F32), u8(r.shape.length));
    for (const d of r.shape) parts.push(u32(d));
    if (r.quant) parts.push(f64(r.quant.scale), f64(r.quant.min));
    parts.push(r.data);
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const nets = all ? [...NETS, ...EXTRA_NETS] : NETS;
  const records = nets.flatMap(([prefix, name]) => readModel(prefix, name));
  const file = encode(records);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, file);
  const digest = file.subarray(file.length - 32).toString("hex");
  console.log(`face-models: ${records.length} tensors, ${file.length} bytes, sha256 ${digest.slice(0, 16)}... -> ${out}`);
}
