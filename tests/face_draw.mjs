// Frames with cartoon faces drawn from numbers (no photo): the inputs of
// the face parity reference (tests/face_reference.mjs) and of the Node and
// Chromium face tests. No imports, so a page can load it too.

/** A small deterministic generator (mulberry32). */
export function rng(seed) {
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

/** `drawFace` as RGBA (opaque), what `FaceCapture.fromRgba` takes. */
export function drawFaceRgba(width, height, faces, seed) {
  const rgb = drawFace(width, height, faces, seed);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i];
    out[j + 1] = rgb[i + 1];
    out[j + 2] = rgb[i + 2];
    out[j + 3] = 255;
  }
  return out;
}
