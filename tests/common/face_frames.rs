//! Frames drawn for the face tests (no photo): cartoon faces on a textured
//! background, the drawing of tests/face_reference.mjs with its own noise.
//! Shared by the face tests through `#[path = "common/face_frames.rs"] mod face_frames;`.

#![allow(dead_code)] // each test binary uses its own part

/// An RGBA frame with cartoon faces `(cx, cy, width)` on a textured background
/// (the drawing of tests/face_reference.mjs, with its own noise).
pub fn draw(width: usize, height: usize, faces: &[(f32, f32, f32)], seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as f32 / u32::MAX as f32
    };
    let mut px = vec![255u8; width * height * 4];
    for y in 0..height {
        for x in 0..width {
            let i = (y * width + x) * 4;
            let n = rnd() * 30.0;
            px[i] = (60.0 + x as f32 * 90.0 / width as f32 + n) as u8;
            px[i + 1] = (80.0 + y as f32 * 60.0 / height as f32 + n) as u8;
            px[i + 2] = (110.0 + n) as u8;
        }
    }
    #[rustfmt::skip]
    let parts: [([f32; 4], [f32; 3]); 10] = [
        ([0.0, -0.12, 0.56, 0.62], [60.0, 40.0, 30.0]),
        ([0.0, 0.05, 0.5, 0.64], [205.0, 160.0, 130.0]),
        ([-0.2, -0.08, 0.11, 0.05], [245.0, 245.0, 240.0]),
        ([0.2, -0.08, 0.11, 0.05], [245.0, 245.0, 240.0]),
        ([-0.2, -0.08, 0.05, 0.05], [50.0, 35.0, 25.0]),
        ([0.2, -0.08, 0.05, 0.05], [50.0, 35.0, 25.0]),
        ([-0.2, -0.2, 0.13, 0.03], [70.0, 45.0, 30.0]),
        ([0.2, -0.2, 0.13, 0.03], [70.0, 45.0, 30.0]),
        ([0.0, 0.1, 0.06, 0.1], [185.0, 135.0, 110.0]),
        ([0.0, 0.32, 0.17, 0.05], [170.0, 70.0, 70.0]),
    ];
    for &(cx, cy, s) in faces {
        for ([ex, ey, rx, ry], col) in parts {
            for y in 0..height {
                for x in 0..width {
                    let (dx, dy) = (
                        (x as f32 - cx - ex * s) / (rx * s),
                        (y as f32 - cy - ey * s) / (ry * s),
                    );
                    if dx * dx + dy * dy <= 1.0 {
                        let i = (y * width + x) * 4;
                        let n = (rnd() - 0.5) * 16.0;
                        for c in 0..3 {
                            px[i + c] = (col[c] + n).clamp(0.0, 255.0) as u8;
                        }
                    }
                }
            }
        }
    }
    px
}
