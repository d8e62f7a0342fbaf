//! The face pipeline on frames drawn here (cartoon faces, blank and noise
//! frames): bounds, face choice, feedback, embeddings. The tests that run the
//! networks need target/face/sealmatch-face.bin (`node scripts/face-models.mjs`)
//! and say so when it is absent (failing when SEALMATCH_FACE_REQUIRED=1).

use sealmatch::face::align::{chip_points, chip_transform, similarity, LANDMARKS};
use sealmatch::face::capture::{Embedding, FaceEngine, FaceOptions};
use sealmatch::face::frame::{Affine, Frame, MAX_PIXELS};
use sealmatch::face::quality::{self, Feedback};
use sealmatch::face::tensor::Map;
use sealmatch::ErrorCode;
use std::sync::OnceLock;

#[path = "common/face_frames.rs"]
mod face_frames;
use face_frames::draw;

/// The engine, loaded once for all tests (None, after saying what to run,
/// when the weights file is absent).
fn engine() -> Option<&'static FaceEngine> {
    static ENGINE: OnceLock<Option<FaceEngine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/face/sealmatch-face.bin");
            match std::fs::read(&path) {
                Ok(bytes) => Some(FaceEngine::new(&bytes, FaceOptions::default()).unwrap()),
                Err(_) => {
                    let msg = format!(
                        "{} absent: run `node scripts/face-models.mjs`",
                        path.display()
                    );
                    if std::env::var("SEALMATCH_FACE_REQUIRED").as_deref() == Ok("1") {
                        panic!("{msg}");
                    }
                    eprintln!("SKIPPED: {msg}");
                    None
                }
            }
        })
        .as_ref()
}

#[test]
fn frames_out_of_bounds_are_refused() {
    let small = vec![0u8; 31 * 40 * 4];
    assert_eq!(
        Frame::new(31, 40, &small).unwrap_err().code(),
        ErrorCode::InvalidImage
    );
    assert_eq!(
        Frame::new(40, 40, &small).unwrap_err().code(),
        ErrorCode::InvalidImage
    );
    // 4096 x 4097 is over the side bound; 4096 x 4096 is the pixel bound itself.
    assert_eq!(
        Frame::new(4097, 64, &[]).unwrap_err().code(),
        ErrorCode::InvalidImage
    );
    assert_eq!(4096 * 4096, MAX_PIXELS);
    let extreme = vec![0u8; 4096 * 32 * 4];
    assert!(Frame::new(4096, 32, &extreme).is_ok());
}

#[test]
fn similarity_recovers_a_known_transform() {
    let t = Affine {
        a: 0.8,
        b: -0.6,
        c: 0.6,
        d: 0.8,
        tx: 12.0,
        ty: -3.0,
    }; // 36.87°, scale 1
    let from = chip_points();
    let to = from.map(|(x, y)| t.apply(x, y));
    let got = similarity(&from, &to);
    for (g, w) in [
        (got.a, t.a),
        (got.b, t.b),
        (got.c, t.c),
        (got.d, t.d),
        (got.tx, t.tx),
        (got.ty, t.ty),
    ] {
        assert!((g - w).abs() < 1e-3, "{got:?}");
    }
    // 68 points whose five template points sit exactly at the chip points map back to them.
    let mut points = vec![(0.0, 0.0); 68];
    for (i, &l) in LANDMARKS.iter().enumerate() {
        points[l] = (
            chip_points()[i].0 * 2.0 + 100.0,
            chip_points()[i].1 * 2.0 + 50.0,
        );
    }
    let m = chip_transform(&points);
    assert!((m.a - 2.0).abs() < 1e-4 && m.b.abs() < 1e-4 && (m.tx - 100.0).abs() < 1e-3);
}

