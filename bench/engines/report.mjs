// The per-engine speed table (bench/engines/speed.mjs) from the runtimes'
// `batches` answers (bench/wasm/batches.mjs, examples/wasm_bench_native.rs):
// pure functions, no I/O.
//
// Example:
//   const figures = engineFigures([round1Answer, round2Answer]);
//   // { extractMs: 31.2, verifyMs: 0.052, faceMs: 140, timerStepMs: 0.005, score: 0.61 }
//   const lines = engineTable({ rows: [{ runtime: "native", figures }, ...], ... });

/** The median of a list of numbers (the upper one of an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** The three timed steps: answer key, column title, unit and its scale from ms. */
export const STEPS = Object.freeze([
  { key: "extractMs", title: "extraction 640×480", unit: "ms", scale: 1 },
  { key: "verifyMs", title: "verify", unit: "µs", scale: 1000 },
  { key: "faceMs", title: "face capture 640×480", unit: "ms", scale: 1 },
]);

/**
 * One runtime's figures from its rounds of `batches` answers: per step, the
 * median over a round's batches, the lowest of the rounds (a load spike
 * during one runtime's turn does not decide its figure); the finest timer
 * step seen; the verify score (every round's must agree, else it throws).
 *
 * ```js
 * engineFigures([{ extractMs: [30, 31, 29], verifyMs: [...], faceMs: [...], timerStepMs: 1, score: 0.5 }]);
 * ```
 */
export function engineFigures(rounds) {
  if (rounds.length === 0) throw new Error("engineFigures: no rounds");
  const out = { timerStepMs: Math.min(...rounds.map((r) => r.timerStepMs)), score: rounds[0].score };
  for (const { key } of STEPS) out[key] = Math.min(...rounds.map((r) => median(r[key])));
  if (rounds.some((r) => r.score !== out.score)) throw new Error(`verify scores differ between rounds: ${rounds.map((r) => r.score).join(", ")}`);
  return out;
}

/** A number with 3 significant digits (at least one decimal below 100). */
function fmt(x) {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** A timer step for the footnote: "5 µs", "1 ms", "< 0.1 µs". */
export function stepText(ms) {
  if (!Number.isFinite(ms)) return "none seen";
  if (ms >= 1) return `${fmt(ms)} ms`;
  if (ms * 1000 >= 0.1) return `${fmt(ms * 1000)} µs`;
  return "< 0.1 µs";
}

/**
 * The table as lines of Markdown. `rows`: `{ runtime, figures, isolated? }`
 * (native first; the ratios are to it; `isolated`: a page's
 * crossOriginIsolated) or `{ runtime, skipped }` (a reason);
 * `batches`, `perBatch` ({ extract, verify, face }), `rounds`, `load`
 * ([before, after]), `inputs` (a sentence) go into the footnotes.
 *
 * ```js
 * engineTable({ rows, batches: 7, perBatch: { extract: 5, verify: 500, face: 3 }, rounds: 2, load: [1.2, 1.5], inputs: "…" });
 * ```
 */
export function engineTable({ rows, batches, perBatch, rounds, load, inputs }) {
  const native = rows[0]?.figures;
  const head = ["runtime", ...STEPS.flatMap((s) => [`${s.title} ${s.unit}`, "× native"])];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`];
  for (const r of rows) {
    if (!r.figures) {
      lines.push(`| ${r.runtime} | ${r.skipped} |${" |".repeat(head.length - 2)}`);
      continue;
    }
    const cells = STEPS.flatMap((s) => {
      const v = r.figures[s.key];
      const ratio = native ? `${(v / native[s.key]).toFixed(2)}×` : "";
      return [fmt(v * s.scale), ratio];
    });
    lines.push(`| ${r.runtime} | ${cells.join(" | ")} |`);
  }
  const measured = rows.filter((r) => r.figures);
  const pages = measured.filter((r) => r.isolated !== undefined);
  const short = (r) => r.runtime.split(" ")[0];
  // The package returns the score as an f32; compare and print at that precision.
  const scores = new Set(measured.map((r) => Math.fround(r.figures.score)));
  lines.push(
    "",
    `Inputs: ${inputs}`,
    `Batches are timed whole (performance.now() / Instant read once a batch, divided by the calls): ${perBatch.extract} extractions, ` +
      `${perBatch.verify} verifies, ${perBatch.face} face captures a batch, after untimed warm-up calls; ${batches} batches a step. ` +
      `The runtimes take turns, ${rounds} rounds; a figure is the median over one round's batches, the lower of the rounds. One thread each.`,
    `Timer step (the smallest non-zero step of the clock seen in 50 ms of reading it): ${measured.map((r) => `${short(r)} ${stepText(r.figures.timerStepMs)}`).join(", ")}` +
      (pages.length ? `; the pages are served with COOP/COEP, cross-origin isolated: ${pages.map((r) => `${short(r)} ${r.isolated ? "yes" : "no"}`).join(", ")}.` : "."),
    scores.size === 1
      ? `Verify score identical (as f32) in every runtime: ${[...scores][0].toPrecision(7)}.`
      : `VERIFY SCORES DIFFER: ${measured.map((r) => `${short(r)} ${r.figures.score}`).join(", ")}.`,
    `Load average (1 min) ${load[0].toFixed(1)} before, ${load[1].toFixed(1)} after, on ${load[2] ?? "?"} cores.`,
  );
  return lines;
}
