// One face-api.js capture, the same in Node (faceapi-node.mjs) and in the
// speed benchmark's Chromium page: detection, the most prominent face
// (choice.mjs), its 68 landmarks and, for a whole capture, its 128-d
// descriptor. No Node imports.
//
// Example:
//   const api = { tf, faceapi, detectorOptions: detectorOptions(faceapi, "ssd") };
//   const { descriptor, detectMs, totalMs } = await capture(api, { width, height, data /* RGB */ });
//   await capture(api, img, { descriptor: false });   // the live-guidance part: detection + landmarks

import { prominentFace } from "./choice.mjs";

/** face-api's options for detector `name` ("ssd" or "tiny"). */
export function detectorOptions(faceapi, name, { minConfidence = 0.5, tinyInputSize = 416 } = {}) {
  return name === "tiny"
    ? new faceapi.TinyFaceDetectorOptions({ inputSize: tinyInputSize, scoreThreshold: minConfidence })
    : new faceapi.SsdMobilenetv1Options({ minConfidence, maxResults: 100 });
}

/**
 * `{ tf, faceapi, detectorOptions, use(name) }`: what `capture` takes;
 * `use("ssd" | "tiny")` switches the detector (its net must be loaded).
 */
export function faceApiHandle(tf, faceapi, settings = {}) {
  const api = { tf, faceapi, detectorOptions: null };
  api.use = (name) => {
    api.detectorOptions = detectorOptions(faceapi, name, settings);
    return api;
  };
  return api;
}

/**
 * One capture of an RGB image: returns `{ descriptor (Float32Array) | null,
 * landmarks, detectMs, totalMs }` (times from after the input tensor is made).
 * `descriptor: false` stops after the landmarks (what a live guidance loop needs);
 * `tinyLandmarks` uses the tiny 68-point network.
 */
export async function capture(api, img, { tinyLandmarks = false, descriptor = true } = {}) {
  const { tf, faceapi, detectorOptions: options } = api;
  const input = tf.tensor3d(img.data, [img.height, img.width, 3], "int32");
  try {
    const t0 = performance.now();
    const detections = await faceapi.detectAllFaces(input, options);
    const t1 = performance.now();
    const i = prominentFace(
      detections.map((d) => d.box),
      img.width,
      img.height,
    );
    if (i < 0) return { descriptor: null, landmarks: null, detectMs: t1 - t0, totalMs: t1 - t0 };
    // face-api's own landmark and descriptor tasks, on the chosen face only.
    const chosen = Promise.resolve([faceapi.extendWithFaceDetection({}, detections[i])]);
    const task = new faceapi.DetectAllFaceLandmarksTask(chosen, input, tinyLandmarks);
    const [result] = await (descriptor ? task.withFaceDescriptors() : task);
    const t2 = performance.now();
    return { descriptor: result.descriptor ?? null, landmarks: result.landmarks, detectMs: t1 - t0, totalMs: t2 - t0 };
  } finally {
    input.dispose();
  }
}
