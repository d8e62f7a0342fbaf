#!/usr/bin/env python3
"""dlib peer of sealmatch's face accuracy benchmark (PyPI face-recognition 1.3.0 on dlib-bin).

Usage (from the repository root; install once, see bench/face/README.md):
  target/face-venv/bin/python bench/face/dlib-peer.py [--out PATH] [--limit N]
      [--data DIR] [--upsample N] [--frames N] [--frame-upsample N] [--no-summary]

Protocol (../shared/data/faces/README.md): each pair of pairs-dev.tsv once,
path_a enrolled alone, path_b verified. One 128-d embedding per photo, made
once: HOG detector (upsampled --upsample times, default 1, as face_recognition
does), the most prominent face (among faces at least half as wide as the widest,
the one nearest the centre), dlib's 5-point alignment, the ResNet descriptor
(one jitter). Score = 1 - euclidean distance (higher = more alike;
face_recognition's default tolerance 0.6 is score 0.4). A photo without a
detected face is a failure to detect (counted); its pairs score -inf.

Writes the score file (see scorefile.mjs: `#key<TAB>value` facts, then
`a<TAB>b<TAB>score<TAB>genuine`) to --out (default
/tmp/sealmatch-face/dlib.tsv), then prints the table with
`node bench/face/summarize.mjs` (the one implementation of the metrics).

Times (one core: BLAS/OpenMP threads set to 1): per photo, detection +
landmarks + embedding, JPEG decoding excluded; per synthetic 640x480 frame
(a photo scaled 3x, bilinear, centred on a grey canvas), detection alone and
the whole capture, with the HOG detector upsampled --frame-upsample times
(default 0: the face in such a frame is ~200 px, well above HOG's 80 px).

Exit codes: 0 done, or skipped when the data folder is absent; 2 usage;
3 face_recognition cannot be imported (install it as the README says).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PAIRS_FILE = "pairs-dev.tsv"
FRAME_W, FRAME_H, FRAME_SCALE, FRAME_GREY = 640, 480, 3, 128


def faces_dir(override):
    """The data folder (same rule as dataset.mjs), or None when absent."""
    d = override or os.environ.get("SEALMATCH_FACES") or os.path.join(REPO_ROOT, "..", "shared", "data", "faces")
    return d if os.path.exists(os.path.join(d, PAIRS_FILE)) else None


def read_pairs(d):
    """[(a, b, genuine)] in file order; the header line skipped."""
    pairs = []
    with open(os.path.join(d, PAIRS_FILE), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < 3 or fields[2] == "genuine":
                continue
            if fields[2] not in ("0", "1"):
                raise ValueError("%s: genuine must be 0 or 1" % PAIRS_FILE)
            pairs.append((fields[0], fields[1], fields[2] == "1"))
    return pairs


def limit_pairs(pairs, limit):
    """At most `limit` pairs spread evenly (indices floor(k*n/limit)), as dataset.mjs."""
    n = len(pairs)
    if not limit or limit >= n:
        return pairs
    return [pairs[(k * n) // limit] for k in range(limit)]


def photos_of(pairs):
    """Each photo once, first-seen order."""
    seen = {}
    for a, b, _ in pairs:
        seen.setdefault(a, None)
        seen.setdefault(b, None)
    return list(seen)


def prominent_face(locations, width, height):
    """Index of the most prominent face (dataset.mjs's rule); locations are (top, right, bottom, left)."""
    if not locations:
        return -1
    widest = max(r - l for (_, r, _, l) in locations)
    best, best_d = -1, float("inf")
    for i, (t, r, b, l) in enumerate(locations):
        if r - l < widest / 2:
            continue
        dx = (l + r) / 2 - width / 2
        dy = (t + b) / 2 - height / 2
        if dx * dx + dy * dy < best_d:
            best, best_d = i, dx * dx + dy * dy
    return best


def p95(values):
    """95th percentile by nearest rank (timing.mjs's rule)."""
    s = sorted(values)
    return s[max(0, -(-95 * len(s) // 100) - 1)]


def synthetic_frame(np, Image, rgb):
    """A 640x480 grey frame with the photo scaled 3x (bilinear) in its centre."""
    h, w = rgb.shape[:2]
    sw, sh = w * FRAME_SCALE, h * FRAME_SCALE
    big = np.asarray(Image.fromarray(rgb).resize((sw, sh), Image.BILINEAR))
    frame = np.full((FRAME_H, FRAME_W, 3), FRAME_GREY, dtype=np.uint8)
    x0, y0 = (FRAME_W - sw) // 2, (FRAME_H - sh) // 2
    # Crop the scaled photo to the frame when it is larger.
    fx0, fy0 = max(0, x0), max(0, y0)
    frame[fy0:fy0 + min(sh, FRAME_H), fx0:fx0 + min(sw, FRAME_W)] = big[
        fy0 - y0:fy0 - y0 + min(sh, FRAME_H), fx0 - x0:fx0 - x0 + min(sw, FRAME_W)
    ]
    return frame


def embed(fr, img, upsample):
    """(embedding or None, detection ms, total ms) for one RGB image."""
    t0 = time.perf_counter()
    locations = fr.face_locations(img, number_of_times_to_upsample=upsample, model="hog")
    t1 = time.perf_counter()
    i = prominent_face(locations, img.shape[1], img.shape[0])
    if i < 0:
        return None, (t1 - t0) * 1e3, (t1 - t0) * 1e3
    enc = fr.face_encodings(img, known_face_locations=[locations[i]], num_jitters=1, model="small")[0]
    t2 = time.perf_counter()
    return enc, (t1 - t0) * 1e3, (t2 - t0) * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="face data folder (default $SEALMATCH_FACES or ../shared/data/faces)")
    ap.add_argument("--out", default="/tmp/sealmatch-face/dlib.tsv", help="score file to write")
    ap.add_argument("--limit", type=int, default=0, help="at most N pairs, spread over the list")
    ap.add_argument("--upsample", type=int, default=1, help="HOG upsampling for the photos")
    ap.add_argument("--frames", type=int, default=20, help="640x480 frames to time (0: none)")
    ap.add_argument("--frame-upsample", type=int, default=0, help="HOG upsampling for the frames")
    ap.add_argument("--no-summary", action="store_true", help="do not print the table")
    args = ap.parse_args()

    d = faces_dir(args.data)
    if d is None:
        print("dlib peer: skipped: the face data (../shared/data/faces/%s, or $SEALMATCH_FACES) is absent" % PAIRS_FILE)
        return 0
    try:
        import dlib
        import face_recognition as fr
        import numpy as np
        from PIL import Image
    except Exception as e:  # noqa: BLE001
        sys.stderr.write(
            "dlib peer: cannot import face_recognition (%s); install it as bench/face/README.md says:\n"
            "  python3 -m venv target/face-venv && target/face-venv/bin/pip install -r bench/face/requirements-dlib.txt\n"
            "  && target/face-venv/bin/pip install --no-deps face-recognition==1.3.0\n" % e
        )
        return 3

    pairs = limit_pairs(read_pairs(d), args.limit)
    photos = photos_of(pairs)
    sys.stderr.write("dlib peer: %d pairs, %d photos\n" % (len(pairs), len(photos)))
    embeddings, photo_ms = {}, []
    start = time.perf_counter()
    for n, rel in enumerate(photos, 1):
        img = fr.load_image_file(os.path.join(d, rel))
        enc, _, total = embed(fr, img, args.upsample)
        embeddings[rel] = enc
        photo_ms.append(total)
        if n % 500 == 0:
            sys.stderr.write("  %d/%d photos, %.0f s\n" % (n, len(photos), time.perf_counter() - start))
    ftd = sum(1 for e in embeddings.values() if e is None)

    frame_det, frame_full = [], []
    with_face = [p for p in photos if embeddings[p] is not None][: args.frames]
    for k, rel in enumerate(with_face):
        frame = synthetic_frame(np, Image, fr.load_image_file(os.path.join(d, rel)))
        if k == 0:
            embed(fr, frame, args.frame_upsample)  # warm-up
        _, det_ms, total_ms = embed(fr, frame, args.frame_upsample)
        frame_det.append(det_ms)
        frame_full.append(total_ms)

    facts = {
        "peer": "dlib %s (face-recognition 1.3.0, dlib-bin)" % dlib.__version__,
        "config": "HOG upsample %d, 5-point, 1 jitter; score 1-dist" % args.upsample,
        "pairs": len(pairs),
        "photos": len(photos),
        "ftd": ftd,
        "photo_ms_median": "%.2f" % statistics.median(photo_ms),
        "photo_ms_p95": "%.2f" % p95(photo_ms),
        "frames": len(frame_det),
        "frame_upsample": args.frame_upsample,
    }
    if frame_det:
        facts.update(
            frame_detect_ms_median="%.2f" % statistics.median(frame_det),
            frame_detect_ms_p95="%.2f" % p95(frame_det),
            frame_full_ms_median="%.2f" % statistics.median(frame_full),
            frame_full_ms_p95="%.2f" % p95(frame_full),
        )
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for k, v in facts.items():
            out.write("#%s\t%s\n" % (k, v))
        for a, b, genuine in pairs:
            ea, eb = embeddings[a], embeddings[b]
            score = "-inf" if ea is None or eb is None else "%.6f" % (1.0 - float(np.linalg.norm(ea - eb)))
            out.write("%s\t%s\t%s\t%d\n" % (a, b, score, 1 if genuine else 0))
    sys.stderr.write("dlib peer: wrote %s\n" % args.out)
    if not args.no_summary:
        return subprocess.call(["node", os.path.join(HERE, "summarize.mjs"), args.out])
    return 0


if __name__ == "__main__":
    sys.exit(main())
