// RGB images for the face peers: padding and the synthetic 640×480 camera
// frame. An image is `{ width, height, data }`, `data` a Uint8Array of RGB
// triples, row by row. No dependencies (JPEG decoding is the peer's job).
//
// Example:
//   const photo = greyImage(150, 150);   // or a decoded photo
//   pad(photo, 0.5);                     // 300×300, photo in the middle
//   syntheticFrame(photo);               // 640×480, photo enlarged 3× in the middle

/** The grey of padding and of the synthetic frame's background. */
export const GREY = 128;

/** The synthetic camera frame: size and how much the photo is enlarged. */
export const FRAME = { width: 640, height: 480, scale: 3 };

/** A `width`×`height` image filled with grey. */
export function greyImage(width, height) {
  return { width, height, data: new Uint8Array(width * height * 3).fill(GREY) };
}

/** Copies `src` into `dst` with its top-left corner at (x0, y0); what falls outside is cut. */
export function paste(dst, src, x0, y0) {
  for (let y = Math.max(0, -y0); y < src.height && y + y0 < dst.height; y++) {
    const xs = Math.max(0, -x0);
    const xe = Math.min(src.width, dst.width - x0);
    if (xe <= xs) continue;
    const from = (y * src.width + xs) * 3;
    dst.data.set(src.data.subarray(from, (y * src.width + xe) * 3), ((y + y0) * dst.width + xs + x0) * 3);
  }
  return dst;
}

/**
 * The image with a grey border of `fraction` of its width (left and right)
 * and of its height (top and bottom): 0.5 turns 150×150 into 300×300.
 */
export function pad(img, fraction) {
  if (!(fraction > 0)) return img;
  const px = Math.round(img.width * fraction);
  const py = Math.round(img.height * fraction);
  return paste(greyImage(img.width + 2 * px, img.height + 2 * py), img, px, py);
}

/** Bilinear resize (pixel centres aligned, edges clamped). */
export function resize(img, width, height) {
  const out = new Uint8Array(width * height * 3);
  const sx = img.width / width;
  const sy = img.height / height;
  const src = img.data;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src[(y0 * img.width + x0) * 3 + c];
        const b = src[(y0 * img.width + x1) * 3 + c];
        const d = src[(y1 * img.width + x0) * 3 + c];
        const e = src[(y1 * img.width + x1) * 3 + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * width + x) * 3 + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { width, height, data: out };
}

/** A 640×480 grey frame with the photo enlarged 3× (bilinear) in its centre, cut to the frame. */
export function syntheticFrame(photo) {
  const big = resize(photo, photo.width * FRAME.scale, photo.height * FRAME.scale);
  const frame = greyImage(FRAME.width, FRAME.height);
  return paste(frame, big, Math.floor((FRAME.width - big.width) / 2), Math.floor((FRAME.height - big.height) / 2));
}
