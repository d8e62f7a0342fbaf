// Inputs built to be slow: the largest images the library accepts (800 px a
// side at 500 dpi after normalisation, see src/capture/validate.rs: 800x800
// at 500 dpi, or 1920x1920 at 1200 dpi, which is resampled first), filled with
// random noise or with ridges twisted by many singular points, so that the
// extractor finds as many minutiae as it keeps and the matcher gets the
// largest templates.

/** Largest side after normalisation to 500 dpi (MAX_NORMALIZED_SIDE). */
export const MAX_NORMALIZED_SIDE = 800;

/**
 * Uniform random noise, from a fixed linear congruential generator.
 * @param {number} w
 * @param {number} h
 * @param {number} seed
 * @returns {Uint8Array}
 */
export function noise(w, h, seed = 99) {
  const out = new Uint8Array(w * h);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/**
 * Parallel ridges (period `period` px at the image's own resolution) whose
 * phase winds once around each of `singular` points spread over the image:
 * every point is a ridge ending or a bifurcation, so minutiae are everywhere.
 * @param {number} w
 * @param {number} h
 * @param {{ period?: number, singular?: number, shift?: number }} [o]
 * @returns {Uint8Array}
 */
export function twistedRidges(w, h, { period = 11, singular = 300, shift = 0 } = {}) {
  const pts = [];
  for (let k = 0; k < singular; k++) {
    // A spread-out low-discrepancy layout (golden-ratio steps).
    pts.push([((k * 0.618034 + 0.1 + shift) % 1) * w, ((k * 0.381966 + 0.3) % 1) * h]);
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let phase = (2 * Math.PI * y) / period;
      for (const [cx, cy] of pts) phase += Math.atan2(y - cy, x - cx);
      out[y * w + x] = Math.round(128 + 90 * Math.cos(phase));
    }
  }
  return out;
}

/**
 * Bilinear resampling of a grey image to `nw` x `nh`.
 * @param {Uint8Array} px
 * @param {number} w
 * @param {number} h
 * @param {number} nw
 * @param {number} nh
 */
export function resize(px, w, h, nw, nh) {
  const out = new Uint8Array(nw * nh);
  for (let y = 0; y < nh; y++) {
    const fy = Math.min(h - 1, ((y + 0.5) * h) / nh - 0.5);
    const y0 = Math.max(0, Math.floor(fy));
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = Math.max(0, fy - y0);
    for (let x = 0; x < nw; x++) {
      const fx = Math.min(w - 1, ((x + 0.5) * w) / nw - 0.5);
      const x0 = Math.max(0, Math.floor(fx));
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = Math.max(0, fx - x0);
      const top = px[y0 * w + x0] * (1 - tx) + px[y0 * w + x1] * tx;
      const bottom = px[y1 * w + x0] * (1 - tx) + px[y1 * w + x1] * tx;
      out[y * nw + x] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
  return out;
}

/**
 * The worst-case inputs: [name, width, height, dpi, pixels]. The twisted
 * ridges give a full template (MAX_MINUTIAE = 128 minutiae) to the matcher.
 * @returns {[string, number, number, number, Uint8Array][]}
 */
export function worstImages() {
  const s = MAX_NORMALIZED_SIDE;
  const ridges = twistedRidges(s, s);
  return [
    ["noise 800x800", s, s, 500, noise(s, s)],
    ["ridges 800x800", s, s, 500, ridges],
    // 1920 px at 1200 dpi is 800 px at 500 dpi: the largest accepted input,
    // resampled by the library before extraction.
    ["ridges 1920x1920@1200", 1920, 1920, 1200, resize(ridges, s, s, 1920, 1920)],
  ];
}