#[test]
fn warp_samples_the_frame() {
    // A horizontal ramp: red = x. The crop of [10, 20) x [0, 10) at 10 px has red = 10.5 + u.
    let (w, h) = (40, 40);
    let mut px = vec![0u8; w * h * 4];
    for y in 0..h {
        for x in 0..w {
            px[(y * w + x) * 4] = x as u8;
        }
    }
    let f = Frame::new(w, h, &px).unwrap();
    let m = f.warp(&Affine::square(10.0, 0.0, 10.0, 10), 10);
    for u in 1..9 {
        assert!(
            (m.at(5, u, 0) - (10.0 + u as f32)).abs() < 1e-4,
            "{}",
            m.at(5, u, 0)
        );
    }
    // Outside the frame is black.
    let m = f.warp(&Affine::square(-100.0, -100.0, 10.0, 4), 4);
    assert!(m.data.iter().all(|&v| v == 0.0));
    // Shrinking 4x averages: a 1-px checkerboard becomes flat grey.
    let board: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let v = if (i % w + i / w) % 2 == 0 { 255 } else { 0 };
            [v, v, v, 255]
        })
        .collect();
    let f = Frame::new(w, h, &board).unwrap();
    let m = f.warp(&Affine::square(0.0, 0.0, 40.0, 10), 10);
    assert!(m.data.iter().all(|&v| (v - 127.5).abs() < 20.0));
}

#[test]
fn quality_measures_react() {
    let flat = |v: f32| Map::from_vec(150, 150, 3, vec![v; 150 * 150 * 3]);
    assert!(quality::luma(&flat(20.0)) < quality::MIN_LUMA);
    assert!(quality::luma(&flat(240.0)) > quality::MAX_LUMA);
    assert!(quality::sharpness(&flat(128.0)) < quality::MIN_SHARPNESS);
    let stripes: Vec<f32> = (0..150 * 150)
        .flat_map(|i| {
            let v = if (i % 150) % 4 < 2 { 60.0 } else { 190.0 };
            [v, v, v]
        })
        .collect();
    assert!(quality::sharpness(&Map::from_vec(150, 150, 3, stripes)) > quality::MIN_SHARPNESS);
    assert_eq!(quality::score(&[]), 100);
    assert_eq!(quality::score(&[Feedback::Turned, Feedback::Blurred]), 45);
    assert_eq!(quality::score(&[Feedback::NoFace]), 0);
}

/// 68 landmarks of [`quality::HEAD_MODEL`] turned by `yaw` then tilted by
/// `pitch` (degrees), seen from far away (orthographic), the others at the nose tip.
fn posed_landmarks(yaw: f32, pitch: f32) -> Vec<(f32, f32)> {
    let (sy, cy) = yaw.to_radians().sin_cos();
    let (sp, cp) = pitch.to_radians().sin_cos();
    let mut points = vec![(320.0, 240.0); 68];
    for (i, [x, y, z]) in quality::HEAD_MODEL {
        // Pitch about x (nose up), then yaw about y (nose to the image's right).
        let (y1, z1) = (y * cp + z * sp, -y * sp + z * cp);
        let x2 = x * cy + z1 * sy;
        points[i] = (320.0 + 0.3 * x2, 240.0 - 0.3 * y1);
    }
    points
}

#[test]
fn head_pose_recovers_known_angles() {
    for (yaw, pitch) in [
        (0.0, 0.0),
        (20.0, 0.0),
        (-35.0, 10.0),
        (50.0, -20.0),
        (5.0, 25.0),
    ] {
        let pose = quality::head_pose(&posed_landmarks(yaw, pitch));
        assert!(
            (pose.yaw - yaw).abs() < 0.1 && (pose.pitch - pitch).abs() < 0.1,
            "({yaw}, {pitch}): {pose:?}"
        );
    }
    // A mirrored face has the opposite yaw and the same pitch.
    let points = posed_landmarks(28.0, 7.0);
    let mut mirrored = points.clone();
    for (l, r) in [(36, 45), (48, 54)] {
        mirrored[l] = (640.0 - points[r].0, points[r].1);
        mirrored[r] = (640.0 - points[l].0, points[l].1);
    }
    for i in [30, 8] {
        mirrored[i] = (640.0 - points[i].0, points[i].1);
    }
    let (p, m) = (quality::head_pose(&points), quality::head_pose(&mirrored));
    assert!((p.yaw + m.yaw).abs() < 0.01 && (p.pitch - m.pitch).abs() < 0.01);
    // Degenerate points: no pose rather than NaN.
    assert_eq!(
        quality::head_pose(&[(5.0, 5.0); 68]),
        quality::Pose::default()
    );
}

