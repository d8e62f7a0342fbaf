// @ts-check
/**
 * A small QR code encoder (ISO/IEC 18004): byte and alphanumeric modes, error
 * correction level M, versions 1–40 (up to 2,331 bytes or 3,391 alphanumeric
 * characters), automatic or forced mask. Pure JavaScript with
 * no DOM use, so the same module runs in the page and in Node tests.
 *
 * A passenger key (53 ASCII characters) fits version 4-M (62 bytes).
 *
 * @example
 * import { encodeQr } from "./qr.js";
 * const qr = encodeQr("smk1_...");
 * qr.size;            // 33 for version 4
 * qr.get(0, 0);       // true: top-left finder pattern is dark
 */

/**
 * Level M per version (index 1..40, ISO/IEC 18004 Table 9): error-correction
 * codewords per block, and the number of blocks.
 */
const EC_PER_BLOCK_M = [0,
  10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
  26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
const BLOCK_COUNT_M = [0,
  1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
  17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];

/**
 * Codewords of a version's symbol (data and error correction): the modules
 * left after the function patterns, 8 a codeword.
 * @param {number} version
 */
function totalCodewords(version) {
  let bits = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const n = Math.floor(version / 7) + 2;
    bits -= (25 * n - 10) * n - 55;
    if (version >= 7) bits -= 36;
  }
  return Math.floor(bits / 8);
}

/**
 * Level M block structure of a version: error-correction codewords per block,
 * and the block groups as [count, data codewords per block] (shorter blocks first).
 * @param {number} version 1..40
 * @returns {{ ec: number, groups: Array<[number, number]> }}
 */
export function blocksM(version) {
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) throw new RangeError("unsupported version");
  const ec = EC_PER_BLOCK_M[version];
  const blocks = BLOCK_COUNT_M[version];
  const total = totalCodewords(version);
  const shortLen = Math.floor(total / blocks) - ec;
  const longCount = total % blocks;
  /** @type {Array<[number, number]>} */
  const groups = [[blocks - longCount, shortLen]];
  if (longCount) groups.push([longCount, shortLen + 1]);
  return { ec, groups };
}

/**
 * Centre coordinates of alignment patterns (one axis) of a version.
 * @param {number} version
 * @returns {number[]}
 */
function alignmentCentres(version) {
  if (version === 1) return [];
  const n = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + n * 3 + 5) / (n * 4 - 4)) * 2;
  const out = [];
  for (let i = 0, pos = version * 4 + 10; i < n - 1; i++, pos -= step) out.unshift(pos);
  out.unshift(6);
  return out;
}

/** Most versions this encoder supports. */
export const MAX_VERSION = 40;

/** Level M's two format bits. */
const EC_LEVEL_M_BITS = 0b00;

// ---------------------------------------------------------------- GF(256)

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}

/** @param {number} a @param {number} b */
function gfMul(a, b) {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

/**
 * Generator polynomial of degree n, coefficients highest first without the
 * leading 1: product of (x - α^i) for i in 0..n-1.
 * @param {number} n
 */
function rsGenerator(n) {
  let poly = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] ^= poly[j];
      next[j + 1] ^= gfMul(poly[j], EXP[i]);
    }
    poly = next;
  }
  return poly.slice(1);
}

/**
 * Reed–Solomon remainder: the n error-correction codewords of `data`.
 * @param {number[]} data
 * @param {number} n
 */
export function rsRemainder(data, n) {
  const gen = rsGenerator(n);
  const rem = new Array(n).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift();
    rem.push(0);
    for (let i = 0; i < n; i++) rem[i] ^= gfMul(gen[i], factor);
  }
  return rem;
}

// ---------------------------------------------------------------- data

/** @param {number} version */
function dataCapacity(version) {
  return blocksM(version).groups.reduce((sum, [count, len]) => sum + count * len, 0);
}

/** The characters of alphanumeric mode, in code order. */
export const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/**
 * A payload in one mode: byte (any bytes) or alphanumeric (only
 * {@link ALPHANUMERIC}, 5.5 bits a character instead of 8).
 * @typedef {{ mode: "byte", bytes: Uint8Array } | { mode: "alphanumeric", text: string }} Segment
 */

/** Bits of the character count field. @param {Segment["mode"]} mode @param {number} version */
function countBits(mode, version) {
  const band = version < 10 ? 0 : version < 27 ? 1 : 2;
  return (mode === "alphanumeric" ? [9, 11, 13] : [8, 16, 16])[band];
}

/** @param {Segment} seg */
function segmentLength(seg) {
  return seg.mode === "byte" ? seg.bytes.length : seg.text.length;
}

