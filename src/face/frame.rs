//! Camera frames: bounds, the reduced working copy the detector reads, and
//! sampling of a region under an affine map (the crops and the aligned chip).

use super::tensor::Map;
use crate::error::{err, ErrorCode, Result};

/// Largest accepted side of a frame, pixels.
pub const MAX_SIDE: usize = 4096;
/// Largest accepted number of pixels of a frame (16.7 M, e.g. 4096 × 4096).
pub const MAX_PIXELS: usize = 1 << 24;
/// Smallest accepted side of a frame, pixels.
pub const MIN_SIDE: usize = 32;

/// A borrowed RGBA frame (8 bits per channel, row-major, alpha ignored).
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    width: usize,
    height: usize,
    rgba: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Checks sizes and the buffer length: `INVALID_IMAGE` when a side is
    /// outside [`MIN_SIDE`]..=[`MAX_SIDE`], the frame has more than
    /// [`MAX_PIXELS`] pixels, or `rgba.len() != 4 * width * height`.
    ///
    /// ```
    /// use sealmatch::face::frame::Frame;
    /// assert!(Frame::new(64, 48, &vec![0; 64 * 48 * 4]).is_ok());
    /// assert!(Frame::new(64, 48, &vec![0; 10]).is_err());
    /// assert!(Frame::new(5000, 48, &vec![0; 5000 * 48 * 4]).is_err());
    /// ```
    pub fn new(width: usize, height: usize, rgba: &'a [u8]) -> Result<Frame<'a>> {
        if !(MIN_SIDE..=MAX_SIDE).contains(&width) || !(MIN_SIDE..=MAX_SIDE).contains(&height) {
            return err(
                ErrorCode::InvalidImage,
                "frame sides must be 32..=4096 pixels",
            );
        }
        if width * height > MAX_PIXELS {
            return err(
                ErrorCode::InvalidImage,
                "frame larger than 16,777,216 pixels",
            );
        }
        if rgba.len() != width * height * 4 {
            return err(
                ErrorCode::InvalidImage,
                "RGBA buffer length must be 4 * width * height",
            );
        }
        Ok(Frame {
            width,
            height,
            rgba,
        })
    }

    /// Width, pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height, pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    #[inline]
    fn rgb(&self, x: usize, y: usize) -> [f32; 3] {
        let i = (y * self.width + x) * 4;
        let p = &self.rgba[i..i + 3];
        [p[0] as f32, p[1] as f32, p[2] as f32]
    }

    /// The pixel covering `(x, y)` (pixel-edge coordinates); black outside.
    #[inline]
    fn nearest(&self, x: f32, y: f32) -> [f32; 3] {
        if x < 0.0 || y < 0.0 || x >= self.width as f32 || y >= self.height as f32 {
            return [0.0; 3];
        }
        self.rgb(x as usize, y as usize)
    }

    /// Bilinear sample at `(x, y)` in pixel-centre coordinates; black
    /// outside the frame.
    fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        let (x0, y0) = (x.floor(), y.floor());
        let (dx, dy) = (x - x0, y - y0);
        let mut acc = [0.0f32; 3];
        for (yy, wy) in [(y0, 1.0 - dy), (y0 + 1.0, dy)] {
            for (xx, wx) in [(x0, 1.0 - dx), (x0 + 1.0, dx)] {
                let wgt = wx * wy;
                if wgt == 0.0 || xx < 0.0 || yy < 0.0 {
                    continue;
                }
                let (xi, yi) = (xx as usize, yy as usize);
                if xi >= self.width || yi >= self.height {
                    continue;
                }
                let p = self.rgb(xi, yi);
                acc.iter_mut().zip(p).for_each(|(a, v)| *a += wgt * v);
            }
        }
        acc
    }

    /// A `size`×`size` RGB map whose pixel `(u, v)` shows the frame at
    /// `t(u + 0.5, v + 0.5)` (frame coordinates with pixel `i` spanning
    /// `[i, i + 1)`): bilinear when the map enlarges, the mean of n×n
    /// pixels when it shrinks n times (n up to 4) so that frames do not alias.
    pub fn warp(&self, t: &Affine, size: usize) -> Map {
        let scale = (t.a * t.d - t.b * t.c).abs().sqrt();
        let n = (scale.ceil() as usize).clamp(1, 4);
        let inv = 1.0 / (n * n) as f32;
        let mut out = Map::zeros(size, size, 3);
        for v in 0..size {
            for u in 0..size {
                let mut acc = [0.0f32; 3];
                for j in 0..n {
                    for i in 0..n {
                        let uu = u as f32 + (i as f32 + 0.5) / n as f32;
                        let vv = v as f32 + (j as f32 + 0.5) / n as f32;
                        let (x, y) = t.apply(uu, vv);
                        // Shrinking: n×n nearest pixels (a box filter);
                        // otherwise bilinear.
                        let p = if n > 1 {
                            self.nearest(x, y)
                        } else {
                            self.sample(x - 0.5, y - 0.5)
                        };
                        acc.iter_mut().zip(p).for_each(|(a, s)| *a += s);
                    }
                }
                let o = out.index(v, u, 0);
                out.data[o..o + 3]
                    .iter_mut()
                    .zip(acc)
                    .for_each(|(d, a)| *d = a * inv);
            }
        }
        out
    }
}

/// `(x, y) = (a·u + b·v + tx, c·u + d·v + ty)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine {
    /// Row 1.
    pub a: f32,
    /// Row 1.
    pub b: f32,
    /// Row 2.
    pub c: f32,
    /// Row 2.
    pub d: f32,
    /// Translation x.
    pub tx: f32,
    /// Translation y.
    pub ty: f32,
}

impl Affine {
    /// Maps a point.
    pub fn apply(&self, u: f32, v: f32) -> (f32, f32) {
        (
            self.a * u + self.b * v + self.tx,
            self.c * u + self.d * v + self.ty,
        )
    }

    /// The map of a `size`×`size` output onto the axis-aligned square at
    /// `(x, y)` with side `side` (frame coordinates).
    pub fn square(x: f32, y: f32, side: f32, size: usize) -> Affine {
        let s = side / size as f32;
        Affine {
            a: s,
            b: 0.0,
            c: 0.0,
            d: s,
            tx: x,
            ty: y,
        }
    }
}
