// The face speed benchmark's printed table, ratios, targets and sizes, from
// the runtimes' results (speed.mjs). Pure: unit-tested in speed-report.test.mjs.
//
// Example:
//   console.log(speedReport({ frames: 20, native, node, nodeFaceApi, chromium }).join("\n"));
//   fps(50);   // 20: frames per second at a median of 50 ms

import { median, p95 } from "./timing.mjs";

/** The detectors face-api.js is timed with, and their names in the table. */
export const FACE_API_DETECTORS = [
  ["ssd", "SSD MobileNet v1"],
  ["tiny", "TinyFaceDetector 416"],
];

/** The targets of issue 11 item 6. */
export const TARGETS = { guidanceFps: 15, wasmGrowthGzipBytes: 60_000 };

/** Frames per second at a time per frame of `ms`. */
export function fps(ms) {
  return 1000 / ms;
}

/** "median / p95" of a list of ms, or `missing` when there is none. */
export function cell(list, missing = "—") {
  if (!list || list.length === 0) return missing;
  return `${median(list).toFixed(1)} / ${p95(list).toFixed(1)}`;
}

/** `a / b` of two medians as "1.23×", or "—". */
export function ratio(a, b) {
  if (!a?.length || !b?.length) return "—";
  return `${(median(a) / median(b)).toFixed(2)}×`;
}

/** Lays out rows of cells as columns. */
export function columns(rows) {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => String(r[j] ?? "").length)));
  return rows.map((r) => r.map((c, j) => String(c ?? "").padEnd(widths[j])).join("  ").trimEnd());
}

/**
 * The speed table and its closing lines. `native`: `{ guideMs, wholeMs }`;
 * `node`, `chromium`: sealmatch's `{ steps: { whole } }` or a string (why it
 * was skipped); `nodeFaceApi`, `chromiumFaceApi`: face-api's `{ steps: { "ssd guide", … } }`
 * or a string. Returns lines.
 */
export function speedReport({ native, node, chromium, nodeFaceApi, chromiumFaceApi }) {
  const steps = (r, name) => (typeof r === "object" && r !== null ? r.steps[name] : undefined);
  const skipped = (r) => (typeof r === "string" ? `skipped: ${r}` : "—");
  const noGuideCall = "no such call (1)";
  const rows = [
    ["ms, median / p95", "native", "Node", "Chromium"],
    ["sealmatch: live guidance (detection, landmarks, quality)", cell(native?.guideMs), noGuideCall, noGuideCall],
    [
      "sealmatch: whole capture (FaceCapture.fromRgba)",
      cell(native?.wholeMs),
      cell(steps(node, "whole"), skipped(node)),
      cell(steps(chromium, "whole"), skipped(chromium)),
    ],
  ];
  for (const [d, label] of FACE_API_DETECTORS) {
    rows.push(
      [`face-api.js ${label}: detection + landmarks`, "", cell(steps(nodeFaceApi, `${d} guide`), skipped(nodeFaceApi)), cell(steps(chromiumFaceApi, `${d} guide`), skipped(chromiumFaceApi))],
      [`face-api.js ${label}: whole capture`, "", cell(steps(nodeFaceApi, `${d} whole`), skipped(nodeFaceApi)), cell(steps(chromiumFaceApi, `${d} whole`), skipped(chromiumFaceApi))],
    );
  }
  const lines = columns(rows);
  lines.splice(1, 0, "-".repeat(lines[0].length));
  lines.push(
    "",
    `WASM / native, whole capture (medians): Node ${ratio(steps(node, "whole"), native?.wholeMs)}, Chromium ${ratio(steps(chromium, "whole"), native?.wholeMs)}`,
  );
  for (const [d, label] of FACE_API_DETECTORS) {
    lines.push(
      `sealmatch / face-api.js ${label}, whole capture, same runtime (< 1: sealmatch faster): ` +
        `Node ${ratio(steps(node, "whole"), steps(nodeFaceApi, `${d} whole`))}, Chromium ${ratio(steps(chromium, "whole"), steps(chromiumFaceApi, `${d} whole`))}`,
    );
  }
  lines.push(
    "(1) the package has no call that stops after detection and quality: a live guidance loop in JS makes",
    "    whole captures (FaceCapture.fromRgba), so its rate is the whole capture's; natively FaceEngine::run(frame, false).",
    "",
    "targets (issue 11):",
  );
  const ours = steps(chromium, "whole");
  const theirs = FACE_API_DETECTORS.map(([d, label]) => [label, steps(chromiumFaceApi, `${d} whole`)]).filter(([, v]) => v?.length);
  if (ours?.length && theirs.length) {
    const beaten = theirs.filter(([, v]) => median(ours) < median(v));
    const verdict = beaten.length === theirs.length ? "met" : beaten.length ? "met against " + beaten.map(([l]) => l).join(", ") + " only" : "MISSED";
    lines.push(
      `  whole capture faster than face-api.js in the same browser: ${verdict} (Chromium medians: sealmatch ${median(ours).toFixed(1)} ms; ` +
        theirs.map(([l, v]) => `face-api.js ${l} ${median(v).toFixed(1)} ms`).join(", ") +
        ")",
    );
  } else lines.push("  whole capture faster than face-api.js in the same browser: not measured (a column was skipped)");
  const live = [
    ["native", native?.guideMs, "guidance"],
    ["Node", steps(node, "whole"), "whole capture"],
    ["Chromium", ours, "whole capture"],
  ].filter(([, v]) => v?.length);
  lines.push(
    `  live guidance >= ${TARGETS.guidanceFps} frames/s: ` +
      live
        .map(([rt, v, what]) => `${rt} ${fps(median(v)).toFixed(1)}/s (${what}) ${fps(median(v)) >= TARGETS.guidanceFps ? "met" : "MISSED"}`)
        .join("; "),
  );
  return lines;
}