/** Bits of a segment: mode, count, data. @param {Segment} seg @param {number} version */
function segmentBits(seg, version) {
  const n = segmentLength(seg);
  const data = seg.mode === "byte" ? 8 * n : 11 * Math.floor(n / 2) + 6 * (n % 2);
  return 4 + countBits(seg.mode, version) + data;
}

/** Whether a segment fits a version at level M. @param {Segment} seg @param {number} version */
function fits(seg, version) {
  return segmentLength(seg) < 2 ** countBits(seg.mode, version) && segmentBits(seg, version) <= dataCapacity(version) * 8;
}

/**
 * Largest byte-mode payload of a version at level M.
 * @param {number} version 1..40
 */
export function byteCapacity(version) {
  return Math.floor((dataCapacity(version) * 8 - 4 - countBits("byte", version)) / 8);
}

/**
 * Largest alphanumeric-mode payload (characters) of a version at level M.
 * @param {number} version 1..40
 */
export function alphanumericCapacity(version) {
  const bits = dataCapacity(version) * 8 - 4 - countBits("alphanumeric", version);
  return 2 * Math.floor(bits / 11) + (bits % 11 >= 6 ? 1 : 0);
}

/**
 * The data codewords: mode, count, data, terminator, padding.
 * @param {Segment} seg
 * @param {number} version
 */
