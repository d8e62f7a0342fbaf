//! Foreground segmentation: which blocks hold finger ridges.
//!
//! A block is foreground when its grey-level spread is well above the image's
//! noise floor and its gradients have some common orientation; the block mask
//! is then cleaned (majority vote, small islands dropped, holes filled).

use super::grid::{wiped, BlockMap, Wiped};
use super::orientation::RawTensors;
use super::params::TUNED;
use super::stats::BlockStats;

/// The foreground block mask.
pub(crate) fn segment(stats: &BlockStats, raw: &RawTensors) -> BlockMap<bool> {
    let (bw, bh) = (stats.std.bw, stats.std.bh);
    let mut sorted: Wiped<f32> = stats.std.data.clone();
    // In place (a stable sort's scratch would be freed unwiped); values
    // equal under `total_cmp` are bit-identical, so the result is the same.
    sorted.sort_unstable_by(|a, b| a.total_cmp(b));
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)];
    let t = TUNED.seg_min_std.max(TUNED.seg_rel_std * p95);
    let min_coherence = TUNED.seg_min_coherence;
    let mut mask = BlockMap::new(bw, bh, false);
    for i in 0..bw * bh {
        let s = stats.std.data[i];
        let c = raw.coherence(i);
        // Strong contrast excuses weak coherence (cores, deltas, creases),
        // but not none at all (noise, text, patterns).
        mask.data[i] = s > t && (c > min_coherence || (s > 2.0 * t && c > 0.5 * min_coherence));
    }
    for _ in 0..2 {
        mask = majority(&mask);
    }
    keep_large_components(&mut mask);
    fill_holes(&mut mask);
    mask
}

/// 3x3 majority vote (5 of 9, edges count as background).
fn majority(m: &BlockMap<bool>) -> BlockMap<bool> {
    let mut out = BlockMap::new(m.bw, m.bh, false);
    for by in 0..m.bh {
        for bx in 0..m.bw {
            let mut n = 0;
            for yy in by.saturating_sub(1)..(by + 2).min(m.bh) {
                for xx in bx.saturating_sub(1)..(bx + 2).min(m.bw) {
                    n += m.get(xx, yy) as u32;
                }
            }
            out.set(bx, by, n >= 5);
        }
    }
    out
}

/// Labels 4-connected components of blocks equal to `value`; returns labels
/// (0 = other value) and the sizes (index = label - 1).
fn components(m: &BlockMap<bool>, value: bool) -> (Wiped<u32>, Wiped<usize>) {
    let (bw, bh) = (m.bw, m.bh);
    let mut label = wiped(0u32, bw * bh);
    // Sized up front (at most one component, one stack entry, per block):
    // growing would free an unwiped block.
    let mut sizes: Wiped<usize> = Wiped::new(Vec::with_capacity(bw * bh));
    let mut stack: Wiped<usize> = Wiped::new(Vec::with_capacity(bw * bh));
    for start in 0..bw * bh {
        if m.data[start] != value || label[start] != 0 {
            continue;
        }
        let l = sizes.len() as u32 + 1;
        let mut size = 0;
        label[start] = l;
        stack.push(start);
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = (i % bw, i / bw);
            let mut visit = |j: usize| {
                if m.data[j] == value && label[j] == 0 {
                    label[j] = l;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < bw {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - bw);
            }
            if y + 1 < bh {
                visit(i + bw);
            }
        }
        sizes.push(size);
    }
    (label, sizes)
}

/// Drops foreground islands smaller than a quarter of the largest.
fn keep_large_components(m: &mut BlockMap<bool>) {
    let (label, sizes) = components(m, true);
    let largest = sizes.iter().copied().max().unwrap_or(0);
    for (i, v) in m.data.iter_mut().enumerate() {
        if *v && sizes[label[i] as usize - 1] * 4 < largest {
            *v = false;
        }
    }
}

/// Background regions that do not touch the image edge become foreground.
fn fill_holes(m: &mut BlockMap<bool>) {
    let (label, sizes) = components(m, false);
    let mut touches = wiped(false, sizes.len());
    for by in 0..m.bh {
        for bx in 0..m.bw {
            if by == 0 || bx == 0 || by + 1 == m.bh || bx + 1 == m.bw {
                let l = label[by * m.bw + bx];
                if l != 0 {
                    touches[l as usize - 1] = true;
                }
            }
        }
    }
    for (i, v) in m.data.iter_mut().enumerate() {
        let l = label[i];
        if l != 0 && !touches[l as usize - 1] {
            *v = true;
        }
    }
}

/// Chamfer distance (in blocks, 8-connected) from each foreground block to the
/// nearest background block or image edge; 0 for background.
pub(crate) fn border_distance(m: &BlockMap<bool>) -> BlockMap<u16> {
    let (bw, bh) = (m.bw, m.bh);
    let big = u16::MAX / 2;
    let mut d = BlockMap::new(bw, bh, 0u16);
    for i in 0..bw * bh {
        let (x, y) = (i % bw, i / bw);
        let edge = x == 0 || y == 0 || x + 1 == bw || y + 1 == bh;
        d.data[i] = if !m.data[i] {
            0
        } else if edge {
            1
        } else {
            big
        };
    }
    for y in 0..bh {
        for x in 0..bw {
            let mut v = d.get(x, y);
            if x > 0 {
                v = v.min(d.get(x - 1, y) + 1);
            }
            if y > 0 {
                v = v.min(d.get(x, y - 1) + 1);
                if x > 0 {
                    v = v.min(d.get(x - 1, y - 1) + 1);
                }
                if x + 1 < bw {
                    v = v.min(d.get(x + 1, y - 1) + 1);
                }
            }
            d.set(x, y, v);
        }
    }
    for y in (0..bh).rev() {
        for x in (0..bw).rev() {
            let mut v = d.get(x, y);
            if x + 1 < bw {
                v = v.min(d.get(x + 1, y) + 1);
            }
            if y + 1 < bh {
                v = v.min(d.get(x, y + 1) + 1);
                if x + 1 < bw {
                    v = v.min(d.get(x + 1, y + 1) + 1);
                }
                if x > 0 {
                    v = v.min(d.get(x - 1, y + 1) + 1);
                }
            }
            d.set(x, y, v);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_fill_and_islands_drop() {
        let mut m = BlockMap::new(12, 12, false);
        for y in 2..9 {
            for x in 2..9 {
                m.set(x, y, true);
            }
        }
        m.set(5, 5, false); // a hole
        m.set(11, 11, true); // an island
        keep_large_components(&mut m);
        fill_holes(&mut m);
        assert!(m.get(5, 5));
        assert!(!m.get(11, 11));
        let d = border_distance(&m);
        assert_eq!(d.get(2, 2), 1);
        assert_eq!(d.get(5, 5), 4);
        assert_eq!(d.get(0, 0), 0);
    }
}
