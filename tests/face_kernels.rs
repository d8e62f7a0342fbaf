//! The face engine's kernels on small hand-computed tensors.

use sealmatch::face::detector::{decode, nms, Detection, ANCHORS};
use sealmatch::face::ops::{self, window, Act, Conv, Padding, SepConv};
use sealmatch::face::tensor::Map;

fn map(h: usize, w: usize, c: usize, v: &[f32]) -> Map {
    Map::from_vec(h, w, c, v.to_vec())
}

fn ramp(h: usize, w: usize) -> Map {
    map(h, w, 1, &(1..=h * w).map(|v| v as f32).collect::<Vec<_>>())
}

#[test]
fn window_sizes_follow_tensorflow() {
    assert_eq!(window(4, 3, 2, Padding::Same), (2, 0)); // total 1: none before
    assert_eq!(window(5, 3, 2, Padding::Same), (3, 1)); // total 2: one before
    assert_eq!(window(207, 2, 2, Padding::Same), (104, 0));
    assert_eq!(window(13, 2, 1, Padding::Same), (13, 0));
    assert_eq!(window(35, 3, 2, Padding::Valid), (17, 0));
    assert_eq!(window(4, 3, 2, Padding::Valid), (1, 0));
    assert_eq!(window(5, 3, 1, Padding::Pad(1)), (5, 1));
}

#[test]
fn conv2d_valid_two_outputs_with_bias_and_relu() {
    // 3x3 input 1..9, 2x2 kernel; two output channels: [1,0,0,1] (+0) and [-1,...] (+1).
    // HWIO: tap (0,0): [1, -1]; (0,1): [0, -1]; (1,0): [0, -1]; (1,1): [1, -1]
    let w = [1.0, -1.0, 0.0, -1.0, 0.0, -1.0, 1.0, -1.0];
    let l = Conv::new((2, 2), 1, 2, &w, &[0.0, 1.0]);
    let out = ops::conv2d(&ramp(3, 3), &l, 1, Padding::Valid, Act::Linear);
    assert_eq!((out.h, out.w, out.c), (2, 2, 2));
    assert_eq!(
        out.data,
        vec![6.0, -11.0, 8.0, -15.0, 12.0, -23.0, 14.0, -27.0]
    );
    let out = ops::conv2d(&ramp(3, 3), &l, 1, Padding::Valid, Act::Relu);
    assert_eq!(out.data, vec![6.0, 0.0, 8.0, 0.0, 12.0, 0.0, 14.0, 0.0]);
    let out = ops::conv2d(&ramp(3, 3), &l, 1, Padding::Valid, Act::Leaky(0.1));
    assert!((out.data[1] + 1.1).abs() < 1e-6);
}

#[test]
fn conv2d_blocks_match_a_plain_loop() {
    // Sizes that exercise whole and partial pixel blocks and channel tiles.
    for (h, w, cin, cout, k, s, pad) in [
        (7, 9, 3, 13, 3, 1, Padding::Valid),
        (6, 5, 5, 8, 3, 2, Padding::Same),
        (5, 11, 2, 17, 1, 1, Padding::Valid),
        (9, 9, 4, 9, 7, 2, Padding::Valid),
        (4, 6, 3, 3, 3, 1, Padding::Pad(1)),
    ] {
        let x = map(
            h,
            w,
            cin,
            &(0..h * w * cin)
                .map(|i| ((i * 37) % 11) as f32 - 5.0)
                .collect::<Vec<_>>(),
        );
        let wt: Vec<f32> = (0..k * k * cin * cout)
            .map(|i| ((i * 13) % 7) as f32 * 0.25 - 0.75)
            .collect();
        let b: Vec<f32> = (0..cout).map(|i| i as f32 * 0.5).collect();
        let got = ops::conv2d(
            &x,
            &Conv::new((k, k), cin, cout, &wt, &b),
            s,
            pad,
            Act::Linear,
        );
        let (oh, pt) = window(h, k, s, pad);
        let (ow, pl) = window(w, k, s, pad);
        assert_eq!((got.h, got.w, got.c), (oh, ow, cout));
        for oy in 0..oh {
            for ox in 0..ow {
                for co in 0..cout {
                    let mut want = b[co];
                    for ky in 0..k {
                        for kx in 0..k {
                            let (iy, ix) = (
                                (oy * s + ky) as isize - pt as isize,
                                (ox * s + kx) as isize - pl as isize,
                            );
                            if iy < 0 || ix < 0 || iy >= h as isize || ix >= w as isize {
                                continue;
                            }
                            for ci in 0..cin {
                                want += x.at(iy as usize, ix as usize, ci)
                                    * wt[((ky * k + kx) * cin + ci) * cout + co];
                            }
                        }
                    }
                    assert!(
                        (got.at(oy, ox, co) - want).abs() < 1e-3,
                        "{h}x{w}x{cin}->{cout} k{k} s{s}"
                    );
                }
            }
        }
    }
}

