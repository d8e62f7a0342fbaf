// Run by engine-caps.test.mjs in a fresh Node process: stands in for an
// engine without some capability, imports the installed package (argv[2], a
// file URL), runs `init()` and prints one JSON line: the scores of
// score-job.mjs, or the rejection's code and message.
//
// Modes (argv[3]): "as-is"; "no-simd" (WebAssembly.validate refuses any
// module using the v128 type, as an engine without SIMD does); "no-wasm"
// (no WebAssembly global); "no-bulk-memory" (validate refuses memory.copy).

import { drawFaceRgba } from "../face_draw.mjs";
import { fixture } from "./support.mjs";
import { FACE_FRAMES, scoreJob } from "./score-job.mjs";

const [, , url, mode] = process.argv;

/** Makes `WebAssembly.validate` refuse modules whose bytes match `refuses`. */
function refuse(refuses) {
  const validate = WebAssembly.validate;
  WebAssembly.validate = (bytes) => !refuses(new Uint8Array(ArrayBuffer.isView(bytes) ? bytes.buffer : bytes)) && validate(bytes);
}
const has = (bytes, seq) => bytes.some((_, i) => seq.every((b, k) => bytes[i + k] === b));

if (mode === "no-simd") refuse((b) => b.includes(0x7b)); // v128 value type
else if (mode === "no-bulk-memory") refuse((b) => has(b, [0xfc, 0x0a])); // memory.copy
else if (mode === "no-wasm") delete globalThis.WebAssembly;
else if (mode !== "as-is") throw new Error(`unknown mode ${mode}`);

const sm = await import(url);
try {
  await sm.default();
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message }));
  process.exit(0);
}
await sm.initFace();
const fingers = {};
for (const f of [1, 2, 3]) for (const i of [1, 2, 3]) fingers[`10${f}_${i}`] = await fixture(`10${f}_${i}`);
const faces = FACE_FRAMES.map(([spec, seed]) => ({ width: 320, height: 240, rgba: drawFaceRgba(320, 240, spec, seed) }));
console.log(JSON.stringify({ scores: scoreJob(sm, { fingers, faces }) }));
