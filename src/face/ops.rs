//! The layer kernels of the face networks, on HWC [`Map`]s.
//!
//! Weights keep tfjs's layouts: a convolution filter is `[kh][kw][c_in][c_out]`
//! (HWIO), a depthwise filter `[kh][kw][c]`, a pointwise one `[c_in][c_out]`.
//! The innermost loops run over contiguous output channels so that they
//! vectorise. Padding follows TensorFlow: `Same` pads `total / 2` before and
//! the rest after; padded taps are skipped (zeros for convolutions, ignored
//! for max-pooling).

use super::tensor::Map;

/// How a window is padded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// No padding: output `(n - k) / s + 1`.
    Valid,
    /// TensorFlow's `same`: output `ceil(n / s)`.
    Same,
    /// `p` zeros on every side: output `(n + 2p - k) / s + 1`.
    Pad(usize),
}

/// The activation applied after a layer's bias.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Act {
    /// None.
    Linear,
    /// `max(x, 0)`.
    Relu,
    /// `x` for positive `x`, else `alpha * x`.
    Leaky(f32),
}

impl Act {
    #[inline]
    fn apply(self, v: &mut [f32]) {
        match self {
            Act::Linear => {}
            Act::Relu => v.iter_mut().for_each(|x| *x = x.max(0.0)),
            Act::Leaky(a) => v
                .iter_mut()
                .for_each(|x| *x = if *x > 0.0 { *x } else { a * *x }),
        }
    }
}

/// Output size and padding before, for one axis.
///
/// ```
/// use sealmatch::face::ops::{window, Padding};
/// assert_eq!(window(112, 3, 2, Padding::Same), (56, 0));
/// assert_eq!(window(150, 7, 2, Padding::Valid), (72, 0));
/// assert_eq!(window(416, 3, 1, Padding::Pad(1)), (416, 1));
/// ```
pub fn window(n: usize, k: usize, s: usize, pad: Padding) -> (usize, usize) {
    match pad {
        Padding::Valid => ((n.saturating_sub(k)) / s + 1, 0),
        Padding::Same => {
            let out = n.div_ceil(s);
            let total = ((out - 1) * s + k).saturating_sub(n);
            (out, total / 2)
        }
        Padding::Pad(p) => ((n + 2 * p).saturating_sub(k) / s + 1, p),
    }
}

/// A convolution (or a fully connected layer, as a 1×1 one) with its bias
/// and activation; any per-channel scale was folded in at load.
#[derive(Clone, Debug)]
pub struct Conv {
    k: (usize, usize),
    cin: usize,
    cout: usize,
    /// Weights by output-channel tile: `[cout / TC (rounded up)][kh][kw][cin][TC]`,
    /// the last tile padded with zeros.
    packed: Vec<f32>,
    /// One bias per output channel, padded with zeros to whole tiles.
    bias: Vec<f32>,
}

impl Conv {
    /// A `kh`×`kw` convolution from HWIO weights (`[kh][kw][cin][cout]`, as
    /// tfjs stores them) and one bias per output channel.
    ///
    /// ```
    /// use sealmatch::face::ops::Conv;
    /// let c = Conv::new((1, 1), 2, 3, &[1.0; 6], &[0.0; 3]);
    /// assert_eq!(c.channels(), (2, 3));
    /// ```
    pub fn new(k: (usize, usize), cin: usize, cout: usize, w: &[f32], b: &[f32]) -> Conv {
        assert_eq!(w.len(), k.0 * k.1 * cin * cout, "weights");
        assert_eq!(b.len(), cout, "bias");
        let tiles = cout.div_ceil(TC);
        let rows = k.0 * k.1 * cin;
        let mut packed = vec![0.0; tiles * rows * TC];
        for r in 0..rows {
            for co in 0..cout {
                packed[((co / TC) * rows + r) * TC + co % TC] = w[r * cout + co];
            }
        }
        let mut bias = b.to_vec();
        bias.resize(tiles * TC, 0.0);
        Conv {
            k,
            cin,
            cout,
            packed,
            bias,
        }
    }

