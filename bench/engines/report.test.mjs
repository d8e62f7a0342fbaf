// Unit tests of the per-engine speed table (node --test bench/engines/report.test.mjs):
// made-up batch timings, no browser, no package.

import assert from "node:assert/strict";
import { test } from "node:test";
import { engineFigures, engineTable, median, stepText } from "./report.mjs";

const answer = (extract, verify, face, step = 0.02, score = 0.25) => ({
  extractMs: extract,
  verifyMs: verify,
  faceMs: face,
  timerStepMs: step,
  score,
});

test("a runtime's figure is the lower of its rounds' medians; the finest timer step", () => {
  assert.equal(median([3, 1, 2]), 2);
  const f = engineFigures([answer([30, 10, 31], [0.05, 0.06, 0.07], [100, 90, 95], 1), answer([20, 22, 40], [0.09, 0.08, 0.08], [80, 200, 90], 0.02)]);
  assert.deepEqual(f, { timerStepMs: 0.02, score: 0.25, extractMs: 22, verifyMs: 0.06, faceMs: 90 });
  assert.throws(() => engineFigures([answer([1], [1], [1], 1, 0.25), answer([1], [1], [1], 1, 0.5)]), /scores differ/);
});

test("the table: ratios to native, skipped engines, timer steps and the score check", () => {
  const rows = [
    { runtime: "native (Rust, release)", figures: engineFigures([answer([10], [0.05], [50], 0.00002)]) },
    { runtime: "Firefox ESR 153", isolated: true, figures: engineFigures([answer([25], [0.1], [75], 0.02)]) },
    { runtime: "WebKitGTK", skipped: "skipped: /usr/bin/WebKitWebDriver missing" },
  ];
  const text = engineTable({ rows, batches: 7, perBatch: { extract: 5, verify: 1000, face: 3 }, rounds: 2, load: [1, 2, 2], inputs: "x" }).join("\n");
  assert.match(text, /\| Firefox ESR 153 \| 25\.0 \| 2\.50× \| 100 \| 2\.00× \| 75\.0 \| 1\.50× \|/);
  assert.match(text, /\| WebKitGTK \| skipped: \/usr\/bin\/WebKitWebDriver missing \|/);
  assert.match(text, /native < 0\.1 µs, Firefox 20\.0 µs; .*cross-origin isolated: Firefox yes\./);
  assert.match(text, /Verify score identical \(as f32\) in every runtime: 0\.2500000/);
  rows[1].figures.score = 0.5;
  assert.match(engineTable({ rows, batches: 1, perBatch: { extract: 1, verify: 1, face: 1 }, rounds: 1, load: [1, 1], inputs: "x" }).join("\n"), /VERIFY SCORES DIFFER/);
  assert.equal(stepText(1), "1.00 ms");
  assert.equal(stepText(0.005), "5.00 µs");
});