#[test]
fn turned_follows_the_pose_limits() {
    let chip = Map::from_vec(150, 150, 3, vec![128.0; 150 * 150 * 3]);
    let turned = |yaw: f32, pitch: f32| {
        quality::assess(
            &posed_landmarks(yaw, pitch),
            &chip,
            (640.0, 480.0),
            (320.0, 240.0),
        )
        .contains(&Feedback::Turned)
    };
    let (lo, hi) = quality::PITCH_RANGE;
    for sign in [-1.0, 1.0] {
        assert!(!turned(sign * (quality::MAX_YAW - 2.0), 0.0));
        assert!(turned(sign * (quality::MAX_YAW + 2.0), 0.0));
    }
    assert!(!turned(0.0, lo + 2.0) && !turned(0.0, hi - 2.0));
    assert!(turned(0.0, lo - 2.0) && turned(0.0, hi + 2.0));
}

#[test]
fn embedding_score_scale() {
    let mut v = [0.0f32; 128];
    v[0] = 1.0;
    let a = Embedding::from_raw(&v);
    v[0] = 0.0;
    v[1] = 5.0;
    let b = Embedding::from_raw(&v);
    assert_eq!(a.score(&b), 0.0); // orthogonal: cosine 0
    assert!(!format!("{a:?}").contains('0'), "Debug hides the values");
}

#[test]
fn blank_and_noise_frames_have_no_face() {
    let Some(engine) = engine() else { return };
    let (w, h) = (320, 240);
    let mut state = 7u32;
    let noise: Vec<u8> = (0..w * h * 4)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    for px in [vec![0u8; w * h * 4], vec![255u8; w * h * 4], noise] {
        let c = engine.run(&Frame::new(w, h, &px).unwrap(), true);
        assert_eq!(c.feedback, vec![Feedback::NoFace]);
        assert!(c.embedding.is_none() && c.face_box.is_none());
        assert_eq!(c.quality, 0);
    }
}

#[test]
fn one_face_is_captured_with_its_box() {
    let Some(engine) = engine() else { return };
    let px = draw(640, 480, &[(330.0, 230.0, 170.0)], 3);
    let c = engine.run(&Frame::new(640, 480, &px).unwrap(), true);
    let b = c.face_box.expect("a face");
    let (cx, cy) = (b.x + b.width / 2.0, b.y + b.height / 2.0);
    assert!(
        (cx - 330.0).abs() < 40.0 && (cy - 240.0).abs() < 50.0,
        "{b:?}"
    );
    assert!(b.width > 100.0 && b.width < 300.0, "{b:?}");
    let e = c.embedding.expect("an embedding");
    let norm: f32 = e.0.iter().map(|v| v * v).sum();
    assert!((norm - 1.0).abs() < 1e-4);
    assert!(!c.feedback.contains(&Feedback::SeveralFaces));
    // The same frame gives the same embedding; the guidance run gives none.
    let again = engine.run(&Frame::new(640, 480, &px).unwrap(), true);
    let again = again.embedding.unwrap();
    assert_eq!(again.0, e.0);
    assert!(again.score(&e) > 0.99999);
    assert!(engine
        .run(&Frame::new(640, 480, &px).unwrap(), false)
        .embedding
        .is_none());
}

#[test]
fn the_most_prominent_of_several_faces_is_used() {
    let Some(engine) = engine() else { return };
    // A large face in the centre, a smaller one near a corner.
    let px = draw(640, 480, &[(330.0, 250.0, 200.0), (95.0, 110.0, 130.0)], 5);
    let c = engine.run(&Frame::new(640, 480, &px).unwrap(), true);
    assert!(
        c.feedback.contains(&Feedback::SeveralFaces),
        "{:?}",
        c.feedback
    );
    let b = c.face_box.unwrap();
    assert!(b.x > 150.0, "the central face: {b:?}");
    assert!(c.embedding.is_some());
    // Two alike faces side by side: none dominates, refused.
    let px = draw(640, 480, &[(170.0, 240.0, 150.0), (470.0, 240.0, 150.0)], 6);
    let c = engine.run(&Frame::new(640, 480, &px).unwrap(), true);
    assert_eq!(c.feedback, vec![Feedback::SeveralFaces]);
    assert!(c.embedding.is_none());
}

#[test]
fn extreme_frames_end_without_a_face_and_without_panic() {
    let Some(engine) = engine() else { return };
    for (w, h) in [(4096, 32), (32, 4096), (32, 32), (1000, 999)] {
        let px: Vec<u8> = (0..w * h * 4).map(|i| (i * 7 % 251) as u8).collect();
        let c = engine.run(&Frame::new(w, h, &px).unwrap(), true);
        assert!(c.embedding.is_none(), "{w}x{h}");
        // A texture may pass for a face at a small size: then it is too small to use.
        assert!(
            c.feedback == vec![Feedback::NoFace] || c.feedback == vec![Feedback::TooSmall],
            "{w}x{h}: {:?}",
            c.feedback
        );
    }
    // A face cut by the frame's edge is still handled (found or not, no panic).
    let px = draw(320, 240, &[(10.0, 120.0, 160.0)], 9);
    let c = engine.run(&Frame::new(320, 240, &px).unwrap(), true);
    assert!(c.quality <= 100);
}

