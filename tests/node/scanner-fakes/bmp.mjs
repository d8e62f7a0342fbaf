// Writes an 8-bit palette BMP (bottom-up, with the resolution in pixels per
// metre), as scanner services return them. Browser-safe (no Node imports).

/** @param {number} width @param {number} height @param {Uint8Array} pixels grey, row-major @param {number} dpi */
export function grayBmp(width, height, pixels, dpi) {
  const stride = (width + 3) & ~3;
  const offset = 14 + 40 + 256 * 4;
  const size = offset + stride * height;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, size, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true); // positive: bottom-up
  v.setUint16(26, 1, true);
  v.setUint16(28, 8, true);
  v.setUint32(34, stride * height, true);
  const ppm = Math.round(dpi / 0.0254);
  v.setInt32(38, ppm, true);
  v.setInt32(42, ppm, true);
  v.setUint32(46, 256, true);
  for (let i = 0; i < 256; i++) {
    out[54 + 4 * i] = out[55 + 4 * i] = out[56 + 4 * i] = i;
  }
  for (let y = 0; y < height; y++) {
    out.set(pixels.subarray(y * width, (y + 1) * width), offset + (height - 1 - y) * stride);
  }
  return out;
}

/** Bytes to base64 (browser and Node). */
export function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes to base64url without padding. */
export function toBase64Url(bytes) {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
