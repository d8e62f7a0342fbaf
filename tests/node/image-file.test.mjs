// Capture.fromImageFile through the packed package: BMP and PNG files as
// scanner services return them give the capture their pixels give, the dpi
// comes from the file unless passed, and bad files are coded errors.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { freshProject, fixture, throwsCode, ROOT } from "./support.mjs";

let project;
let sm;

before(async () => {
  project = freshProject();
  sm = await import(project.url);
  await sm.default();
});

after(() => project?.cleanup());

/** An 8-bit grey-palette BMP, bottom-up, rows padded to 4 bytes. */
function bmp(width, height, pixels, pixelsPerMetre) {
  const stride = Math.ceil(width / 4) * 4;
  const offset = 14 + 40 + 1024;
  const out = new Uint8Array(offset + stride * height);
  const v = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  v.setUint32(2, out.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 8, true);
  v.setUint32(38, pixelsPerMetre, true);
  v.setUint32(42, pixelsPerMetre, true);
  for (let i = 0; i < 256; i++) out.set([i, i, i, 0], 54 + 4 * i);
  for (let y = 0; y < height; y++) {
    out.set(pixels.subarray(y * width, (y + 1) * width), offset + (height - 1 - y) * stride);
  }
  return out;
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, body) {
  const out = new Uint8Array(12 + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** An 8-bit RGB PNG (filter 0 on every row) with a pHYs chunk. */
function rgbPng(width, height, grey, pixelsPerMetre) {
  const raw = new Uint8Array(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = grey[y * width + x];
      raw.set([g, g, g], y * (1 + 3 * width) + 1 + 3 * x);
    }
  }
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const phys = new Uint8Array(9);
  new DataView(phys.buffer).setUint32(0, pixelsPerMetre);
  new DataView(phys.buffer).setUint32(4, pixelsPerMetre);
  phys[8] = 1;
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("pHYs", phys),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test("BMP and PNG files give the capture their pixels give", async () => {
  const { width, height, pixels } = await fixture("101_1");
  const fromPixels = sm.Capture.fromGray(width, height, pixels, 500);
  const files = {
    "fixture PNG, dpi passed": [readFileSync(join(ROOT, "target", "fixtures", "synth", "101_1.png")), 500],
    "8-bit BMP, dpi from the file": [bmp(width, height, pixels, 19685), undefined],
    "RGB PNG, dpi from pHYs": [rgbPng(width, height, pixels, 19685), undefined],
  };
  for (const [what, [bytes, dpi]] of Object.entries(files)) {
    const cap = sm.Capture.fromImageFile(new Uint8Array(bytes), dpi);
    assert.equal(cap.minutiaeCount, fromPixels.minutiaeCount, what);
    assert.equal(cap.quality, fromPixels.quality, what);
    assert.deepEqual(cap.feedback, fromPixels.feedback, what);
    const enrolled = sm.enroll([cap], { bagTag: "0117123456", flight: "SK1415" });
    const v = sm.verify(fromPixels, enrolled.token, enrolled.passengerKey, { bagTag: "0117123456" });
    assert.equal(v.match, true, `${what}: a file capture matches its pixels`);
    cap.free();
  }
  fromPixels.free();
});

test("fromImageFile errors are coded", async () => {
  const { width, height, pixels } = await fixture("101_1");
  throwsCode(assert, () => sm.Capture.fromImageFile(bmp(width, height, pixels, 0)), "INVALID_IMAGE", "no dpi anywhere");
  throwsCode(assert, () => sm.Capture.fromImageFile(bmp(width, height, pixels, 0), null), "INVALID_IMAGE", "null dpi");
  throwsCode(assert, () => sm.Capture.fromImageFile(bmp(width, height, pixels, 0), 100), "INVALID_IMAGE", "dpi out of range");
  throwsCode(assert, () => sm.Capture.fromImageFile(new TextEncoder().encode("GIF89a"), 500), "INVALID_IMAGE", "GIF");
  const truncated = rgbPng(width, height, pixels, 19685).subarray(0, 200);
  throwsCode(assert, () => sm.Capture.fromImageFile(truncated), "INVALID_IMAGE", "truncated PNG");
  const huge = bmp(width, height, pixels, 19685);
  new DataView(huge.buffer).setInt32(18, 0x7fffffff, true);
  throwsCode(assert, () => sm.Capture.fromImageFile(huge), "INVALID_IMAGE", "huge width");
  throwsCode(assert, () => sm.Capture.fromImageFile("BM..."), "INVALID_ARGUMENT", "a string");
});
