// Writes a Y4M video that shows a QR code, for Chromium's fake camera
// (--use-file-for-fake-video-capture), so the gate's QR reading is tested
// with a real getUserMedia stream.

import { writeFileSync } from "node:fs";
import { encodeQr } from "../../../www/js/qr.js";

/**
 * @param {string} path where to write the .y4m
 * @param {string} text what the QR code says
 * @param {{ width?: number, height?: number, moduleSize?: number, frames?: number }} [o]
 */
export function writeQrVideo(path, text, { width = 640, height = 480, moduleSize = 8, frames = 2 } = {}) {
  const qr = encodeQr(text);
  const side = qr.size * moduleSize;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const y = Buffer.alloc(width * height, 235); // white (video range)
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (qr.get(Math.floor(c / moduleSize), Math.floor(r / moduleSize))) y[(top + r) * width + left + c] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n`);
  writeFileSync(path, Buffer.concat([header, ...Array(frames).fill(frame)]));
}
