// Y4M videos for Chromium's fake camera (--use-file-for-fake-video-capture),
// so the pages' camera code runs on a real getUserMedia stream: a QR code
// (the gate reading a passenger key), or camera frames made from photos (web
// check-in and the kiosks' face capture). Chromium plays the file in a loop
// from its first frame each time a page opens the camera.
//
//   writeY4m(path, [{ image: qrImage(key), frames: 6 }, { image: face, frames: 24 }], 2);
//
// An image is `{ width, height, data }` with RGB triples (bench/face/image.mjs).

import { writeFileSync } from "node:fs";
import { encodeQr } from "../../../www/js/qr.js";
import { greyImage } from "../../../bench/face/image.mjs";

/**
 * A QR code, black on white, centred in a frame.
 * @param {string} text
 * @param {{ width?: number, height?: number, moduleSize?: number }} [o]
 */
export function qrImage(text, { width = 640, height = 480, moduleSize = 8 } = {}) {
  const qr = encodeQr(text);
  const side = qr.size * moduleSize;
  if (side > Math.min(width, height)) throw new RangeError(`a version ${qr.version} QR code at ${moduleSize} px a module does not fit ${width}x${height}`);
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const img = greyImage(width, height);
  img.data.fill(255);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (qr.get(Math.floor(c / moduleSize), Math.floor(r / moduleSize))) img.data.fill(0, ((top + r) * width + left + c) * 3, ((top + r) * width + left + c + 1) * 3);
    }
  }
  return img;
}

/**
 * One frame in YUV 4:2:0 (BT.601, video range), the planes Y, U, V.
 * @param {{ width: number, height: number, data: Uint8Array }} img RGB, even sides
 */
export function rgbToI420({ width, height, data }) {
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [data[3 * i], data[3 * i + 1], data[3 * i + 2]];
    y[i] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < width / 2; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = 3 * ((2 * cy + dy) * width + 2 * cx + dx);
        r += data[p] / 4;
        g += data[p + 1] / 4;
        b += data[p + 2] / 4;
      }
      u[cy * (width / 2) + cx] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      v[cy * (width / 2) + cx] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return Buffer.concat([y, u, v]);
}

/**
 * Writes a YUV4MPEG2 file (C420) of the given images, each repeated `frames`
 * times, all of one size.
 * @param {string} path
 * @param {Array<{ image: { width: number, height: number, data: Uint8Array }, frames: number }>} segments
 * @param {number} [fps]
 */
export function writeY4m(path, segments, fps = 2) {
  const { width, height } = segments[0].image;
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n`)];
  for (const { image, frames } of segments) {
    if (image.width !== width || image.height !== height) throw new Error("every frame of a Y4M file has one size");
    const frame = Buffer.concat([Buffer.from("FRAME\n"), rgbToI420(image)]);
    for (let i = 0; i < frames; i++) parts.push(frame);
  }
  writeFileSync(path, Buffer.concat(parts));
}

/**
 * A video that shows a QR code (the gate reading a passenger key).
 * @param {string} path where to write the .y4m
 * @param {string} text what the QR code says
 * @param {{ width?: number, height?: number, moduleSize?: number, frames?: number }} [o]
 */
export function writeQrVideo(path, text, { width = 640, height = 480, moduleSize = 8, frames = 2 } = {}) {
  writeY4m(path, [{ image: qrImage(text, { width, height, moduleSize }), frames }], 10);
}
