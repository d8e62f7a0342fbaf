//! Minutiae on the skeleton: crossing-number detection, ridge tracing from
//! each minutia, and the direction each one points.

use zeroize::Zeroize;

use super::binarize::RidgeMap;
use super::grid::wiped;
use super::thin::{neighbour_offsets, neighbours, transitions};

/// Longest trace followed from a minutia, pixels.
pub(crate) const TRACE_LEN: usize = 24;

/// How a trace stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Zeroize)]
pub(crate) enum TraceEnd {
    /// Followed the ridge for `TRACE_LEN` pixels.
    Long,
    /// Reached another minutia (index into the candidate list) after `len` steps.
    Minutia(usize),
    /// The skeleton ended without a marked minutia.
    Dead,
}

/// One traced branch.
#[derive(Clone, Copy, Debug, Zeroize)]
pub(crate) struct Branch {
    /// Steps taken.
    pub len: usize,
    /// How it stopped.
    pub end: TraceEnd,
    /// Position after `min(len, direction_dist)` steps
    /// ([`super::params::Params::direction_dist`]).
    pub dir_point: (f32, f32),
}

/// A candidate minutia before filtering (image coordinates, unpadded).
/// Biometric: lists of candidates are zeroized once the template is made.
#[derive(Clone, Debug, Zeroize)]
pub(crate) struct Candidate {
    pub x: usize,
    pub y: usize,
    /// `true` for a bifurcation.
    pub bifurcation: bool,
    /// Image angle (radians, from +x toward +y) the ridge runs away.
    pub angle: f32,
    /// Branches: 1 for an ending, 3 for a bifurcation.
    pub branches: Vec<Branch>,
}

/// Finds endings (crossing number 1) and bifurcations (3) on the skeleton.
pub(crate) fn detect(skel: &RidgeMap) -> Vec<Candidate> {
    let stride = skel.stride;
    let h = skel.px.len() / stride;
    // Marks: index + 1 of the candidate at each skeleton pixel, 0 otherwise.
    let mut mark = wiped(0u32, skel.px.len());
    let mut cands = Vec::new();
    for y in 1..h - 1 {
        for x in 1..stride - 1 {
            let i = y * stride + x;
            if skel.px[i] == 0 {
                continue;
            }
            let nb = neighbours(&skel.px, i, stride);
            let cn = transitions(nb);
            let bif = match cn {
                1 => false,
                3 => true,
                _ => continue,
            };
            push_wiping(
                &mut cands,
                Candidate {
                    x: x - 1,
                    y: y - 1,
                    bifurcation: bif,
                    angle: 0.0,
                    branches: Vec::new(),
                },
            );
            mark[i] = cands.len() as u32;
        }
    }
    // Trace every branch.
    // Stamps: the skeleton pixels every trace visited; wiped when dropped.
    let mut stamp = wiped(0u32, skel.px.len());
    let mut stamp_id = 0u32;
    let offs = neighbour_offsets(stride);
    let dir_dist = super::params::TUNED.direction_dist;
    #[allow(clippy::needless_range_loop)] // the loop also reads other candidates' marks
    for ci in 0..cands.len() {
        let (mx, my) = (cands[ci].x + 1, cands[ci].y + 1);
        let m = my * stride + mx;
        let nb = neighbours(&skel.px, m, stride);
        // One start pixel per run of set neighbours around the ring,
        // preferring an edge (4-) neighbour within the run.
        let mut starts = [0usize; 4];
        let mut ns = 0;
        for k in 0..8 {
            let prev = (k + 7) % 8;
            if (nb >> k) & 1 == 1 && (nb >> prev) & 1 == 0 && ns < 4 {
                let mut pick = k;
                if k % 2 == 1 && (nb >> ((k + 1) % 8)) & 1 == 1 {
                    pick = (k + 1) % 8;
                }
                starts[ns] = (m as isize + offs[pick]) as usize;
                ns += 1;
            }
        }
        stamp_id += 1;
        stamp[m] = stamp_id;
        for &o in &offs {
            let j = (m as isize + o) as usize;
            if skel.px[j] == 1 {
                stamp[j] = stamp_id;
            }
        }
        let mut branches = Vec::with_capacity(ns);
        for &s in &starts[..ns] {
            branches.push(trace(skel, &mark, &mut stamp, stamp_id, s, dir_dist, ci));
        }
        cands[ci].branches = branches;
    }
    for c in &mut cands {
        c.angle = branch_angle(c);
    }
    mark.zeroize(); // where the minutiae are
    cands
}

