//! The tiny face detector of face-api.js (a YOLO-v2-style network with
//! depthwise-separable convolutions, one class, five anchors), reimplemented.
//!
//! Architecture (from face-api's `TinyYolov2Base.runMobilenet` with the
//! `TinyFaceDetector` configuration): a 3×3 convolution without padding,
//! then five depthwise-separable 3×3 convolutions (16→32→…→512, each padded
//! by one), a 2×2 max-pool after each layer (stride 2, the last stride 1),
//! leaky ReLU (0.1) throughout, and a 1×1 convolution to 5 anchors × 5 values.

use super::load;
use super::ops::{self, Act, Conv, Padding, SepConv};
use super::tensor::Map;
use super::weights::Weights;
use crate::error::Result;

/// The anchors (width, height in grid cells) of face-api's tiny face detector.
pub const ANCHORS: [(f32, f32); 5] = [
    (1.603231, 2.094468),
    (6.041143, 7.080126),
    (2.882459, 3.518061),
    (4.266906, 5.178857),
    (9.041765, 10.66308),
];
/// The mean subtracted from each RGB value before dividing by 255.
pub const MEAN_RGB: [f32; 3] = [117.001, 114.697, 97.404];
/// The overlap above which the weaker of two boxes is suppressed.
pub const IOU_THRESHOLD: f32 = 0.4;

const LEAKY: Act = Act::Leaky(0.1);
const CHANNELS: [usize; 7] = [3, 16, 32, 64, 128, 256, 512];

/// A face found by the detector, in pixels of the image given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// Confidence, 0..1.
    pub score: f32,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Detection {
    fn iou(&self, o: &Detection) -> f32 {
        let w = ((self.x + self.width).min(o.x + o.width) - self.x.max(o.x)).max(0.0);
        let h = ((self.y + self.height).min(o.y + o.height) - self.y.max(o.y)).max(0.0);
        let inter = w * h;
        inter / (self.width * self.height + o.width * o.height - inter)
    }
}

/// The tiny face detector with its weights.
#[derive(Clone, Debug)]
pub struct TinyFaceDetector {
    conv0: Conv,
    sep: Vec<SepConv>,
    conv8: Conv,
}

