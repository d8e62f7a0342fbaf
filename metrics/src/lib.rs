//! Verification error rates from genuine and impostor score lists, with the
//! definitions of the FVC competitions. One implementation for the accuracy
//! benchmark (`sealmatch-bench`), the synthetic tests and the development
//! examples, so every figure means the same thing.
//!
//! Convention: a comparison is a match when `score >= t`. A comparison that
//! could not be made (an image failed to capture or was not usable) has the
//! score `-inf` and is a non-match at every threshold: the thresholds tried are
//! the distinct finite scores and `+inf`, never `-inf`.
//!
//! - FMR(t) = share of impostor scores ≥ t; FNMR(t) = share of genuine scores < t.
//! - EER follows FVC (Maio et al., FVC2000 report): t1 = the largest threshold
//!   with FNMR ≤ FMR, t2 = the smallest with FNMR ≥ FMR; the EER interval is
//!   [FNMR(t1), FMR(t1)] when FNMR(t1) + FMR(t1) ≤ FMR(t2) + FNMR(t2), else
//!   [FMR(t2), FNMR(t2)]; EER is its midpoint.
//! - FMR100 / FMR1000 / ZeroFMR: the lowest FNMR with FMR ≤ 1 %, ≤ 0.1 %, = 0.
//!
//! ```
//! use sealmatch_metrics::ScoreSet;
//! let genuine = vec![0.9, 0.8, 0.7, 0.2];
//! let impostor = vec![0.1, 0.3, 0.05, 0.0];
//! let rates = ScoreSet::new(genuine, impostor).rates();
//! assert_eq!(rates.eer, 0.25); // FNMR = FMR = 0.25 at t = 0.3
//! assert_eq!(rates.zero_fmr.fnmr, 0.25); // t = 0.7: only the 0.2 genuine fails
//! ```

#![forbid(unsafe_code)]

/// Sorted genuine and impostor scores.
#[derive(Clone, Debug, Default)]
pub struct ScoreSet {
    genuine: Vec<f32>,
    impostor: Vec<f32>,
}

/// An operating point: a threshold and its error rates (fractions 0..=1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Decision threshold (match when `score >= threshold`).
    pub threshold: f32,
    /// False match rate at it.
    pub fmr: f64,
    /// False non-match rate at it.
    pub fnmr: f64,
}

/// The FVC summary figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    /// Equal error rate (midpoint of the FVC interval).
    pub eer: f64,
    /// Lower end of the EER interval.
    pub eer_low: f64,
    /// Upper end of the EER interval.
    pub eer_high: f64,
    /// Lowest FNMR with FMR ≤ 1 %, and where.
    pub fmr100: Point,
    /// Lowest FNMR with FMR ≤ 0.1 %.
    pub fmr1000: Point,
    /// Lowest FNMR with FMR = 0.
    pub zero_fmr: Point,
}

