#!/usr/bin/env node
// The face accuracy table from one or more score files, the peers side by side.
//
//   node bench/face/summarize.mjs /tmp/sealmatch-face/faceapi.tsv /tmp/sealmatch-face/dlib.tsv
//
// One column per score file (see scorefile.mjs); rows: pairs, photos, failures
// to detect, EER (FVC, with its interval), TAR at FAR 1 %, 0.1 %, 0.01 %, and
// the timings the peer recorded, and TAR / FMR at a fixed threshold when the
// score file names one (`#default_threshold`: sealmatch's
// FACE_DEFAULT_THRESHOLD). A peer that could not run is a column of "skipped"
// (`skippedRun`). The metrics come from metrics.mjs, the one implementation
// every peer uses.

import { fileURLToPath } from "node:url";
import { FAR_LEVELS, rates, ScoreSet } from "./metrics.mjs";
import { readScores } from "./scorefile.mjs";

const pct = (x, digits = 2) => `${(100 * x).toFixed(digits)} %`;
const ms = (v) => (v === undefined || v === "" ? "—" : `${Number(v).toFixed(1)} ms`);
const farLabel = (far) => `TAR @ FAR ${String(100 * far).replace(/(\.\d*?)0+$/, "$1")} %`;

/** A column for a peer that did not run: `skippedRun("dlib", "not installed")`. */
export function skippedRun(peer, reason) {
  return { facts: { peer, skipped: reason }, genuine: [], impostor: [] };
}

/** "TAR x % / FMR y % (t=…)" at the score file's fixed threshold, or "—" without one. */
function atFixedThreshold(facts, genuine, impostor) {
  const t = Number(facts.default_threshold);
  if (facts.default_threshold === undefined || !Number.isFinite(t)) return "—";
  const p = new ScoreSet(genuine, impostor).at(t);
  return `TAR ${pct(1 - p.fnmr)} / FMR ${pct(p.fmr, 4)} (t=${t})`;
}

/** The rows of the table for one score file: `[[label, value], …]`. */
export function summaryRows(run) {
  if (run.facts.skipped !== undefined) {
    const rows = summaryRows({ facts: {}, genuine: [], impostor: [] });
    return rows.map(([label], i) => [label, i === 0 ? run.facts.peer : i === 1 ? `skipped: ${run.facts.skipped}` : "skipped"]);
  }
  const { facts, genuine, impostor } = run;
  const r = rates(genuine, impostor);
  const rows = [
    ["peer", facts.peer ?? "?"],
    ["config", facts.config ?? ""],
    ["pairs (genuine / impostor)", `${r.genuine} / ${r.impostor}`],
    ["photos", facts.photos ?? "?"],
    ["failures to detect (photos)", facts.ftd ?? "?"],
    ["pairs with a failure (gen / imp)", `${r.failedGenuine} / ${r.failedImpostor}`],
    ["EER [FVC interval]", `${pct(r.eer)} [${pct(r.eerLow, 2)}, ${pct(r.eerHigh, 2)}]`],
  ];
  for (const far of FAR_LEVELS) {
    const t = r.tarAt[far];
    rows.push([
      farLabel(far),
      t.resolvable ? `${pct(t.tar)} (t=${t.threshold.toFixed(4)})` : `n/a (< ${Math.ceil(1 / far)} impostor pairs)`,
    ]);
  }
  rows.push(
    ["at the fixed default threshold", atFixedThreshold(facts, genuine, impostor)],
    ["photo: ms median / p95", `${ms(facts.photo_ms_median)} / ${ms(facts.photo_ms_p95)}`],
    ["640×480 frame: detection, median / p95", `${ms(facts.frame_detect_ms_median)} / ${ms(facts.frame_detect_ms_p95)}`],
    ["640×480 frame: whole, median / p95", `${ms(facts.frame_full_ms_median)} / ${ms(facts.frame_full_ms_p95)}`],
  );
  return rows;
}

/** A plain-text table: labels down the left, one column per run. */
export function formatTable(runs) {
  const columns = runs.map(summaryRows);
  const labels = columns[0].map(([label]) => label);
  // Rows no run has a figure for (the frame timings of peers run with --frames 0) are left out.
  const empty = (v) => v === "—" || v === "— / —" || v === "skipped";
  const grid = labels
    .map((label, i) => [label, ...columns.map((c) => c[i][1])])
    .filter((row, i) => i < 2 || !row.slice(1).every(empty));
  const widths = grid[0].map((_, j) => Math.max(...grid.map((row) => String(row[j]).length)));
  const line = (row) => row.map((cell, j) => String(cell).padEnd(widths[j])).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(grid[0]), rule, ...grid.slice(1).map(line)].join("\n");
}

function main(argv) {
  if (argv.length === 0 || argv.includes("--help")) {
    console.log("usage: node bench/face/summarize.mjs SCORES.tsv [MORE.tsv …]");
    return argv.length === 0 ? 2 : 0;
  }
  console.log(formatTable(argv.map(readScores)));
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