#[test]
fn conv2d_same_stride_two_pads_after() {
    // 4x4 input 1..16, 3x3 kernel of ones, stride 2: windows start at rows/cols 0 and 2,
    // the second runs over the padding (zeros) at the bottom/right.
    let l = Conv::new((3, 3), 1, 1, &[1.0; 9], &[0.0]);
    let out = ops::conv2d(&ramp(4, 4), &l, 2, Padding::Same, Act::Linear);
    // [0..3)x[0..3): 1+2+3+5+6+7+9+10+11 = 54; [0..3)x[2..4): 3+4+7+8+11+12 = 45
    // [2..4)x[0..3): 9+10+11+13+14+15 = 72; [2..4)x[2..4): 11+12+15+16 = 54
    assert_eq!(out.data, vec![54.0, 45.0, 72.0, 54.0]);
    // Pad(1) centres the window: out(0,0) sums rows/cols 0..2.
    let out = ops::conv2d(&ramp(4, 4), &l, 1, Padding::Pad(1), Act::Linear);
    assert_eq!(out.at(0, 0, 0), 1.0 + 2.0 + 5.0 + 6.0);
    assert_eq!(
        out.at(1, 1, 0),
        1.0 + 2.0 + 3.0 + 5.0 + 6.0 + 7.0 + 9.0 + 10.0 + 11.0
    );
}

#[test]
fn depthwise_and_separable() {
    // 3x3x2 input: channel 0 = 1..9, channel 1 = 10 everywhere.
    let mut v = Vec::new();
    for i in 1..=9 {
        v.extend([i as f32, 10.0]);
    }
    let x = map(3, 3, 2, &v);
    // channel 0: centre tap only (identity); channel 1: all taps 1.
    let mut dw = vec![0.0; 18];
    dw[4 * 2] = 1.0;
    for t in 0..9 {
        dw[t * 2 + 1] = 1.0;
    }
    let d = ops::depthwise(&x, &dw, 3, 1, Padding::Pad(1));
    assert_eq!(d.pixel(1, 1), &[5.0, 90.0]);
    assert_eq!(d.pixel(0, 0), &[1.0, 40.0]);
    // Pointwise: out = ch0 - ch1 / 10 + 0.5.
    let l = SepConv {
        dw,
        pw: Conv::new((1, 1), 2, 1, &[1.0, -0.1], &[0.5]),
    };
    let s = ops::sep_conv(&x, &l, 1, Padding::Pad(1), Act::Linear);
    assert_eq!(s.at(1, 1, 0), 5.0 - 9.0 + 0.5);
    assert_eq!(s.at(0, 0, 0), 1.0 - 4.0 + 0.5);
}

#[test]
fn pooling() {
    // Max-pool with `same` padding ignores the padded cells, even for negative maps.
    let x = map(
        3,
        3,
        1,
        &[-9.0, -8.0, -7.0, -6.0, -5.0, -4.0, -3.0, -2.0, -1.0],
    );
    let p = ops::max_pool(&x, 2, 2, Padding::Same);
    assert_eq!(p.data, vec![-5.0, -4.0, -2.0, -1.0]);
    let p = ops::max_pool(&ramp(5, 5), 3, 2, Padding::Valid);
    assert_eq!(p.data, vec![13.0, 15.0, 23.0, 25.0]);
    let a = ops::avg_pool_valid(&ramp(4, 4), 2, 2);
    assert_eq!(a.data, vec![3.5, 5.5, 11.5, 13.5]);
    let a = ops::avg_pool_valid(&ramp(3, 3), 2, 2); // valid: one window, last row/col unused
    assert_eq!(a.data, vec![3.0]);
}

