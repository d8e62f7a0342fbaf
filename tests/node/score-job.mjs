// The scores the SIMD and non-SIMD builds must agree on: every synthetic
// finger enrolled from its first impression and verified against all nine
// impressions, and drawn cartoon faces enrolled and verified against each
// other. No imports, so a page can load it too; `sm` is the package's
// namespace after `init()` and `initFace()`.

const NOW = 1_800_000_000;
const OPTS = { bagTag: "0117123456", flight: "SK1415", now: NOW };

/** Faces drawn by tests/face_draw.mjs: [{ cx, cy, s }], seed. */
export const FACE_FRAMES = [
  [[{ cx: 160, cy: 120, s: 110 }], 5],
  [[{ cx: 150, cy: 126, s: 104 }], 7],
  [[{ cx: 170, cy: 114, s: 116 }], 11],
];

/**
 * Scores and qualities, for comparison with `assert.deepEqual` (numbers
 * compared exactly).
 * @param {object} sm the package's exports
 * @param {{ fingers: Record<string, { width: number, height: number, pixels: ArrayLike<number> }>,
 *           faces: Array<{ width: number, height: number, rgba: ArrayLike<number> }> }} input
 */
export function scoreJob(sm, { fingers, faces }) {
  const out = { fingerprint: {}, fingerQuality: {}, face: {}, faceQuality: [] };
  const caps = {};
  for (const [stem, g] of Object.entries(fingers)) {
    caps[stem] = sm.Capture.fromGray(g.width, g.height, Uint8Array.from(g.pixels), 500);
    out.fingerQuality[stem] = caps[stem].quality;
  }
  for (const stem of Object.keys(caps).filter((s) => s.endsWith("_1"))) {
    const e = sm.enroll([caps[stem]], OPTS);
    for (const probe of Object.keys(caps)) {
      out.fingerprint[`${stem}/${probe}`] = sm.verify(caps[probe], e.token, e.passengerKey, OPTS).score;
    }
  }
  for (const c of Object.values(caps)) c.free();
  const faceCaps = faces.map((f) => sm.FaceCapture.fromRgba(f.width, f.height, Uint8ClampedArray.from(f.rgba)));
  out.faceQuality = faceCaps.map((f) => f.quality);
  faceCaps.forEach((enrolled, i) => {
    const e = sm.enroll([enrolled], OPTS);
    faceCaps.forEach((probe, j) => {
      out.face[`${i}/${j}`] = sm.verify(probe, e.token, e.passengerKey, OPTS).score;
    });
  });
  for (const f of faceCaps) f.free();
  return out;
}
