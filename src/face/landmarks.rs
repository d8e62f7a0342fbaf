//! face-api.js's 68-point landmark networks (tiny and full), reimplemented.
//!
//! Input 112×112 RGB. Dense blocks of depthwise-separable convolutions
//! (face-api's `denseBlock3`/`denseBlock4`): the first layer of each block
//! has stride 2 (a plain 3×3 convolution in the first block), every later
//! layer adds the outputs of all earlier ones, ReLU after each sum. Tiny: 3
//! blocks (32, 64, 128 channels) of 3 layers; full: 4 blocks (32…256) of 4.
//! Then the mean over the last map and a fully connected layer to 136
//! values: (x, y) of 68 points relative to the input square.

use super::load;
use super::ops::{self, Act, Conv, Padding, SepConv};
use super::tensor::Map;
use super::weights::Weights;
use crate::error::Result;

/// The side of the network input.
pub const INPUT: usize = 112;
/// The mean subtracted from each RGB value before dividing by 255.
pub const MEAN_RGB: [f32; 3] = [122.782, 117.001, 104.298];
/// Number of points.
pub const POINTS: usize = 68;

#[derive(Clone, Debug)]
enum First {
    Conv(Conv),
    Sep(SepConv),
}

#[derive(Clone, Debug)]
struct DenseBlock {
    first: First,
    rest: Vec<SepConv>,
}

impl DenseBlock {
    fn forward(&self, x: &Map) -> Map {
        let out1 = match &self.first {
            First::Conv(c) => ops::conv2d(x, c, 2, Padding::Same, Act::Relu),
            First::Sep(s) => ops::sep_conv(x, s, 2, Padding::Same, Act::Relu),
        };
        // `sum` is out1 + out2 + ... so far; each layer reads relu(sum).
        let mut sum = out1.clone();
        let mut input = out1;
        for l in &self.rest {
            let out = ops::sep_conv(&input, l, 1, Padding::Same, Act::Linear);
            ops::add_in_place(&mut sum, &out, Act::Linear);
            input = sum.clone();
            input.data.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        input
    }
}

/// A 68-point landmark network with its weights.
#[derive(Clone, Debug)]
pub struct LandmarkNet {
    blocks: Vec<DenseBlock>,
    fc_w: Vec<f32>,
    fc_b: Vec<f32>,
}

impl LandmarkNet {
    /// Takes the `landmarks_tiny/...` (`tiny`) or `landmarks/...` tensors.
    pub fn from_weights(w: &mut Weights, tiny: bool) -> Result<LandmarkNet> {
        let (net, channels, layers): (&str, &[usize], usize) = if tiny {
            ("landmarks_tiny", &[32, 64, 128], 3)
        } else {
            ("landmarks", &[32, 64, 128, 256], 4)
        };
        let mut blocks = Vec::new();
        let mut cin = 3;
        for (b, &c) in channels.iter().enumerate() {
            let p = format!("{net}/dense{b}");
            let first = if b == 0 {
                First::Conv(load::conv(w, &format!("{p}/conv0"), 3, cin, c)?)
            } else {
                First::Sep(load::sep_conv(w, &format!("{p}/conv0"), cin, c)?)
            };
            let rest = (1..layers)
                .map(|i| load::sep_conv(w, &format!("{p}/conv{i}"), c, c))
                .collect::<Result<Vec<_>>>()?;
            blocks.push(DenseBlock { first, rest });
            cin = c;
        }
        let fc_w = w
            .take(&format!("{net}/fc/weights"), &[cin, 2 * POINTS])?
            .data;
        let fc_b = w.take(&format!("{net}/fc/bias"), &[2 * POINTS])?.data;
        Ok(LandmarkNet { blocks, fc_w, fc_b })
    }

    /// The 136 raw outputs (x0, y0, x1, …) relative to the input square,
    /// for a normalised 112×112 input (see [`LandmarkNet::input`]).
    pub fn forward(&self, x: &Map) -> Vec<f32> {
        let mut out = self.blocks[0].forward(x);
        for b in &self.blocks[1..] {
            out = b.forward(&out);
        }
        let pooled = ops::avg_pool_valid(&out, out.h, 1);
        ops::dense(&pooled.data, &self.fc_w, Some(&self.fc_b), 2 * POINTS)
    }

    /// The network input for a square RGB crop (values 0..255): resized to
    /// 112×112, the mean subtracted, divided by 255.
    pub fn input(rgb: &Map) -> Map {
        normalised(rgb, INPUT, MEAN_RGB)
    }
}

/// Resizes a square RGB map to `size` (when needed), subtracts `mean` and
/// divides by 255.
pub fn normalised(rgb: &Map, size: usize, mean: [f32; 3]) -> Map {
    let mut x = if rgb.h == size && rgb.w == size {
        rgb.clone()
    } else {
        ops::resize_bilinear(rgb, size, size)
    };
    for px in x.data.chunks_exact_mut(3) {
        for (v, m) in px.iter_mut().zip(mean) {
            *v = (*v - m) / 255.0;
        }
    }
    x
}