    /// (input, output) channels.
    pub fn channels(&self) -> (usize, usize) {
        (self.cin, self.cout)
    }

    /// Multiplies output channel `o` by `scale[o]` and then adds `shift[o]`
    /// (folds a following per-channel affine layer into this one).
    pub fn fold_affine(&mut self, scale: &[f32], shift: &[f32]) {
        let rows = self.k.0 * self.k.1 * self.cin;
        for (t, tile) in self.packed.chunks_exact_mut(rows * TC).enumerate() {
            for row in tile.chunks_exact_mut(TC) {
                for (c, w) in row.iter_mut().enumerate() {
                    *w *= scale.get(t * TC + c).copied().unwrap_or(0.0);
                }
            }
        }
        for (o, b) in self.bias.iter_mut().enumerate().take(self.cout) {
            *b = *b * scale[o] + shift[o];
        }
    }

    /// The HWIO weight of tap `(ky, kx)`, input `ci`, output `co`.
    pub fn weight(&self, ky: usize, kx: usize, ci: usize, co: usize) -> f32 {
        let rows = self.k.0 * self.k.1 * self.cin;
        let r = (ky * self.k.1 + kx) * self.cin + ci;
        self.packed[((co / TC) * rows + r) * TC + co % TC]
    }

    /// The bias of output `co`.
    pub fn bias(&self, co: usize) -> f32 {
        self.bias[co]
    }
}

/// A 2-D convolution with stride `s`, then bias and activation.
pub fn conv2d(x: &Map, l: &Conv, s: usize, pad: Padding, act: Act) -> Map {
    let (kh, kw) = l.k;
    debug_assert_eq!(x.c, l.cin);
    let (oh, pt) = window(x.h, kh, s, pad);
    let (ow, pl) = window(x.w, kw, s, pad);
    // Pad explicitly (zeros) so the blocked loops below need no bounds tests.
    let need_h = (oh - 1) * s + kh;
    let need_w = (ow - 1) * s + kw;
    if pt == 0 && pl == 0 && need_h <= x.h && need_w <= x.w {
        return conv_valid(x, l, s, oh, ow, act);
    }
    conv_valid(&pad_map(x, pt, pl, need_h, need_w), l, s, oh, ow, act)
}

/// Output pixels computed together.
const TP: usize = 4;
/// Output channels computed together.
const TC: usize = 8;

/// The convolution without padding, `oh`×`ow` outputs: blocks of [`TP`]
/// pixels × [`TC`] channels are accumulated in registers, the taps of one
/// kernel row (`kw × cin` values, contiguous in the input) in one loop.
fn conv_valid(x: &Map, l: &Conv, s: usize, oh: usize, ow: usize, act: Act) -> Map {
    let cout = l.cout;
    let mut out = Map::zeros(oh, ow, cout);
    let tiles = cout.div_ceil(TC);
    for oy in 0..oh {
        for ox in (0..ow).step_by(TP) {
            // The last block repeats its last pixel; only real ones are kept.
            let cols: [usize; TP] = std::array::from_fn(|p| (ox + p).min(ow - 1));
            for t in 0..tiles {
                let acc = block(x, l, s, oy, &cols, t);
                let n = TC.min(cout - t * TC);
                for (p, a) in acc.iter().enumerate().take(ow - ox) {
                    let o = out.index(oy, cols[p], t * TC);
                    out.data[o..o + n].copy_from_slice(&a[..n]);
                }
            }
        }
    }
    act.apply(&mut out.data);
    out
}

