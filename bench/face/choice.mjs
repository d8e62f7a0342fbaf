// Which detected face a peer uses: DESIGN.md's rule for a face capture
// (largest, nearest the centre). No Node imports: the speed benchmark's
// Chromium page loads this file too.
//
// Example:
//   prominentFace([{ x: 0, y: 0, width: 40, height: 40 }, { x: 50, y: 40, width: 50, height: 50 }], 150, 150);   // 1

/**
 * The most prominent face: among the boxes at least half as wide as the
 * widest, the one whose centre is nearest the image centre (DESIGN.md's rule
 * for a face capture: largest, nearest the centre). `boxes` are `{ x, y, width, height }`; returns an index,
 * or -1 when there are none.
 */
export function prominentFace(boxes, imageWidth, imageHeight) {
  if (boxes.length === 0) return -1;
  const widest = Math.max(...boxes.map((b) => b.width));
  let best = -1;
  let bestDist = Infinity;
  boxes.forEach((b, i) => {
    if (b.width < widest / 2) return;
    const dx = b.x + b.width / 2 - imageWidth / 2;
    const dy = b.y + b.height / 2 - imageHeight / 2;
    const d = dx * dx + dy * dy;
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  });
  return best;
}
