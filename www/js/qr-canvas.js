// @ts-check
/** Draws text as a QR code (see qr.js) onto a canvas. */

import { encodeQr, qrToRgba } from "./qr.js";

/**
 * @param {HTMLCanvasElement} canvas
 * @param {string} text
 * @param {number} [scale] pixels per module
 */
export function drawQr(canvas, text, scale = 6) {
  const { width, height, rgba } = qrToRgba(encodeQr(text), { scale, quiet: 4 });
  canvas.width = width;
  canvas.height = height;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
}

/** Blanks a canvas (e.g. when the next passenger steps up). @param {HTMLCanvasElement} canvas */
export function clearCanvas(canvas) {
  canvas.width = 1;
  canvas.height = 1;
}