/// Output row `oy`, columns `cols`, channel tile `t`.
#[inline]
fn block(x: &Map, l: &Conv, s: usize, oy: usize, cols: &[usize; TP], t: usize) -> [[f32; TC]; TP] {
    let (kh, kw) = l.k;
    let span = kw * l.cin;
    let rows = kh * span;
    let tile = &l.packed[t * rows * TC..(t + 1) * rows * TC];
    let bias: &[f32; TC] = l.bias[t * TC..(t + 1) * TC].try_into().unwrap();
    let mut acc = [*bias; TP];
    for (ky, wk) in tile.chunks_exact(span * TC).enumerate() {
        let xs: [&[f32]; TP] = std::array::from_fn(|p| {
            let i = x.index(oy * s + ky, cols[p] * s, 0);
            &x.data[i..i + span]
        });
        for (j, w) in wk.chunks_exact(TC).enumerate() {
            let w: &[f32; TC] = w.try_into().unwrap();
            let a: [f32; TP] = std::array::from_fn(|p| xs[p][j]);
            for (acc, a) in acc.iter_mut().zip(a) {
                for (acc, w) in acc.iter_mut().zip(w) {
                    *acc += a * w;
                }
            }
        }
    }
    acc
}

/// A depthwise 2-D convolution (one filter per channel, `[kh][kw][c]`), no bias.
pub fn depthwise(x: &Map, w: &[f32], k: usize, s: usize, pad: Padding) -> Map {
    let c = x.c;
    debug_assert_eq!(w.len(), k * k * c);
    let (oh, pt) = window(x.h, k, s, pad);
    let (ow, pl) = window(x.w, k, s, pad);
    let padded;
    let x = if pt == 0 && pl == 0 && (oh - 1) * s + k <= x.h && (ow - 1) * s + k <= x.w {
        x
    } else {
        padded = pad_map(x, pt, pl, (oh - 1) * s + k, (ow - 1) * s + k);
        &padded
    };
    let mut out = Map::zeros(oh, ow, c);
    for oy in 0..oh {
        let row = &mut out.data[oy * ow * c..(oy + 1) * ow * c];
        for ky in 0..k {
            let src = &x.data[(oy * s + ky) * x.w * c..(oy * s + ky + 1) * x.w * c];
            for kx in 0..k {
                let wt = &w[(ky * k + kx) * c..][..c];
                for (ox, acc) in row.chunks_exact_mut(c).enumerate() {
                    let px = &src[(ox * s + kx) * c..][..c];
                    for ((acc, a), w) in acc.iter_mut().zip(px).zip(wt) {
                        *acc += a * w;
                    }
                }
            }
        }
    }
    out
}

/// A copy of `x` at offset `(top, left)` in a zero map of at least
/// `h`×`w` (and at least large enough to hold it).
fn pad_map(x: &Map, top: usize, left: usize, h: usize, w: usize) -> Map {
    let mut padded = Map::zeros(h.max(x.h + top), w.max(x.w + left), x.c);
    let row = x.w * x.c;
    for y in 0..x.h {
        let o = padded.index(y + top, left, 0);
        padded.data[o..o + row].copy_from_slice(&x.data[y * row..(y + 1) * row]);
    }
    padded
}

/// A depthwise-separable convolution: a 3×3 depthwise filter, then a
/// pointwise one with bias.
#[derive(Clone, Debug)]
pub struct SepConv {
    /// `[3][3][c_in]` depthwise weights.
    pub dw: Vec<f32>,
    /// The pointwise (1×1) convolution with the layer's bias.
    pub pw: Conv,
}

/// Applies a [`SepConv`] with the depthwise stride `s`.
pub fn sep_conv(x: &Map, l: &SepConv, s: usize, pad: Padding, act: Act) -> Map {
    let d = depthwise(x, &l.dw, 3, s, pad);
    conv2d(&d, &l.pw, 1, Padding::Valid, act)
}

