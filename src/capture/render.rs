//! Draws a template's minutiae over its image, for a local screen.
//!
//! This is how a user interface shows "the features found" without any
//! coordinate leaving the library: the marks are baked into RGBA pixels
//! (`docs/privacy.md`: "a capture may render its features into an image,
//! never as data").

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::image::GrayImage;
use crate::template::{Minutia, MinutiaKind};

/// Radius of the ring around a minutia, pixels at 500 dpi.
const RING_RADIUS: f32 = 6.0;
/// Half the ring's line width, pixels.
const RING_HALF_WIDTH: f32 = 0.9;
/// Length of the direction tick from the centre, pixels.
const TICK_LENGTH: f32 = 15.0;
/// Colour of ridge endings (RGB).
pub const ENDING_COLOUR: [u8; 3] = [214, 40, 40];
/// Colour of bifurcations (RGB).
pub const BIFURCATION_COLOUR: [u8; 3] = [24, 96, 224];

/// An RGBA image, 4 bytes a pixel, row-major (the layout of canvas `ImageData`).
/// Zeroized when dropped: the marks encode where the minutiae are and which
/// way they point.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct RgbaImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 4` bytes.
    pub data: Vec<u8>,
}

/// Renders `image` in softened grey with each minutia marked: a ring at its
/// position and a tick the way its ridge runs; endings in [`ENDING_COLOUR`],
/// bifurcations in [`BIFURCATION_COLOUR`]. Marks are clipped at the edges.
///
/// ```
/// use sealmatch::GrayImage;
/// use sealmatch::capture::render::{render_features, ENDING_COLOUR};
/// use sealmatch::template::{Minutia, MinutiaKind};
/// let img = GrayImage::filled(40, 40, 128);
/// let m = Minutia { x: 20, y: 20, direction: 0, kind: MinutiaKind::Ending, quality: 80 };
/// let out = render_features(&img, &[m]);
/// assert_eq!(out.data.len(), 40 * 40 * 4);
/// let px = |x: usize, y: usize| &out.data[(y * 40 + x) * 4..][..3];
/// assert_eq!(px(26, 20), &ENDING_COLOUR[..]); // on the ring, and on the tick (direction 0 = +x)
/// ```
pub fn render_features(image: &GrayImage, minutiae: &[Minutia]) -> RgbaImage {
    let (w, h) = (image.width(), image.height());
    // Sized up front: growing would free an unwiped block.
    let mut data = Vec::with_capacity(w * h * 4);
    for &g in image.pixels() {
        // soften towards white so the coloured marks stand out
        let v = 96 + (g as u16 * 159 / 255) as u8;
        data.extend_from_slice(&[v, v, v, 255]);
    }
    let mut out = RgbaImage {
        width: w,
        height: h,
        data,
    };
    for m in minutiae {
        let colour = match m.kind {
            MinutiaKind::Ending => ENDING_COLOUR,
            MinutiaKind::Bifurcation => BIFURCATION_COLOUR,
        };
        draw_ring(&mut out, m.x as f32, m.y as f32, colour);
        // counter-clockwise from +x with y pointing down: screen dy is -sin
        let (s, c) = m.angle().sin_cos();
        draw_line(&mut out, m.x as f32, m.y as f32, c, -s, colour);
    }
    out
}

fn put(img: &mut RgbaImage, x: i64, y: i64, colour: [u8; 3]) {
    if x < 0 || y < 0 || x as usize >= img.width || y as usize >= img.height {
        return;
    }
    let at = (y as usize * img.width + x as usize) * 4;
    img.data[at..at + 3].copy_from_slice(&colour);
}

fn draw_ring(img: &mut RgbaImage, cx: f32, cy: f32, colour: [u8; 3]) {
    let reach = (RING_RADIUS + RING_HALF_WIDTH).ceil() as i64;
    let (x0, y0) = (cx.round() as i64, cy.round() as i64);
    for y in y0 - reach..=y0 + reach {
        for x in x0 - reach..=x0 + reach {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if (d - RING_RADIUS).abs() <= RING_HALF_WIDTH {
                put(img, x, y, colour);
            }
        }
    }
}

fn draw_line(img: &mut RgbaImage, x: f32, y: f32, dx: f32, dy: f32, colour: [u8; 3]) {
    let steps = (TICK_LENGTH * 2.0) as i64;
    for i in 0..=steps {
        let t = i as f32 * 0.5;
        put(
            img,
            (x + dx * t).round() as i64,
            (y + dy * t).round() as i64,
            colour,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(img: &RgbaImage, x: usize, y: usize) -> [u8; 4] {
        let at = (y * img.width + x) * 4;
        img.data[at..at + 4].try_into().unwrap()
    }

    fn minutia(x: u16, y: u16, direction: u8, kind: MinutiaKind) -> Minutia {
        Minutia {
            x,
            y,
            direction,
            kind,
            quality: 90,
        }
    }

    #[test]
    fn without_minutiae_it_is_the_softened_image() {
        let img = GrayImage::new(3, 1, vec![0, 128, 255]).unwrap();
        let out = render_features(&img, &[]);
        assert_eq!(
            out.data,
            vec![96, 96, 96, 255, 175, 175, 175, 255, 255, 255, 255, 255]
        );
    }

    #[test]
    fn ring_and_tick_point_the_way_the_ridge_runs() {
        let img = GrayImage::filled(60, 60, 255);
        // direction 64 = a quarter turn counter-clockwise = up on the screen
        let out = render_features(&img, &[minutia(30, 30, 64, MinutiaKind::Bifurcation)]);
        let blue = [24, 96, 224, 255];
        assert_eq!(pixel(&out, 36, 30), blue, "ring, right");
        assert_eq!(pixel(&out, 24, 30), blue, "ring, left");
        assert_eq!(pixel(&out, 30, 30 - 12), blue, "tick, above");
        assert_eq!(pixel(&out, 30, 30 + 12), [255; 4], "nothing below");
        assert_eq!(
            pixel(&out, 33, 33),
            [255; 4],
            "inside the ring, off the tick"
        );
    }

    #[test]
    fn endings_and_bifurcations_differ() {
        let img = GrayImage::filled(40, 20, 200);
        let out = render_features(
            &img,
            &[
                minutia(8, 10, 0, MinutiaKind::Ending),
                minutia(30, 10, 128, MinutiaKind::Bifurcation),
            ],
        );
        assert_eq!(&pixel(&out, 14, 10)[..3], &ENDING_COLOUR);
        assert_eq!(&pixel(&out, 24, 10)[..3], &BIFURCATION_COLOUR);
    }

    #[test]
    fn marks_at_the_edges_are_clipped() {
        let img = GrayImage::filled(5, 4, 0);
        let out = render_features(
            &img,
            &[
                minutia(0, 0, 160, MinutiaKind::Ending),
                minutia(4, 3, 32, MinutiaKind::Ending),
            ],
        );
        assert_eq!(out.data.len(), 5 * 4 * 4);
        assert!(out.data.chunks(4).all(|p| p[3] == 255));
    }
}
