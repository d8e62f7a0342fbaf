// Error rates from genuine and impostor score lists: the one implementation
// used by every face peer (face-api.js in Node, dlib through Python).
//
// The same definitions as the fingerprint benchmark (bench/src/metrics.rs,
// bench/README.md "Protocol"):
// - a comparison is a match when `score >= t`; a comparison that could not be
//   made (a photo without a detected face) has the score -Infinity (or NaN)
//   and is a non-match at every threshold;
// - FMR(t) = share of impostor scores >= t, FNMR(t) = share of genuine
//   scores < t; thresholds tried: every distinct finite score, then +Infinity;
// - EER as FVC defines it (Maio et al., FVC2000 report): t1 = the largest
//   threshold with FNMR <= FMR, t2 = the smallest with FNMR >= FMR; the EER
//   interval is [FNMR(t1), FMR(t1)] when FNMR(t1) + FMR(t1) <= FMR(t2) +
//   FNMR(t2), else [FMR(t2), FNMR(t2)]; EER is its midpoint;
// - TAR at FAR x: 1 - the lowest FNMR with FMR <= x.
//
// Example:
//   import { rates } from "./metrics.mjs";
//   const r = rates([0.9, 0.8, 0.3], [0.1, 0.2, 0.5, -Infinity]);
//   r.eer;                 // 0.125: the FVC interval [0, 0.25], its midpoint
//   r.tarAt[0.01].tar;     // the share of genuine pairs accepted at FAR <= 1 %

/** The FAR levels reported: 1 %, 0.1 %, 0.01 %. */
export const FAR_LEVELS = [0.01, 0.001, 0.0001];

/** Scores ascending, NaN turned into -Infinity (a failed comparison). */
function sorted(scores) {
  return Float64Array.from(scores, (s) => (Number.isNaN(s) ? -Infinity : s)).sort();
}

/** The number of entries of the ascending array `a` that are < t. */
function countBelow(a, t) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Genuine and impostor scores with FMR/FNMR at any threshold.
 *
 * Example: `new ScoreSet([0.9], [0.1]).at(0.5)` → `{ threshold: 0.5, fmr: 0, fnmr: 0 }`.
 */
export class ScoreSet {
  constructor(genuine, impostor) {
    this.genuine = sorted(genuine);
    this.impostor = sorted(impostor);
  }

  /** Share of impostor scores >= t (0 without impostors); -Infinity never matches. */
  fmr(t) {
    const n = this.impostor.length;
    if (n === 0) return 0;
    const th = t === -Infinity ? -Number.MAX_VALUE : t;
    return (n - countBelow(this.impostor, th)) / n;
  }

  /** Share of genuine scores < t (0 without genuine pairs); failures always count. */
  fnmr(t) {
    const n = this.genuine.length;
    if (n === 0) return 0;
    const th = t === -Infinity ? -Number.MAX_VALUE : t;
    return countBelow(this.genuine, th) / n;
  }

  /** The operating point at `t`. */
  at(t) {
    return { threshold: t, fmr: this.fmr(t), fnmr: this.fnmr(t) };
  }

  /** Candidate thresholds, ascending: distinct finite scores, then +Infinity. */
  thresholds() {
    const all = [];
    for (const s of this.genuine) if (Number.isFinite(s)) all.push(s);
    for (const s of this.impostor) if (Number.isFinite(s)) all.push(s);
    const t = Float64Array.from(all).sort();
    const out = [];
    for (const s of t) if (out.length === 0 || out[out.length - 1] !== s) out.push(s);
    out.push(Infinity);
    return out;
  }

  /** The lowest FNMR with FMR <= maxFmr (the smallest such threshold: FNMR only grows with t). */
  bestFnmrAtFmr(maxFmr) {
    for (const t of this.thresholds()) {
      const p = this.at(t);
      if (p.fmr <= maxFmr + 1e-12) return p;
    }
    return this.at(Infinity);
  }

  /** The FVC EER interval and its midpoint. */
  eer() {
    const pts = this.thresholds().map((t) => this.at(t));
    let t1 = null;
    for (let i = pts.length - 1; i >= 0; i--) {
      if (pts[i].fnmr <= pts[i].fmr) {
        t1 = pts[i];
        break;
      }
    }
    const t2 = pts.find((p) => p.fnmr >= p.fmr) ?? null;
    let low = 0;
    let high = 0;
    if (t1 && t2) {
      if (t1.fnmr + t1.fmr <= t2.fmr + t2.fnmr) [low, high] = [t1.fnmr, t1.fmr];
      else [low, high] = [t2.fmr, t2.fnmr];
    } else if (t1) {
      [low, high] = [t1.fnmr, t1.fmr];
    } else if (t2) {
      [low, high] = [t2.fmr, t2.fnmr];
    }
    return { eer: (low + high) / 2, low, high };
  }
}

/**
 * The summary figures: EER (FVC) and TAR at each of `FAR_LEVELS`.
 *
 * Returns `{ genuine, impostor, failedGenuine, failedImpostor, eer, eerLow,
 * eerHigh, tarAt: { [far]: { tar, far, threshold, resolvable } } }`;
 * `resolvable` is false when there are too few impostor pairs to observe
 * that FAR at all (fewer than 1 / far).
 */
export function rates(genuine, impostor) {
  const set = new ScoreSet(genuine, impostor);
  const { eer, low, high } = set.eer();
  const tarAt = {};
  for (const far of FAR_LEVELS) {
    const p = set.bestFnmrAtFmr(far);
    tarAt[far] = {
      tar: 1 - p.fnmr,
      far: p.fmr,
      threshold: p.threshold,
      resolvable: set.impostor.length * far >= 1,
    };
  }
  const failed = (a) => a.reduce((n, s) => n + (s === -Infinity ? 1 : 0), 0);
  return {
    genuine: set.genuine.length,
    impostor: set.impostor.length,
    failedGenuine: failed(set.genuine),
    failedImpostor: failed(set.impostor),
    eer,
    eerLow: low,
    eerHigh: high,
    tarAt,
  };
}