function dataCodewords(seg, version) {
  /** @type {number[]} */
  const bits = [];
  const put = (/** @type {number} */ value, /** @type {number} */ len) => {
    for (let i = len - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  if (seg.mode === "byte") {
    put(0b0100, 4);
    put(seg.bytes.length, countBits("byte", version));
    for (const b of seg.bytes) put(b, 8);
  } else {
    put(0b0010, 4);
    put(seg.text.length, countBits("alphanumeric", version));
    const code = (/** @type {number} */ i) => ALPHANUMERIC.indexOf(seg.text[i]);
    for (let i = 0; i + 1 < seg.text.length; i += 2) put(code(i) * 45 + code(i + 1), 11);
    if (seg.text.length % 2) put(code(seg.text.length - 1), 6);
  }
  const capacityBits = dataCapacity(version) * 8;
  put(0, Math.min(4, capacityBits - bits.length));
  while (bits.length % 8) bits.push(0);
  const out = [];
  for (let i = 0; i < bits.length; i += 8) {
    let v = 0;
    for (let j = 0; j < 8; j++) v = (v << 1) | bits[i + j];
    out.push(v);
  }
  for (let pad = 0xec; out.length < capacityBits / 8; pad ^= 0xec ^ 0x11) out.push(pad);
  return out;
}

/**
 * Splits data into blocks, adds error correction and interleaves.
 * @param {number[]} data
 * @param {number} version
 */
function interleave(data, version) {
  const { ec, groups } = blocksM(version);
  /** @type {number[][]} */
  const dataBlocks = [];
  let at = 0;
  for (const [count, len] of groups) {
    for (let i = 0; i < count; i++) {
      dataBlocks.push(data.slice(at, at + len));
      at += len;
    }
  }
  const ecBlocks = dataBlocks.map((block) => rsRemainder(block, ec));
  const out = [];
  const longest = Math.max(...dataBlocks.map((b) => b.length));
  for (let i = 0; i < longest; i++) {
    for (const block of dataBlocks) if (i < block.length) out.push(block[i]);
  }
  for (let i = 0; i < ec; i++) for (const block of ecBlocks) out.push(block[i]);
  return out;
}

// ---------------------------------------------------------------- matrix

/** A square module grid plus a mask of which modules are function patterns. */
class Grid {
  /** @param {number} size */
  constructor(size) {
    this.size = size;
    this.dark = new Uint8Array(size * size);
    this.reserved = new Uint8Array(size * size);
  }
  /** @param {number} x @param {number} y @param {boolean} dark */
  fn(x, y, dark) {
    this.dark[y * this.size + x] = dark ? 1 : 0;
    this.reserved[y * this.size + x] = 1;
  }
}

/** @param {Grid} g @param {number} cx @param {number} cy */
function drawFinder(g, cx, cy) {
  for (let dy = -4; dy <= 4; dy++) {
    for (let dx = -4; dx <= 4; dx++) {
      const x = cx + dx;
      const y = cy + dy;
      if (x < 0 || y < 0 || x >= g.size || y >= g.size) continue;
      const ring = Math.max(Math.abs(dx), Math.abs(dy));
      g.fn(x, y, ring !== 2 && ring !== 4);
    }
  }
}

/** @param {Grid} g @param {number} cx @param {number} cy */
function drawAlignment(g, cx, cy) {
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      g.fn(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
}

/**
 * BCH remainder of `value` for the given generator.
 * @param {number} value @param {number} gen @param {number} genDegree
 */
function bch(value, gen, genDegree) {
  let rem = value << genDegree;
  for (let bit = 31 - Math.clz32(rem); bit >= genDegree; bit = 31 - Math.clz32(rem)) {
    rem ^= gen << (bit - genDegree);
  }
  return rem;
}

/** @param {number} mask */
export function formatBits(mask) {
  const data = (EC_LEVEL_M_BITS << 3) | mask;
  return ((data << 10) | bch(data, 0x537, 10)) ^ 0x5412;
}

/** @param {Grid} g @param {number} mask */
function drawFormat(g, mask) {
  const bits = formatBits(mask);
  const bit = (/** @type {number} */ i) => ((bits >>> i) & 1) === 1;
  const n = g.size;
  // Around the top-left finder: bits 0..7 down column 8 (skipping the timing
  // row), bits 8..14 leftwards along row 8 (skipping the timing column).
  for (let i = 0; i <= 5; i++) g.fn(8, i, bit(i));
  g.fn(8, 7, bit(6));
  g.fn(8, 8, bit(7));
  g.fn(7, 8, bit(8));
  for (let i = 9; i < 15; i++) g.fn(14 - i, 8, bit(i));
  // Second copy: bits 0..7 along row 8 from the right edge, 8..14 up column 8 at the bottom.
  for (let i = 0; i < 8; i++) g.fn(n - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) g.fn(8, n - 15 + i, bit(i));
  g.fn(8, n - 8, true); // the dark module
}

/** @param {Grid} g @param {number} version */
function drawVersion(g, version) {
  if (version < 7) return;
  const bits = (version << 12) | bch(version, 0x1f25, 12);
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    const a = g.size - 11 + (i % 3);
    const b = Math.floor(i / 3);
    g.fn(a, b, dark);
    g.fn(b, a, dark);
  }
}

/** @param {Grid} g @param {number} version */
function drawFunctionPatterns(g, version) {
  const n = g.size;
  for (let i = 0; i < n; i++) {
    g.fn(6, i, i % 2 === 0);
    g.fn(i, 6, i % 2 === 0);
  }
  drawFinder(g, 3, 3);
  drawFinder(g, n - 4, 3);
  drawFinder(g, 3, n - 4);
  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  for (let i = 0; i < centres.length; i++) {
    for (let j = 0; j < centres.length; j++) {
      const onFinder = (i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0);
      if (!onFinder) drawAlignment(g, centres[i], centres[j]);
    }
  }
  drawFormat(g, 0); // reserve the format areas; redrawn with the real mask later
  drawVersion(g, version);
}

/**
 * Places codeword bits in the zig-zag order: column pairs from the right,
 * alternately upwards and downwards, skipping the vertical timing column.
 * @param {Grid} g @param {number[]} codewords
 */
function placeData(g, codewords) {
  const n = g.size;
  let bitIndex = 0;
  const totalBits = codewords.length * 8;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((n - 1 - right) >> 1) % 2 === 0;
    for (let k = 0; k < n; k++) {
      const y = upward ? n - 1 - k : k;
      for (let dx = 0; dx < 2; dx++) {
        const x = right - dx;
        if (g.reserved[y * n + x]) continue;
        let dark = false;
        if (bitIndex < totalBits) {
          dark = ((codewords[bitIndex >> 3] >>> (7 - (bitIndex & 7))) & 1) === 1;
        }
        bitIndex++; // remainder bits stay light
        g.dark[y * n + x] = dark ? 1 : 0;
      }
    }
  }
}

/** The eight mask conditions (x = column, y = row). @type {Array<(x:number, y:number) => boolean>} */
const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** XORs the mask over the data modules (applying it twice undoes it). @param {Grid} g @param {number} mask */
function applyMask(g, mask) {
  const n = g.size;
  const cond = MASKS[mask];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (!g.reserved[y * n + x] && cond(x, y)) g.dark[y * n + x] ^= 1;
    }
  }
}

/**
 * The standard's penalty score of a finished symbol (lower is better):
 * N1 runs of five or more, N2 2×2 blocks, N3 finder-like 1:1:3:1:1 patterns
 * with four light modules on a side, N4 deviation of the dark share from 50 %.
 * @param {Uint8Array} dark @param {number} n
 */
