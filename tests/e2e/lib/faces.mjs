// Camera frames made at test time from the face photos in ../shared/data/faces
// (never copied into the repository): a photo, or several side by side,
// enlarged into a 640×480 grey frame as a phone or kiosk camera would see a
// face. Decoded with jpeg-js (a devDependency of the root package).

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import jpeg from "jpeg-js";
import { greyImage, paste, resize } from "../../../bench/face/image.mjs";

/** Where the photos are: SEALMATCH_FACES, else ../shared/data/faces beside the repository. */
export const FACES_DIR = process.env.SEALMATCH_FACES ?? resolve(fileURLToPath(new URL("../../../", import.meta.url)), "../shared/data/faces");

/** Whether the photos are there (the face tests skip, saying so, when not). */
export function facesAvailable() {
  return existsSync(join(FACES_DIR, "dev"));
}

/**
 * One photo, RGB. @param {string} person folder name @param {number} n photo number
 * @returns {{ width: number, height: number, data: Uint8Array }}
 */
export function photo(person, n) {
  const file = join(FACES_DIR, "dev", person, `${person}_${String(n).padStart(4, "0")}.jpg`);
  const { width, height, data } = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: false });
  return { width, height, data };
}

/**
 * A 640×480 frame with the photos side by side, each enlarged `scale` times
 * (3: a face about 200 pixels wide, as at arm's length; 0.85: too small).
 * @param {Array<{ width: number, height: number, data: Uint8Array }>} photos none for an empty frame
 * @param {number} [scale]
 */
export function cameraFrame(photos, scale = 3) {
  const frame = greyImage(640, 480);
  photos.forEach((p, i) => {
    const big = resize(p, Math.round(p.width * scale), Math.round(p.height * scale));
    paste(frame, big, Math.floor((640 * (i + 0.5)) / photos.length - big.width / 2), Math.floor((480 - big.height) / 2));
  });
  return frame;
}