/// Max-pooling over `k`×`k` windows with stride `s` (padded cells ignored).
pub fn max_pool(x: &Map, k: usize, s: usize, pad: Padding) -> Map {
    let c = x.c;
    let (oh, pt) = window(x.h, k, s, pad);
    let (ow, pl) = window(x.w, k, s, pad);
    let mut out = Map::zeros(oh, ow, c);
    for oy in 0..oh {
        for ox in 0..ow {
            let o = (oy * ow + ox) * c;
            let acc = &mut out.data[o..o + c];
            acc.fill(f32::NEG_INFINITY);
            for ky in 0..k {
                let Some(iy) = (oy * s + ky).checked_sub(pt).filter(|&v| v < x.h) else {
                    continue;
                };
                for kx in 0..k {
                    let Some(ix) = (ox * s + kx).checked_sub(pl).filter(|&v| v < x.w) else {
                        continue;
                    };
                    for (acc, a) in acc.iter_mut().zip(x.pixel(iy, ix)) {
                        *acc = acc.max(*a);
                    }
                }
            }
        }
    }
    out
}

/// Average pooling over `k`×`k` windows with stride `s`, no padding.
pub fn avg_pool_valid(x: &Map, k: usize, s: usize) -> Map {
    let c = x.c;
    let (oh, _) = window(x.h, k, s, Padding::Valid);
    let (ow, _) = window(x.w, k, s, Padding::Valid);
    let mut out = Map::zeros(oh, ow, c);
    let inv = 1.0 / (k * k) as f32;
    for oy in 0..oh {
        for ox in 0..ow {
            let o = (oy * ow + ox) * c;
            let acc = &mut out.data[o..o + c];
            for ky in 0..k {
                for kx in 0..k {
                    for (acc, a) in acc.iter_mut().zip(x.pixel(oy * s + ky, ox * s + kx)) {
                        *acc += a;
                    }
                }
            }
            acc.iter_mut().for_each(|v| *v *= inv);
        }
    }
    out
}

/// `a += b` element-wise, then the activation.
pub fn add_in_place(a: &mut Map, b: &Map, act: Act) {
    debug_assert_eq!(a.data.len(), b.data.len());
    for (x, y) in a.data.iter_mut().zip(&b.data) {
        *x += y;
    }
    act.apply(&mut a.data);
}

/// A fully connected layer: `x · w + b` with `w` as `[n_in][n_out]`.
pub fn dense(x: &[f32], w: &[f32], b: Option<&[f32]>, n_out: usize) -> Vec<f32> {
    let mut out = match b {
        Some(b) => b.to_vec(),
        None => vec![0.0; n_out],
    };
    for (a, row) in x.iter().zip(w.chunks_exact(n_out)) {
        for (o, w) in out.iter_mut().zip(row) {
            *o += a * w;
        }
    }
    out
}

/// Bilinear resize as tfjs's `resizeBilinear` with `alignCorners = false`
/// and `halfPixelCenters = false`: source coordinate `dst * in / out`.
pub fn resize_bilinear(x: &Map, oh: usize, ow: usize) -> Map {
    let c = x.c;
    let mut out = Map::zeros(oh, ow, c);
    // In f64, as tfjs's CPU kernel computes it, for parity.
    let sy = x.h as f64 / oh as f64;
    let sx = x.w as f64 / ow as f64;
    for oy in 0..oh {
        let fy = oy as f64 * sy;
        let y0 = (fy.floor() as usize).min(x.h - 1);
        let y1 = (fy.ceil() as usize).min(x.h - 1);
        let dy = fy - y0 as f64;
        for ox in 0..ow {
            let fx = ox as f64 * sx;
            let x0 = (fx.floor() as usize).min(x.w - 1);
            let x1 = (fx.ceil() as usize).min(x.w - 1);
            let dx = fx - x0 as f64;
            let (tl, tr) = (x.pixel(y0, x0), x.pixel(y0, x1));
            let (bl, br) = (x.pixel(y1, x0), x.pixel(y1, x1));
            let o = (oy * ow + ox) * c;
            for ch in 0..c {
                let top = tl[ch] as f64 + (tr[ch] as f64 - tl[ch] as f64) * dx;
                let bottom = bl[ch] as f64 + (br[ch] as f64 - bl[ch] as f64) * dx;
                out.data[o + ch] = (top + (bottom - top) * dy) as f32;
            }
        }
    }
    out
}
