//! A feature map (height × width × channels, channels innermost) that is
//! wiped when dropped, as every intermediate result of the face networks is
//! derived from a face.

use zeroize::Zeroize;

/// A dense HWC feature map of `f32`.
///
/// ```
/// use sealmatch::face::tensor::Map;
/// let mut m = Map::zeros(2, 3, 4);
/// let i = m.index(1, 2, 3);
/// m.data[i] = 1.0;
/// assert_eq!(m.at(1, 2, 3), 1.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// Rows.
    pub h: usize,
    /// Columns.
    pub w: usize,
    /// Channels (innermost).
    pub c: usize,
    /// `h * w * c` values.
    pub data: Vec<f32>,
}

impl Map {
    /// A map of zeros.
    pub fn zeros(h: usize, w: usize, c: usize) -> Map {
        Map {
            h,
            w,
            c,
            data: vec![0.0; h * w * c],
        }
    }

    /// Wraps values; `data.len()` must be `h * w * c`.
    pub fn from_vec(h: usize, w: usize, c: usize, data: Vec<f32>) -> Map {
        assert_eq!(data.len(), h * w * c, "map size");
        Map { h, w, c, data }
    }

    /// The flat index of `(y, x, ch)`.
    #[inline]
    pub fn index(&self, y: usize, x: usize, ch: usize) -> usize {
        (y * self.w + x) * self.c + ch
    }

    /// The value at `(y, x, ch)`.
    #[inline]
    pub fn at(&self, y: usize, x: usize, ch: usize) -> f32 {
        self.data[self.index(y, x, ch)]
    }

    /// The channel vector of pixel `(y, x)`.
    #[inline]
    pub fn pixel(&self, y: usize, x: usize) -> &[f32] {
        let i = (y * self.w + x) * self.c;
        &self.data[i..i + self.c]
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        self.data.zeroize();
    }
}
