// What the JavaScript engine can run, probed before any .wasm is fetched: the
// entry modules (sealmatch.js, sealmatch.node.js) pick the SIMD build
// (sealmatch_core_bg.wasm) where WebAssembly SIMD validates, else the
// non-SIMD build (sealmatch_core_nosimd_bg.wasm) of the same code; an engine
// without WebAssembly, or without a feature both builds need, is refused at
// `init()` with a message naming what is missing.
//
// Each probe is the smallest module using one feature, passed to
// `WebAssembly.validate` (which compiles nothing and never throws on a
// well-formed buffer).

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module: the header, then its sections' bytes. */
const probe = (...bytes) => new Uint8Array([...HEADER, ...bytes]);

/** `(func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)` */
const SIMD = probe(1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11);

/**
 * The WebAssembly features rustc enables by default for wasm32 (both builds
 * use them; scripts/build-pkg.sh validates the modules with exactly these),
 * each with its probe. Mutable globals are left out: the module neither
 * imports nor exports one.
 */
const REQUIRED = [
  // (memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.copy)
  ["bulk memory operations", probe(1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1, 10, 14, 1, 12, 0, 65, 0, 65, 0, 65, 0, 252, 10, 0, 0, 11)],
  // (func (result i32) i32.const 0 i32.extend8_s)
  ["sign-extension operators", probe(1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 10, 7, 1, 5, 0, 65, 0, 192, 11)],
  // (func (result i32) f32.const 0 i32.trunc_sat_f32_s)
  ["non-trapping float-to-int conversions", probe(1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 10, 11, 1, 9, 0, 67, 0, 0, 0, 0, 252, 0, 11)],
  // (func (result externref) ref.null extern)
  ["reference types", probe(1, 5, 1, 96, 0, 1, 111, 3, 2, 1, 0, 10, 6, 1, 4, 0, 208, 111, 11)],
  // (func (result i32 i32) i32.const 0 i32.const 0)
  ["multi-value", probe(1, 6, 1, 96, 0, 2, 127, 127, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 65, 0, 11)],
];

/**
 * What this engine can run.
 *
 * `missing` names the first capability sealmatch needs and the engine lacks
 * (null when nothing is missing); `simd` says whether WebAssembly SIMD
 * validates, that is whether the SIMD build can be used.
 *
 * @example
 * const { missing, simd } = engineCaps();
 * // in Chromium, Firefox, Safari 16.4+ and Node 20: { missing: null, simd: true }
 * @returns {{ missing: string | null, simd: boolean }}
 */
export function engineCaps() {
  const wasm = globalThis.WebAssembly;
  if (typeof wasm !== "object" || wasm === null || typeof wasm.validate !== "function") {
    return { missing: "WebAssembly", simd: false };
  }
  const absent = REQUIRED.find(([, bytes]) => !wasm.validate(bytes));
  if (absent) return { missing: `WebAssembly ${absent[0]}`, simd: false };
  return { missing: null, simd: wasm.validate(SIMD) };
}

/**
 * The message `init()` rejects with when `missing` (from `engineCaps`) is set.
 * @param {string} missing
 */
export function missingMessage(missing) {
  return `this JavaScript engine cannot run sealmatch: it has no ${missing}`;
}