#[test]
fn add_dense_and_fold() {
    let mut a = map(1, 2, 1, &[1.0, -3.0]);
    ops::add_in_place(&mut a, &map(1, 2, 1, &[1.0, 1.0]), Act::Relu);
    assert_eq!(a.data, vec![2.0, 0.0]);
    // [1, 2] x [[1, 2, 3], [4, 5, 6]] + [1, 1, 1]
    let y = ops::dense(
        &[1.0, 2.0],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        Some(&[1.0; 3]),
        3,
    );
    assert_eq!(y, vec![10.0, 13.0, 16.0]);
    // Folding (conv + b) * s + t.
    let mut l = Conv::new((1, 1), 1, 2, &[2.0, 3.0], &[1.0, -1.0]);
    l.fold_affine(&[10.0, 0.5], &[0.0, 4.0]);
    assert_eq!((l.weight(0, 0, 0, 0), l.weight(0, 0, 0, 1)), (20.0, 1.5));
    assert_eq!((l.bias(0), l.bias(1)), (10.0, 3.5));
}

#[test]
fn resize_bilinear_like_tfjs() {
    // 2x2 -> 4x4, source coordinate dst / 2, the last row/column clamped.
    let x = map(2, 2, 1, &[0.0, 4.0, 8.0, 12.0]);
    let r = ops::resize_bilinear(&x, 4, 4);
    assert_eq!(
        r.data,
        vec![0.0, 2.0, 4.0, 4.0, 4.0, 6.0, 8.0, 8.0, 8.0, 10.0, 12.0, 12.0, 8.0, 10.0, 12.0, 12.0]
    );
    // 4x4 -> 2x2 samples rows/cols 0 and 2.
    let r = ops::resize_bilinear(&ramp(4, 4), 2, 2);
    assert_eq!(r.data, vec![1.0, 3.0, 9.0, 11.0]);
}

#[test]
fn decode_one_cell() {
    // One cell, anchor 1 confident, centred offsets (logit 0 -> 0.5), size exp(0) = anchor.
    let mut v = vec![0.0; 25];
    for a in 0..5 {
        v[a * 5 + 4] = -10.0;
    }
    v[5 + 4] = 3.0;
    let out = map(1, 1, 25, &v);
    let d = decode(&out, 0.5, 1.0, 1.0);
    assert_eq!(d.len(), 1);
    let (aw, ah) = ANCHORS[1];
    assert!((d[0].score - 1.0 / (1.0 + (-3.0f32).exp())).abs() < 1e-6);
    assert!((d[0].width - aw).abs() < 1e-6 && (d[0].height - ah).abs() < 1e-6);
    assert!((d[0].x - (0.5 - aw / 2.0)).abs() < 1e-6);
    // A non-square image doubles the relative width when the square is twice as wide.
    let d2 = decode(&out, 0.5, 2.0, 1.0);
    assert!((d2[0].width - 2.0 * aw).abs() < 1e-5);
}

#[test]
fn nms_keeps_the_strongest_of_overlapping_boxes() {
    let b = |score, x| Detection {
        score,
        x,
        y: 0.0,
        width: 10.0,
        height: 10.0,
    };
    // 0 and 1 overlap by 9/11 (IoU 0.82), 2 is apart.
    let kept = nms(&[b(0.6, 0.0), b(0.9, 1.0), b(0.7, 50.0)], 0.4);
    assert_eq!(kept, vec![b(0.9, 1.0), b(0.7, 50.0)]);
    // Overlap 4/16 = IoU 0.25 is kept at 0.4.
    let kept = nms(&[b(0.6, 0.0), b(0.9, 6.0)], 0.4);
    assert_eq!(kept.len(), 2);
}
