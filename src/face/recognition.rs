//! The 128-d face recognition ResNet (dlib's `dlib_face_recognition_resnet_model_v1`
//! as ported to tfjs by face-api.js), reimplemented.
//!
//! Input 150×150 RGB, minus face-api's mean, divided by 255. A 7×7 stride-2
//! convolution (32), a 3×3 stride-2 max-pool, then residual blocks of two
//! 3×3 convolutions each with a per-channel scale (folded into the
//! convolutions at load): 3 × 32, a down-sampling block and 3 × 64, one and
//! 2 × 128, one and 2 × 256, and a last down-sampling 256 block. A
//! down-sampling block's shortcut is a 2×2 average pool, zero-extended in
//! channels, and its main path is padded with zeros at the bottom and right
//! when the pooled map is larger (face-api's `residualDown`). The mean over
//! the last map and a 256→128 matrix give the descriptor.

use super::load;
use super::ops::{self, Act, Conv, Padding};
use super::tensor::Map;
use super::weights::Weights;
use crate::error::Result;

/// The side of the network input (the aligned face chip).
pub const INPUT: usize = 150;
/// The mean subtracted from each RGB value before dividing by 255.
pub const MEAN_RGB: [f32; 3] = [122.782, 117.001, 104.298];
/// Length of the descriptor.
pub const DIM: usize = 128;

/// The residual blocks: (name, channels, down-sampling).
const BLOCKS: [(&str, usize, bool); 14] = [
    ("conv32_1", 32, false),
    ("conv32_2", 32, false),
    ("conv32_3", 32, false),
    ("conv64_down", 64, true),
    ("conv64_1", 64, false),
    ("conv64_2", 64, false),
    ("conv64_3", 64, false),
    ("conv128_down", 128, true),
    ("conv128_1", 128, false),
    ("conv128_2", 128, false),
    ("conv256_down", 256, true),
    ("conv256_1", 256, false),
    ("conv256_2", 256, false),
    ("conv256_down_out", 256, true),
];

#[derive(Clone, Debug)]
struct Residual {
    conv1: Conv,
    conv2: Conv,
    down: bool,
}

/// The recognition network with its weights.
#[derive(Clone, Debug)]
pub struct RecognitionNet {
    stem: Conv,
    blocks: Vec<Residual>,
    fc: Vec<f32>,
}

/// `<prefix>/conv/{filters,bias}` with `<prefix>/scale/{weights,biases}` folded in.
fn scaled_conv(w: &mut Weights, prefix: &str, k: usize, cin: usize, cout: usize) -> Result<Conv> {
    let mut c = load::conv(w, &format!("{prefix}/conv"), k, cin, cout)?;
    let s = w.take(&format!("{prefix}/scale/weights"), &[cout])?;
    let t = w.take(&format!("{prefix}/scale/biases"), &[cout])?;
    c.fold_affine(&s.data, &t.data);
    Ok(c)
}

impl RecognitionNet {
    /// Takes the `recognition/...` tensors.
    pub fn from_weights(w: &mut Weights) -> Result<RecognitionNet> {
        let stem = scaled_conv(w, "recognition/conv32_down", 7, 3, 32)?;
        let mut blocks = Vec::new();
        let mut cin = 32;
        for &(name, c, down) in &BLOCKS {
            let p = format!("recognition/{name}");
            let conv1 = scaled_conv(w, &format!("{p}/conv1"), 3, cin, c)?;
            let conv2 = scaled_conv(w, &format!("{p}/conv2"), 3, c, c)?;
            blocks.push(Residual { conv1, conv2, down });
            cin = c;
        }
        let fc = w.take("recognition/fc", &[256, DIM])?.data;
        Ok(RecognitionNet { stem, blocks, fc })
    }

    /// The raw (not normalised) 128-d descriptor of a normalised 150×150
    /// input (see [`RecognitionNet::input`]).
    pub fn forward(&self, x: &Map) -> Vec<f32> {
        let out = ops::conv2d(x, &self.stem, 2, Padding::Valid, Act::Relu);
        let mut out = ops::max_pool(&out, 3, 2, Padding::Valid);
        for b in &self.blocks {
            out = b.forward(&out);
        }
        let pooled = ops::avg_pool_valid(&out, out.h, 1);
        ops::dense(&pooled.data, &self.fc, None, DIM)
    }

    /// The network input for a 150×150 RGB chip (values 0..255).
    pub fn input(rgb: &Map) -> Map {
        super::landmarks::normalised(rgb, INPUT, MEAN_RGB)
    }
}

impl Residual {
    fn forward(&self, x: &Map) -> Map {
        if !self.down {
            let a = ops::conv2d(x, &self.conv1, 1, Padding::Same, Act::Relu);
            let mut b = ops::conv2d(&a, &self.conv2, 1, Padding::Same, Act::Linear);
            ops::add_in_place(&mut b, x, Act::Relu);
            return b;
        }
        let a = ops::conv2d(x, &self.conv1, 2, Padding::Valid, Act::Relu);
        let b = ops::conv2d(&a, &self.conv2, 1, Padding::Same, Act::Linear);
        let pooled = ops::avg_pool_valid(x, 2, 2);
        // Shortcut: the pooled map, channels zero-extended; plus the main
        // path, zero-padded at the bottom and right to the pooled size.
        let mut out = Map::zeros(pooled.h, pooled.w, b.c);
        for y in 0..out.h {
            for xx in 0..out.w {
                let o = out.index(y, xx, 0);
                let dst = &mut out.data[o..o + b.c];
                dst[..pooled.c].copy_from_slice(pooled.pixel(y, xx));
                if y < b.h && xx < b.w {
                    for (d, v) in dst.iter_mut().zip(b.pixel(y, xx)) {
                        *d += v;
                    }
                }
                dst.iter_mut().for_each(|v| *v = v.max(0.0));
            }
        }
        out
    }
}
