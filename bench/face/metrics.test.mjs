// Unit tests of the face benchmark's metrics on hand-made score lists
// (node --test bench/face/metrics.test.mjs). The cases mirror the fingerprint
// benchmark's (bench/src/metrics.rs), so both use one definition of EER.

import assert from "node:assert/strict";
import { test } from "node:test";
import { rates, ScoreSet } from "./metrics.mjs";
import { median, p95 } from "./timing.mjs";

const close = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ""} ${a} != ${b}`);

test("perfectly separated scores have zero errors", () => {
  const r = rates([5, 6, 7], [1, 2, 3, 4]);
  assert.equal(r.eer, 0);
  assert.equal(r.tarAt[0.01].tar, 1);
  // The best threshold at FAR 0 is the lowest genuine score.
  assert.equal(r.tarAt[0.0001].threshold, 5);
});

test("FMR and FNMR by hand, match when score >= t", () => {
  const s = new ScoreSet([1, 3, 5, 7], [0, 2, 4, 6]);
  assert.equal(s.fmr(4), 0.5); // 4 and 6
  assert.equal(s.fnmr(4), 0.5); // 1 and 3
  assert.equal(s.fmr(4.5), 0.25);
  assert.equal(s.fnmr(4.5), 0.5);
});

test("crossing curves give the FVC EER", () => {
  close(rates([1, 3, 5, 7], [0, 2, 4, 6]).eer, 0.5);
  // g = 2, 3; i = 1, 2.5, 2.6, 2.7: at t = 2.6 FNMR = FMR = 0.5.
  close(rates([2, 3], [1, 2.5, 2.6, 2.7]).eer, 0.5);
});

test("EER where the curves jump over each other, and TAR at FAR 1 % on 10 impostors", () => {
  const g = [4, 11, 12.5, 13, 14, 15, 16, 17, 18, 19];
  const i = [0, 1, 2, 3, 5, 6, 7, 8, 9, 12];
  const r = rates(g, i);
  close(r.eer, 0.1); // t = 11: FNMR 0.1 (4), FMR 0.1 (12)
  // FAR <= 1 % on 10 impostors means none accepted: t = 12.5, TAR 0.8.
  close(r.tarAt[0.01].tar, 0.8);
  assert.equal(r.tarAt[0.01].threshold, 12.5);
  assert.equal(r.tarAt[0.01].resolvable, false);
});

test("the interval is used when there is no exact crossing", () => {
  // t1 = 3 (FNMR 0 <= FMR 1/3), t2 = 3.5 (FNMR .5 >= FMR 1/3); sums 1/3 vs 5/6.
  const r = rates([3, 4], [1, 2, 3.5]);
  close(r.eerLow, 0);
  close(r.eerHigh, 1 / 3);
  close(r.eer, 1 / 6);
  // The example in metrics.mjs's header.
  const e = rates([0.9, 0.8, 0.3], [0.1, 0.2, 0.5, -Infinity]);
  close(e.eer, 0.125);
});

test("failed comparisons (-Infinity, NaN) never match", () => {
  const s = new ScoreSet([-Infinity, 5], [-Infinity, NaN, 1]);
  assert.equal(s.fnmr(-Infinity), 0.5);
  close(s.fmr(-Infinity), 1 / 3);
  const r = rates([-Infinity, 5], [-Infinity, NaN, 1]);
  assert.equal(r.failedGenuine, 1);
  assert.equal(r.failedImpostor, 2);
  // A genuine failure costs 50 % of genuine pairs at every threshold.
  close(r.tarAt[0.0001].tar, 0.5);
  assert.ok(r.eer >= 1 / 3 - 1e-12);
  // All failed: nothing is ever accepted.
  const all = rates([-Infinity, -Infinity], [-Infinity]);
  assert.equal(all.tarAt[0.01].tar, 0);
  assert.ok(all.eer <= 0.5);
});

test("TAR at FAR 0.1 % allows one false match in 1,000 impostor pairs", () => {
  const impostor = Array.from({ length: 1000 }, (_, k) => k / 1000); // 0 .. 0.999
  const genuine = [0.9985, 0.9995, 0.995, 0.2];
  const r = rates(genuine, impostor);
  // The smallest threshold with at most one impostor at or above it is the
  // genuine 0.9985 (only the impostor 0.999 reaches it): TAR 2/4.
  const t = r.tarAt[0.001];
  assert.equal(t.threshold, 0.9985);
  close(t.far, 0.001);
  close(t.tar, 0.5);
  assert.equal(t.resolvable, true);
  // FAR 1 % allows ten (0.990 .. 0.999): t = 0.99 also accepts 0.995.
  close(r.tarAt[0.01].tar, 0.75);
  assert.equal(r.tarAt[0.01].threshold, 0.99);
  // 0.01 % needs 10,000 impostor pairs to be observed at all.
  assert.equal(r.tarAt[0.0001].resolvable, false);
});

test("ties between genuine and impostor scores count on both sides", () => {
  const s = new ScoreSet([0.5, 0.5], [0.5, 0.1]);
  assert.equal(s.fmr(0.5), 0.5);
  assert.equal(s.fnmr(0.5), 0);
  const r = rates([0.5, 0.5], [0.5, 0.1]);
  // No threshold separates the tie: at FAR 0 no genuine pair is accepted.
  assert.equal(r.tarAt[0.0001].tar, 0);
});

test("median and p95 of timings", () => {
  assert.ok(Number.isNaN(median([])));
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(p95([1, 2, 3, 4]), 4);
  assert.equal(p95(Array.from({ length: 100 }, (_, k) => k + 1)), 95);
});
