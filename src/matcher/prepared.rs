//! A template made ready for matching: its points in the matcher's frame and
//! its cylinders, computed once and reused for every comparison.

use super::cylinder::{self, Cylinder, Point, HULL_MARGIN};
use super::region::Region;
use crate::template::{Template, MAX_MINUTIAE};
use zeroize::{Zeroize, ZeroizeOnDrop};

thread_local! {
    static SCRATCH: std::cell::RefCell<cylinder::Scratch> =
        std::cell::RefCell::new(cylinder::Scratch::new());
}

/// Resolution the matcher's distances are tuned for.
const MATCH_DPI: f32 = 500.0;

/// A template's local structures. Zeroized when dropped.
///
/// ```
/// use sealmatch::matcher::{score, Prepared};
/// use sealmatch::template::Template;
/// let empty = Prepared::new(&Template { width: 300, height: 300, dpi: 500, minutiae: vec![] });
/// assert_eq!(score(&empty, &empty), 0.0);
/// ```
#[derive(Clone, Default)]
pub struct Prepared {
    /// Minutiae that own a valid cylinder, in the matcher's frame.
    pub(crate) points: Vec<Point>,
    /// Their cylinders, parallel to `points`.
    pub(crate) cylinders: Vec<Cylinder>,
}

impl Prepared {
    /// Computes the local structures of `t`. At most [`MAX_MINUTIAE`] minutiae
    /// are used; coordinates are rescaled to 500 dpi when `t.dpi` differs.
    pub fn new(t: &Template) -> Prepared {
        let scale = if t.dpi == 0 {
            1.0
        } else {
            MATCH_DPI / t.dpi as f32
        };
        let mut all: Vec<Point> = t
            .minutiae
            .iter()
            .take(MAX_MINUTIAE)
            .map(|m| Point::new(m.x as f32 * scale, -(m.y as f32) * scale, m.direction))
            .collect();
        let mut xy: Vec<(f32, f32)> = all.iter().map(|p| (p.x, p.y)).collect();
        let area = Region::around(&xy, HULL_MARGIN);
        // Sized up front: no reallocation leaves a copy of cylinders behind
        // unwiped, and none costs a copy.
        let mut out = Prepared {
            points: Vec::with_capacity(all.len()),
            cylinders: Vec::with_capacity(all.len()),
        };
        let mut build_all = |scratch: &mut cylinder::Scratch| {
            for m in 0..all.len() {
                if let Some(c) = cylinder::build(&all, m, &area, scratch) {
                    out.points.push(all[m]);
                    out.cylinders.push(c);
                }
            }
            debug_assert!(scratch.is_clear());
        };
        // The scratch is all zero before and after every build, so it holds
        // nothing to wipe.
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => build_all(&mut s),
            Err(_) => build_all(&mut cylinder::Scratch::new()),
        });
        // Scratch copies of biometric data are wiped too.
        super::region::wipe(&mut xy);
        for p in all.iter_mut() {
            wipe_point(p);
        }
        out
    }

    /// Number of minutiae with a valid local structure.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether no minutia has a valid local structure (such a template scores 0).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

fn wipe_point(p: &mut Point) {
    p.x.zeroize();
    p.y.zeroize();
    p.dir.zeroize();
    p.cos.zeroize();
    p.sin.zeroize();
}

impl Zeroize for Prepared {
    fn zeroize(&mut self) {
        for p in self.points.iter_mut() {
            wipe_point(p);
        }
        for c in self.cylinders.iter_mut() {
            c.bits.zeroize();
            c.mask.zeroize();
            c.count.zeroize();
            c.any.zeroize();
        }
        self.points.clear();
        self.cylinders.clear();
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Prepared {}
