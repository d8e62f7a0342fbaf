// The scanner adapters' Node-testable parts: a PNG's declared resolution
// (pHYs) is read, anything else gives null; the file adapter asks for a file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pngDpi, fileScanner } from "../../www/js/scanners.js";

/** A PNG chunk: length, type, data, and a (here unchecked) CRC. */
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  return out;
}

function png({ ppm, unit = 1, physAfterIdat = false } = {}) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = chunk("IHDR", Buffer.from([0, 0, 1, 44, 0, 0, 1, 44, 8, 0, 0, 0, 0]));
  const idat = chunk("IDAT", Buffer.alloc(10));
  const parts = [sig, ihdr];
  let phys = null;
  if (ppm !== undefined) {
    const d = Buffer.alloc(9);
    d.writeUInt32BE(ppm, 0);
    d.writeUInt32BE(ppm, 4);
    d[8] = unit;
    phys = chunk("pHYs", d);
  }
  if (phys && !physAfterIdat) parts.push(phys);
  parts.push(idat);
  if (phys && physAfterIdat) parts.push(phys);
  return new Blob([Buffer.concat(parts)]);
}

test("pHYs in pixels per metre gives dpi", async () => {
  assert.equal(await pngDpi(png({ ppm: 19685 })), 500); // 500 dpi
  assert.equal(await pngDpi(png({ ppm: 39370 })), 1000);
});

test("no pHYs, an unknown unit, pHYs after the image data, or not a PNG: null", async () => {
  assert.equal(await pngDpi(png()), null);
  assert.equal(await pngDpi(png({ ppm: 19685, unit: 0 })), null);
  assert.equal(await pngDpi(png({ ppm: 19685, physAfterIdat: true })), null);
  assert.equal(await pngDpi(new Blob([Buffer.from("GIF89a")])), null);
  assert.equal(await pngDpi(new Blob([])), null);
});

test("the file adapter without a chosen file says so", async () => {
  const adapter = fileScanner(/** @type {any} */ ({ files: [] }), () => 500);
  assert.equal(adapter.name, "Scanner image file");
  await assert.rejects(adapter.scan(), (e) => /** @type {any} */ (e).code === "NO_IMAGE");
});