export function penalty(dark, n) {
  let score = 0;
  const at = (/** @type {number} */ x, /** @type {number} */ y) => dark[y * n + x];
  for (let pass = 0; pass < 2; pass++) {
    // pass 0: rows, pass 1: columns
    const get = pass === 0 ? (/** @type {number} */ i, /** @type {number} */ j) => at(j, i) : (/** @type {number} */ i, /** @type {number} */ j) => at(i, j);
    for (let i = 0; i < n; i++) {
      let run = 1;
      for (let j = 1; j <= n; j++) {
        if (j < n && get(i, j) === get(i, j - 1)) {
          run++;
        } else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
      for (let j = 0; j + 7 <= n; j++) {
        const core =
          get(i, j) && !get(i, j + 1) && get(i, j + 2) && get(i, j + 3) && get(i, j + 4) && !get(i, j + 5) && get(i, j + 6);
        if (!core) continue;
        const lightRun = (/** @type {number} */ from, /** @type {number} */ to) => {
          for (let k = from; k < to; k++) if (k >= 0 && k < n && get(i, k)) return false;
          return true;
        };
        if (lightRun(j - 4, j) || lightRun(j + 7, j + 11)) score += 40;
      }
    }
  }
  for (let y = 0; y + 1 < n; y++) {
    for (let x = 0; x + 1 < n; x++) {
      const c = at(x, y);
      if (c === at(x + 1, y) && c === at(x, y + 1) && c === at(x + 1, y + 1)) score += 3;
    }
  }
  let darkCount = 0;
  for (const d of dark) darkCount += d;
  const percent = (darkCount * 100) / (n * n);
  score += 10 * Math.floor(Math.abs(percent - 50) / 5);
  return score;
}

/**
 * @typedef {object} QrCode
 * @property {number} version 1..40
 * @property {number} size modules per side (17 + 4 × version)
 * @property {number} mask 0..7, the mask used
 * @property {Uint8Array} modules row-major, 1 = dark
 * @property {(x: number, y: number) => boolean} get whether module (x, y) is dark
 */

/**
 * Encodes text or bytes as a QR code at level M, in the smallest version
 * 1..40 that holds it: text made only of {@link ALPHANUMERIC} characters in
 * alphanumeric mode, other text as UTF-8 in byte mode, bytes in byte mode.
 *
 * @param {string | Uint8Array} input
 * @param {{ mask?: number, minVersion?: number }} [options] force a mask (else the lowest penalty wins)
 * @returns {QrCode}
 * @throws {RangeError} when the input does not fit version 40
 */
export function encodeQr(input, options = {}) {
  /** @type {Segment} */
  const seg =
    typeof input === "string" && [...input].every((c) => ALPHANUMERIC.includes(c))
      ? { mode: "alphanumeric", text: input }
      : { mode: "byte", bytes: typeof input === "string" ? new TextEncoder().encode(input) : input };
  let version = Math.max(1, options.minVersion ?? 1);
  while (version <= MAX_VERSION && !fits(seg, version)) version++;
  if (version > MAX_VERSION) throw new RangeError(`QR payload too long: ${segmentLength(seg)} ${seg.mode === "byte" ? "bytes" : "characters"}`);
  const size = 17 + 4 * version;
  const codewords = interleave(dataCodewords(seg, version), version);

  const grid = new Grid(size);
  drawFunctionPatterns(grid, version);
  placeData(grid, codewords);

  let mask = options.mask ?? -1;
  if (mask < 0) {
    let best = Infinity;
    for (let m = 0; m < 8; m++) {
      applyMask(grid, m);
      drawFormat(grid, m);
      const p = penalty(grid.dark, size);
      if (p < best) {
        best = p;
        mask = m;
      }
      applyMask(grid, m);
    }
  } else if (!Number.isInteger(mask) || mask > 7) {
    throw new RangeError("mask must be 0..7");
  }
  applyMask(grid, mask);
  drawFormat(grid, mask);
  const modules = grid.dark;
  return {
    version,
    size,
    mask,
    modules,
    get: (x, y) => modules[y * size + x] === 1,
  };
}

/**
 * Renders a QR code to RGBA pixels (black on white) with a quiet zone,
 * e.g. for `new ImageData(rgba, width)` or a decoder in a test.
 *
 * @param {QrCode} qr
 * @param {{ scale?: number, quiet?: number }} [options] pixels per module (default 4), quiet zone modules (default 4)
 * @returns {{ width: number, height: number, rgba: Uint8ClampedArray }}
 */
export function qrToRgba(qr, options = {}) {
  const scale = options.scale ?? 4;
  const quiet = options.quiet ?? 4;
  const width = (qr.size + 2 * quiet) * scale;
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (!qr.get(x, y)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = ((y + quiet) * scale + dy) * width;
        for (let dx = 0; dx < scale; dx++) {
          const p = (row + (x + quiet) * scale + dx) * 4;
          rgba[p] = rgba[p + 1] = rgba[p + 2] = 0;
        }
      }
    }
  }
  return { width, height: width, rgba };
}