fn trace(
    skel: &RidgeMap,
    mark: &[u32],
    stamp: &mut [u32],
    id: u32,
    start: usize,
    dir_dist: usize,
    self_index: usize,
) -> Branch {
    let stride = skel.stride;
    let offs = neighbour_offsets(stride);
    let mut cur = start;
    let mut len = 1;
    let mut dir_point = ((cur % stride) as f32, (cur / stride) as f32);
    let mut end = TraceEnd::Long;
    loop {
        let mk = mark[cur];
        if mk != 0 && mk as usize - 1 != self_index {
            end = TraceEnd::Minutia(mk as usize - 1);
            break;
        }
        if len <= dir_dist {
            dir_point = ((cur % stride) as f32, (cur / stride) as f32);
        }
        if len >= TRACE_LEN {
            break;
        }
        stamp[cur] = id;
        // Next: an unvisited skeleton neighbour, edge neighbours first.
        let mut next = None;
        for k in [0usize, 2, 4, 6, 1, 3, 5, 7] {
            let j = (cur as isize + offs[k]) as usize;
            if skel.px[j] == 1 && stamp[j] != id {
                next = Some(j);
                break;
            }
        }
        match next {
            Some(j) => {
                cur = j;
                len += 1;
            }
            None => {
                end = TraceEnd::Dead;
                break;
            }
        }
    }
    Branch {
        len,
        end,
        dir_point: (dir_point.0 - 1.0, dir_point.1 - 1.0),
    }
}

/// Direction from the traced branches: an ending points along its ridge; a
/// bifurcation points along the bisector of its two closest branches (the
/// way its forks run, the same direction the dual valley ending has).
/// Pushes `c`, growing the list by hand: a plain `push` reallocates and
/// frees the old block with the candidates still in it, so here the old
/// block is wiped first (`tests/leak_memory_scan.rs` found such a copy).
fn push_wiping(cands: &mut Vec<Candidate>, c: Candidate) {
    if cands.len() == cands.capacity() {
        let mut grown = Vec::with_capacity((cands.capacity() * 2).max(64));
        grown.append(cands);
        cands.zeroize(); // empty now: wipes its whole old capacity
        *cands = grown;
    }
    cands.push(c);
}

fn branch_angle(c: &Candidate) -> f32 {
    let angle_of = |b: &Branch| (b.dir_point.1 - c.y as f32).atan2(b.dir_point.0 - c.x as f32);
    if !c.bifurcation || c.branches.len() < 3 {
        return c.branches.first().map(angle_of).unwrap_or(0.0);
    }
    let a = [
        angle_of(&c.branches[0]),
        angle_of(&c.branches[1]),
        angle_of(&c.branches[2]),
    ];
    let mut best = (f32::MAX, 0.0);
    for (i, j) in [(0, 1), (1, 2), (0, 2)] {
        let d = angle_diff(a[i], a[j]).abs();
        if d < best.0 {
            let mid = a[i] + 0.5 * angle_diff(a[j], a[i]);
            best = (d, mid);
        }
    }
    best.1
}

/// `a - b` wrapped to `(-pi, pi]`.
pub(crate) fn angle_diff(a: f32, b: f32) -> f32 {
    use std::f32::consts::{PI, TAU};
    let mut d = (a - b) % TAU;
    if d > PI {
        d -= TAU;
    } else if d <= -PI {
        d += TAU;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_from(lines: &[&str]) -> RidgeMap {
        let w = lines[0].len();
        let h = lines.len();
        let stride = w + 2;
        let mut px = vec![0u8; stride * (h + 2)];
        for (y, l) in lines.iter().enumerate() {
            for (x, ch) in l.bytes().enumerate() {
                if ch == b'#' {
                    px[(y + 1) * stride + x + 1] = 1;
                }
            }
        }
        RidgeMap {
            stride,
            px: px.into(),
        }
    }

    #[test]
    fn finds_ending_and_its_direction() {
        let m = map_from(&["..............", "..##########..", ".............."]);
        let c = detect(&m);
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|c| !c.bifurcation));
        // The left end points right (+x), along the ridge.
        let left = c.iter().find(|c| c.x == 2).unwrap();
        assert!(left.angle.abs() < 0.1);
        assert_eq!(left.branches[0].end, TraceEnd::Minutia(1));
    }

    #[test]
    fn finds_bifurcation_pointing_along_forks() {
        let m = map_from(&[
            "..................",
            "............######",
            "...........#......",
            "###########.......",
            "...........#......",
            "............######",
            "..................",
        ]);
        let c = detect(&m);
        let b: Vec<_> = c.iter().filter(|c| c.bifurcation).collect();
        assert_eq!(b.len(), 1, "{c:?}");
        assert!(b[0].angle.abs() < 0.3, "angle {}", b[0].angle);
    }
}