fn clean(mut v: Vec<f32>) -> Vec<f32> {
    for s in v.iter_mut() {
        if s.is_nan() {
            *s = f32::NEG_INFINITY;
        }
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

impl ScoreSet {
    /// From genuine and impostor scores (NaN counts as a failed comparison).
    ///
    /// ```
    /// use sealmatch_metrics::ScoreSet;
    /// let s = ScoreSet::new(vec![0.4, f32::NAN], vec![0.1]);
    /// assert_eq!(s.genuine(), &[f32::NEG_INFINITY, 0.4]);
    /// assert_eq!(s.fnmr(0.0), 0.5); // the failed comparison never matches
    /// ```
    pub fn new(genuine: Vec<f32>, impostor: Vec<f32>) -> ScoreSet {
        ScoreSet {
            genuine: clean(genuine),
            impostor: clean(impostor),
        }
    }

    /// Genuine scores, ascending.
    pub fn genuine(&self) -> &[f32] {
        &self.genuine
    }

    /// Impostor scores, ascending.
    pub fn impostor(&self) -> &[f32] {
        &self.impostor
    }

    /// Share of impostor scores ≥ t (0 when there are none).
    pub fn fmr(&self, t: f32) -> f64 {
        let n = self.impostor.len();
        if n == 0 {
            return 0.0;
        }
        // A failed comparison (-inf) never matches, whatever the threshold.
        let t = if t == f32::NEG_INFINITY { f32::MIN } else { t };
        (n - self.impostor.partition_point(|&s| s < t)) as f64 / n as f64
    }

    /// Share of genuine scores < t (failed comparisons always count).
    pub fn fnmr(&self, t: f32) -> f64 {
        let n = self.genuine.len();
        if n == 0 {
            return 0.0;
        }
        let t = if t == f32::NEG_INFINITY { f32::MIN } else { t };
        self.genuine.partition_point(|&s| s < t) as f64 / n as f64
    }

    /// The operating point at `t`.
    pub fn at(&self, t: f32) -> Point {
        Point {
            threshold: t,
            fmr: self.fmr(t),
            fnmr: self.fnmr(t),
        }
    }

    /// Candidate thresholds, ascending: distinct finite scores, then +inf.
    fn thresholds(&self) -> Vec<f32> {
        let mut t: Vec<f32> = self
            .genuine
            .iter()
            .chain(self.impostor.iter())
            .copied()
            .filter(|s| s.is_finite())
            .collect();
        t.sort_by(|a, b| a.total_cmp(b));
        t.dedup();
        t.push(f32::INFINITY);
        t
    }

    /// The lowest FNMR with FMR ≤ `max_fmr` (FNMR only grows with t, so it is
    /// the smallest such threshold).
    pub fn best_fnmr_at_fmr(&self, max_fmr: f64) -> Point {
        self.thresholds()
            .into_iter()
            .map(|t| self.at(t))
            .find(|p| p.fmr <= max_fmr + 1e-12)
            .unwrap_or_else(|| self.at(f32::INFINITY))
    }

    /// EER and the FVC figures.
    ///
    /// ```
    /// use sealmatch_metrics::ScoreSet;
    /// let r = ScoreSet::new(vec![5.0, 6.0], vec![1.0, 2.0]).rates();
    /// assert_eq!((r.eer, r.fmr100.fnmr, r.zero_fmr.threshold), (0.0, 0.0, 5.0));
    /// ```
    pub fn rates(&self) -> Rates {
        let ts = self.thresholds();
        let pts: Vec<Point> = ts.iter().map(|&t| self.at(t)).collect();
        let t1 = pts.iter().rev().find(|p| p.fnmr <= p.fmr);
        let t2 = pts.iter().find(|p| p.fnmr >= p.fmr);
        let (eer_low, eer_high) = match (t1, t2) {
            (Some(a), Some(b)) => {
                if a.fnmr + a.fmr <= b.fmr + b.fnmr {
                    (a.fnmr, a.fmr)
                } else {
                    (b.fmr, b.fnmr)
                }
            }
            (Some(a), None) => (a.fnmr, a.fmr),
            (None, Some(b)) => (b.fmr, b.fnmr),
            (None, None) => (0.0, 0.0),
        };
        Rates {
            eer: (eer_low + eer_high) / 2.0,
            eer_low,
            eer_high,
            fmr100: self.best_fnmr_at_fmr(0.01),
            fmr1000: self.best_fnmr_at_fmr(0.001),
            zero_fmr: self.best_fnmr_at_fmr(0.0),
        }
    }

    /// The smallest threshold whose FMR is ≤ `max_fmr` (the impostor-tail
    /// quantile), with how many impostor scores reach it.
    ///
    /// ```
    /// use sealmatch_metrics::ScoreSet;
    /// let imp: Vec<f32> = (0..100).map(|i| i as f32).collect();
    /// let (t, n) = ScoreSet::new(vec![], imp).threshold_for_fmr(0.01);
    /// assert_eq!(n, 1); // only the score 99 reaches t
    /// assert!(t > 98.0 && t <= 99.0);
    /// ```
    pub fn threshold_for_fmr(&self, max_fmr: f64) -> (f32, usize) {
        let n = self.impostor.len();
        // Allowed false matches.
        let allowed = (max_fmr * n as f64 + 1e-9).floor() as usize;
        if allowed >= n {
            return (f32::NEG_INFINITY, n);
        }
        // Scores at or above t must be at most `allowed`: t just above the
        // (n - allowed - 1)-th smallest score.
        let s = self.impostor[n - allowed - 1];
        if s == f32::NEG_INFINITY {
            // Failed comparisons never match: any finite threshold will do.
            return (
                f32::NEG_INFINITY,
                n - self.impostor.partition_point(|&x| x == s),
            );
        }
        let t = next_up(s);
        (t, n - self.impostor.partition_point(|&x| x < t))
    }
}

/// The smallest f32 above `x` (for finite x).
///
/// ```
/// assert_eq!(sealmatch_metrics::next_up(0.0), f32::from_bits(1));
/// assert!(sealmatch_metrics::next_up(0.35) > 0.35);
/// ```
pub fn next_up(x: f32) -> f32 {
    if x.is_nan() || x == f32::INFINITY {
        return x;
    }
    if x == f32::NEG_INFINITY {
        return f32::MIN;
    }
    let bits = x.to_bits();
    if x == 0.0 {
        return f32::from_bits(1);
    }
    if x > 0.0 {
        f32::from_bits(bits + 1)
    } else {
        f32::from_bits(bits - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEG: f32 = f32::NEG_INFINITY;

    #[test]
    fn perfectly_separated_scores_have_zero_errors() {
        let s = ScoreSet::new(vec![5.0, 6.0, 7.0], vec![1.0, 2.0, 3.0, 4.0]);
        let r = s.rates();
        assert_eq!(r.eer, 0.0);
        assert_eq!(r.fmr100.fnmr, 0.0);
        assert_eq!(r.zero_fmr.fnmr, 0.0);
        // The best zero-FMR threshold is the lowest genuine score.
        assert_eq!(r.zero_fmr.threshold, 5.0);
    }

    #[test]
    fn fmr_and_fnmr_by_hand() {
        let s = ScoreSet::new(vec![1.0, 3.0, 5.0, 7.0], vec![0.0, 2.0, 4.0, 6.0]);
        assert_eq!(s.fmr(4.0), 0.5); // 4 and 6
        assert_eq!(s.fnmr(4.0), 0.5); // 1 and 3
        assert_eq!(s.fmr(4.5), 0.25);
        assert_eq!(s.fnmr(4.5), 0.5);
    }

    #[test]
    fn crossing_curves_give_the_fvc_eer() {
        // Interleaved: g = 1,3,5,7; i = 0,2,4,6. At t = 4 FNMR = FMR = 0.5,
        // so t1 = t2 = 4.
        let s = ScoreSet::new(vec![1.0, 3.0, 5.0, 7.0], vec![0.0, 2.0, 4.0, 6.0]);
        let r = s.rates();
        assert!((r.eer - 0.5).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn eer_interval_midpoint_when_curves_jump_over_each_other() {
        // 10 genuine, 10 impostor; one impostor above one genuine.
        // g: 10..=19 except 10 replaced by 4; i: 0..=8 and 12.
        let g = vec![4.0, 11.0, 12.5, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0];
        let i = vec![0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 12.0];
        let s = ScoreSet::new(g, i);
        // t = 11: FNMR 0.1 (4), FMR 0.1 (12) -> crossing exactly there.
        let r = s.rates();
        assert!((r.eer - 0.1).abs() < 1e-12, "{r:?}");
        // FMR100 on 10 impostors means FMR = 0: threshold above 12 -> FNMR 0.2.
        assert!((r.fmr100.fnmr - 0.2).abs() < 1e-12);
        assert_eq!(r.fmr100.threshold, 12.5);
        assert_eq!(r.zero_fmr, r.fmr100);
    }

    #[test]
    fn exact_crossing_between_scores() {
        // g = 2, 3; i = 1, 2.5, 2.6, 2.7: at t = 2.6 FNMR = FMR = 0.5.
        let s = ScoreSet::new(vec![2.0, 3.0], vec![1.0, 2.5, 2.6, 2.7]);
        assert!((s.rates().eer - 0.5).abs() < 1e-12);
    }

    #[test]
    fn interval_is_used_when_there_is_no_exact_crossing() {
        // g = 3, 4; i = 1, 2, 3.5.
        // t=1: FNMR 0, FMR 1; t=2: FNMR 0, FMR 2/3; t=3: FNMR 0, FMR 1/3;
        // t=3.5: FNMR .5, FMR 1/3; t=4: FNMR .5, FMR 0; inf: 1, 0.
        // t1 = 3 (FNMR 0 <= FMR 1/3), t2 = 3.5 (FNMR .5 >= FMR 1/3).
        // sums: 1/3 vs 5/6 -> interval [FNMR(t1), FMR(t1)] = [0, 1/3].
        let s = ScoreSet::new(vec![3.0, 4.0], vec![1.0, 2.0, 3.5]);
        let r = s.rates();
        assert!((r.eer_low - 0.0).abs() < 1e-12 && (r.eer_high - 1.0 / 3.0).abs() < 1e-12);
        assert!((r.eer - 1.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn failed_comparisons_never_match() {
        let s = ScoreSet::new(vec![NEG, 5.0], vec![NEG, NEG, 1.0]);
        assert_eq!(s.fnmr(f32::MIN), 0.5);
        assert_eq!(s.fmr(f32::MIN), 1.0 / 3.0);
        let r = s.rates();
        // Genuine failure costs FNMR 0.5 at every threshold.
        assert_eq!(r.zero_fmr.fnmr, 0.5);
        assert!(r.eer >= 1.0 / 3.0 - 1e-12);
        // All failed: EER from the +inf end only.
        let s = ScoreSet::new(vec![NEG; 3], vec![NEG; 3]);
        let r = s.rates();
        assert_eq!(r.fmr100.fnmr, 1.0);
        assert!(r.eer <= 0.5);
    }

    #[test]
    fn tail_threshold_allows_the_requested_false_matches() {
        let imp: Vec<f32> = (0..10_000).map(|i| i as f32).collect();
        let s = ScoreSet::new(vec![], imp);
        let (t, n) = s.threshold_for_fmr(0.0001);
        assert_eq!(n, 1);
        assert!(t > 9998.0 && t <= 9999.0);
        assert!(s.fmr(t) <= 0.0001);
        let (t0, n0) = s.threshold_for_fmr(0.0);
        assert_eq!(n0, 0);
        assert!(t0 > 9999.0);
    }

    #[test]
    fn fmr100_fmr1000_and_zero_fmr_by_hand() {
        // 2,000 impostor scores 0..=1999; five genuine scores.
        let imp: Vec<f32> = (0..2000).map(|i| i as f32).collect();
        let gen = vec![1500.5, 1985.5, 1997.5, 1998.5, 2000.5];
        let r = ScoreSet::new(gen, imp).rates();
        // FMR <= 1 % allows 20 false matches: t = 1980 (1980..=1999 reach
        // it); only 1500.5 fails.
        assert_eq!(r.fmr100.threshold, 1980.0);
        assert_eq!((r.fmr100.fmr, r.fmr100.fnmr), (0.01, 0.2));
        // FMR <= 0.1 % allows 2: the lowest such threshold is the genuine
        // score 1997.5 (1998 and 1999 reach it); 1500.5 and 1985.5 fail.
        assert_eq!(r.fmr1000.threshold, 1997.5);
        assert_eq!((r.fmr1000.fmr, r.fmr1000.fnmr), (0.001, 0.4));
        // FMR = 0: above 1999, so only 2000.5 matches.
        assert_eq!(r.zero_fmr.threshold, 2000.5);
        assert_eq!((r.zero_fmr.fmr, r.zero_fmr.fnmr), (0.0, 0.8));
    }

    #[test]
    fn eer_is_not_the_smallest_max_of_the_two_rates() {
        // g = 3, 4; i = 1, 2, 3.5 (as above): min over t of max(FMR, FNMR) is
        // 1/3 (at t = 3), the FVC EER is the interval's midpoint 1/6.
        let s = ScoreSet::new(vec![3.0, 4.0], vec![1.0, 2.0, 3.5]);
        let r = s.rates();
        let minmax = [1.0f32, 2.0, 3.0, 3.5, 4.0, f32::INFINITY]
            .iter()
            .map(|&t| s.fmr(t).max(s.fnmr(t)))
            .fold(1.0f64, f64::min);
        assert!((minmax - 1.0 / 3.0).abs() < 1e-12);
        assert!(r.eer < minmax);
    }
}