#[test]
fn face_samples_seal_and_match_through_the_api() {
    use sealmatch::face::sample::FaceSample;
    use sealmatch::{enroll_any, verify_any, Biometric, EnrollOptions, VerifyOptions};
    let Some(engine) = engine() else { return };
    let px = draw(640, 480, &[(330.0, 230.0, 170.0)], 3);
    let face = FaceSample::from_rgba(engine, 640, 480, &px).unwrap();
    assert!(face.is_usable() && face.quality() > 0 && face.face_box().is_some());
    let e = enroll_any(&[&face], &EnrollOptions::new("B1", "SK1415")).unwrap();
    let r = verify_any(&face, &e.token, &e.passenger_key, &VerifyOptions::new("B1")).unwrap();
    assert!(r.matched && r.score > 0.9999, "{}", r.score);
    assert_eq!(r.threshold, sealmatch::matcher::FACE_DEFAULT_THRESHOLD);
    // A frame without a face: not usable, LOW_QUALITY at enroll and verify.
    let blank = FaceSample::from_rgba(engine, 320, 240, &vec![0u8; 320 * 240 * 4]).unwrap();
    assert!(!blank.is_usable() && blank.quality() == 0);
    assert_eq!(blank.feedback(), &[Feedback::NoFace]);
    let opts = EnrollOptions::new("B1", "SK1415");
    let code = |r: sealmatch::Result<sealmatch::Enrolled>| r.unwrap_err().code();
    assert_eq!(code(enroll_any(&[&blank], &opts)), ErrorCode::LowQuality);
    assert_eq!(
        code(enroll_any(&[&face, &blank], &opts)),
        ErrorCode::LowQuality
    );
    let v = verify_any(
        &blank,
        &e.token,
        &e.passenger_key,
        &VerifyOptions::new("B1"),
    );
    assert_eq!(v.unwrap_err().code(), ErrorCode::LowQuality);
    let small = FaceSample::from_rgba(engine, 16, 16, &[0; 1024]);
    assert_eq!(small.unwrap_err().code(), ErrorCode::InvalidImage);
}

#[test]
fn tiny_faces_crowds_and_wrong_lengths_get_codes() {
    use sealmatch::face::sample::FaceSample;
    use sealmatch::{enroll_any, Biometric, EnrollOptions};
    // Buffers one byte off, or RGB instead of RGBA.
    for len in [64 * 64 * 4 - 1, 64 * 64 * 4 + 1, 64 * 64 * 3, 0] {
        let px = vec![0u8; len];
        assert_eq!(
            Frame::new(64, 64, &px).unwrap_err().code(),
            ErrorCode::InvalidImage,
            "{len} bytes"
        );
    }
    let Some(engine) = engine() else { return };
    let opts = EnrollOptions::new("B1", "SK1415");
    // A face whose box is under 32 px, and a crowd of six alike faces.
    let crowd: Vec<(f32, f32, f32)> = (0..6)
        .map(|i| {
            (
                60.0 + 100.0 * (i % 3) as f32,
                70.0 + 110.0 * (i / 3) as f32,
                70.0,
            )
        })
        .collect();
    for (what, faces, feedback) in [
        ("tiny", vec![(160.0, 120.0, 24.0)], Feedback::TooSmall),
        ("crowd", crowd, Feedback::SeveralFaces),
    ] {
        let px = draw(320, 240, &faces, 12);
        let c = engine.run(&Frame::new(320, 240, &px).unwrap(), true);
        assert_eq!(c.feedback, vec![feedback], "{what}");
        assert!(c.embedding.is_none() && c.quality == 0, "{what}");
        assert!(c.face_box.is_some(), "{what}: the box of the face seen");
        let sample = FaceSample::from_rgba(engine, 320, 240, &px).unwrap();
        assert!(!sample.is_usable(), "{what}");
        let e = enroll_any(&[&sample], &opts).unwrap_err();
        assert_eq!(e.code(), ErrorCode::LowQuality, "{what}");
    }
}