/**
 * The sizes block. `wasm`: `{ raw, gzip }` of sealmatch_core_bg.wasm;
 * `weights`: bytes of sealmatch-face.bin; `baselineGzip`: the gzip'd .wasm
 * before the face modality; `initFetched` / `initFaceFetched`: `{ path: bytes }`
 * the page fetched during `init()` and then during `initFace()` (null when not measured).
 */
export function sizesReport({ wasm, weights, baselineGzip, initFetched, initFaceFetched }) {
  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  const growth = wasm.gzip - baselineGzip;
  const lines = [
    `sealmatch_core_bg.wasm: ${wasm.raw} bytes, ${wasm.gzip} bytes gzip -9 (${kb(wasm.gzip)}); ` +
      `${growth >= 0 ? "+" : ""}${kb(growth)} over ${baselineGzip} before the face modality ` +
      `(target <= +${kb(TARGETS.wasmGrowthGzipBytes)}: ${growth <= TARGETS.wasmGrowthGzipBytes ? "met" : "MISSED"})`,
    `sealmatch-face.bin (the face weights, fetched by initFace() only): ${weights} bytes (${(weights / 1e6).toFixed(2)} MB)`,
  ];
  if (initFetched) {
    const files = Object.entries(initFetched);
    const total = files.reduce((s, [, b]) => s + b, 0);
    const weightsFetched = files.some(([p]) => p.endsWith("sealmatch-face.bin"));
    lines.push(
      `fingerprint-only path, Chromium: init() fetched ${files.length} files, ${total} bytes uncompressed ` +
        `(${files.map(([p]) => p.split("/").pop()).join(", ")}); the face weights: ${weightsFetched ? "FETCHED (target missed)" : "not fetched (met)"}`,
    );
  }
  if (initFaceFetched) {
    const files = Object.entries(initFaceFetched);
    lines.push(`then initFace() fetched: ${files.map(([p, b]) => `${p.split("/").pop()} ${b} bytes`).join(", ") || "nothing"}`);
  }
  return lines;
}
