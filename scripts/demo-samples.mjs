#!/usr/bin/env node
// Generates the demo's sample fingers with the sealmatch-synth CLI and writes
// the manifest the pages read (www/js/scanners.js, `loadSamples`).
//
//   node scripts/demo-samples.mjs SYNTH_BIN OUT_DIR [fingers] [impressions] [seed]
//
// The images are synthetic (no real person's finger) and git-ignored.

import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Runs the generator and writes OUT_DIR/index.json.
 * @param {{ synth: string, out: string, fingers?: number, impressions?: number, seed?: number, dpi?: number }} o
 * @returns {{ dpi: number, fingers: Array<{ id: string, impressions: string[] }> }} the manifest
 */
export function makeSamples({ synth, out, fingers = 6, impressions = 4, seed = 2024, dpi = 500 }) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const run = spawnSync(
    synth,
    ["--out", out, "--fingers", String(fingers), "--impressions", String(impressions), "--seed", String(seed), "--dpi", String(dpi)],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`${synth} failed: ${run.error ?? run.stderr}`);
  /** @type {Map<string, string[]>} */
  const byFinger = new Map();
  for (const name of readdirSync(out).sort()) {
    const m = /^(\d+)_(\d+)\.png$/.exec(name);
    if (!m) continue;
    if (!byFinger.has(m[1])) byFinger.set(m[1], []);
    byFinger.get(m[1])?.push(name);
  }
  const byNumber = (/** @type {string} */ a, /** @type {string} */ b) => Number(/_(\d+)/.exec(a)?.[1]) - Number(/_(\d+)/.exec(b)?.[1]);
  const manifest = {
    dpi,
    fingers: [...byFinger].map(([id, files]) => ({ id, impressions: files.sort(byNumber) })),
  };
  writeFileSync(join(out, "index.json"), JSON.stringify(manifest, null, 1) + "\n");
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [synth, out, fingers, impressions, seed] = process.argv.slice(2);
  if (!synth || !out) {
    console.error("usage: node scripts/demo-samples.mjs SYNTH_BIN OUT_DIR [fingers] [impressions] [seed]");
    process.exit(2);
  }
  const m = makeSamples({
    synth,
    out,
    fingers: fingers ? Number(fingers) : undefined,
    impressions: impressions ? Number(impressions) : undefined,
    seed: seed ? Number(seed) : undefined,
  });
  console.log(`${m.fingers.length} sample fingers in ${out}`);
}