impl TinyFaceDetector {
    /// Takes the `detector/...` tensors.
    pub fn from_weights(w: &mut Weights) -> Result<TinyFaceDetector> {
        let conv0 = load::conv(w, "detector/conv0", 3, 3, 16)?;
        let sep = (1..=5)
            .map(|i| {
                load::sep_conv(
                    w,
                    &format!("detector/conv{i}"),
                    CHANNELS[i],
                    CHANNELS[i + 1],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let conv8 = load::conv(w, "detector/conv8", 1, 512, 25)?;
        Ok(TinyFaceDetector { conv0, sep, conv8 })
    }

    /// The raw network output (`cells × cells × 25`) for a normalised
    /// square input (see [`TinyFaceDetector::input`]); the side must be a
    /// multiple of 32.
    pub fn forward(&self, x: &Map) -> Map {
        let mut out = ops::conv2d(x, &self.conv0, 1, Padding::Valid, LEAKY);
        for (i, l) in self.sep.iter().enumerate() {
            out = ops::max_pool(&out, 2, 2, Padding::Same);
            out = ops::sep_conv(&out, l, 1, Padding::Pad(1), LEAKY);
            if i == self.sep.len() - 1 {
                out = ops::max_pool(&out, 2, 1, Padding::Same);
            }
        }
        ops::conv2d(&out, &self.conv8, 1, Padding::Valid, Act::Linear)
    }

    /// The network input for an RGB image (values 0..255): padded with
    /// zeros on the right or bottom to a square, resized to `size`, the mean
    /// subtracted and divided by 255, as face-api does.
    pub fn input(rgb: &Map, size: usize) -> Map {
        let side = rgb.h.max(rgb.w);
        let mut square = Map::zeros(side, side, 3);
        for y in 0..rgb.h {
            let row = &rgb.data[y * rgb.w * 3..(y + 1) * rgb.w * 3];
            square.data[y * side * 3..y * side * 3 + rgb.w * 3].copy_from_slice(row);
        }
        let mut x = if side == size {
            square
        } else {
            ops::resize_bilinear(&square, size, size)
        };
        for px in x.data.chunks_exact_mut(3) {
            for (v, m) in px.iter_mut().zip(MEAN_RGB) {
                *v = (*v - m) / 255.0;
            }
        }
        x
    }

    /// Faces in an RGB image (values 0..255) with a score above
    /// `min_score`, strongest first, after non-maximum suppression.
    pub fn detect(&self, rgb: &Map, size: usize, min_score: f32) -> Vec<Detection> {
        let out = self.forward(&Self::input(rgb, size));
        self.boxes(&out, rgb, min_score)
    }

    /// Faces in a square RGB map (values 0..255) whose side is the network
    /// input's (a multiple of 32), in its pixels: [`TinyFaceDetector::detect`]
    /// without the padding and resizing.
    pub fn detect_square(&self, rgb: &Map, min_score: f32) -> Vec<Detection> {
        let mut x = Map::from_vec(rgb.h, rgb.w, 3, rgb.data.clone());
        for px in x.data.chunks_exact_mut(3) {
            for (v, m) in px.iter_mut().zip(MEAN_RGB) {
                *v = (*v - m) / 255.0;
            }
        }
        let out = self.forward(&x);
        self.boxes(&out, rgb, min_score)
    }

    /// Decoded, suppressed boxes in pixels of `rgb`.
    fn boxes(&self, out: &Map, rgb: &Map, min_score: f32) -> Vec<Detection> {
        let side = rgb.w.max(rgb.h) as f32;
        let boxes = decode(out, min_score, side / rgb.w as f32, side / rgb.h as f32);
        nms(&boxes, IOU_THRESHOLD)
            .into_iter()
            .map(|d| Detection {
                x: d.x * rgb.w as f32,
                y: d.y * rgb.h as f32,
                width: d.width * rgb.w as f32,
                height: d.height * rgb.h as f32,
                ..d
            })
            .collect()
    }
}

fn sigmoid(v: f32) -> f32 {
    1.0 / (1.0 + (-v).exp())
}

/// Decodes the network output into boxes relative to the image (0..1 on
/// each axis), `corr_x`/`corr_y` being the square's side over the image's
/// width/height; keeps scores above `min_score`, in grid order.
pub fn decode(out: &Map, min_score: f32, corr_x: f32, corr_y: f32) -> Vec<Detection> {
    let cells = out.h as f32;
    let mut found = Vec::new();
    for row in 0..out.h {
        for col in 0..out.w {
            let px = out.pixel(row, col);
            for (a, &(aw, ah)) in ANCHORS.iter().enumerate() {
                let v = &px[a * 5..a * 5 + 5];
                let score = sigmoid(v[4]);
                if score <= min_score {
                    continue;
                }
                let cx = (col as f32 + sigmoid(v[0])) / cells * corr_x;
                let cy = (row as f32 + sigmoid(v[1])) / cells * corr_y;
                let w = v[2].exp() * aw / cells * corr_x;
                let h = v[3].exp() * ah / cells * corr_y;
                found.push(Detection {
                    score,
                    x: cx - w / 2.0,
                    y: cy - h / 2.0,
                    width: w,
                    height: h,
                });
            }
        }
    }
    found
}

/// Non-maximum suppression as face-api does it: repeatedly keep the highest
/// score (the last one among equal scores) and drop boxes overlapping it by
/// more than `iou`.
pub fn nms(boxes: &[Detection], iou: f32) -> Vec<Detection> {
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by(|&a, &b| boxes[a].score.total_cmp(&boxes[b].score));
    let mut kept = Vec::new();
    while let Some(best) = order.pop() {
        kept.push(boxes[best]);
        order.retain(|&i| boxes[best].iou(&boxes[i]) <= iou);
    }
    kept
}
