// The WASM benchmark (part of `make bench`): the accuracy benchmark's images
// and pairs, timed through the packed npm package in Node and in headless
// Chromium, beside the same work done natively in the same run, with ratios.
//
//   node bench/wasm/run.mjs [DB_DIR ...] [--calls N] [--no-browser]
//
// The runtimes (native example, Node, Chromium: one process each) take turns
// group by group (protocol.mjs). Needs `make pack` (target/npm/sealmatch-*.tgz). Without DB_DIRs it uses
// ../shared/data/fvc/*, or, when that is absent, a synthetic database made by
// sealmatch-synth (and says so). See bench/wasm/README.md.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { worstImages } from "./worstcase.mjs";
import { summarise, printReport } from "./report.mjs";
import { Runtime } from "./protocol.mjs";
import { installPackage } from "./harness.mjs";
import { bigImage, databases, dbGroup, writeBin } from "./plan.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const DB_REPS = 3;
const DB_PASSES = 1;
const ROUNDS = 2;
const WORST_COPIES = 5;
const WORST_REPS = 10;

/** Command-line options. */
function parseArgs(argv) {
  const o = { dbs: [], calls: 10_000, captureEvery: 10, browser: true, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--calls") o.calls = Number(argv[++i]);
    else if (a === "--capture-every") o.captureEvery = Number(argv[++i]);
    else if (a === "--no-browser") o.browser = false;
    else if (a === "--keep") o.keep = true;
    else if (a === "-h" || a === "--help") {
      console.log("usage: node bench/wasm/run.mjs [DB_DIR ...] [--calls N] [--capture-every K] [--no-browser] [--keep]");
      process.exit(0);
    } else o.dbs.push(a);
  }
  if (!Number.isInteger(o.calls) || o.calls < 10) throw new Error("--calls must be an integer >= 10");
  return o;
}

/** The worst cases: each image WORST_COPIES times, verified in a ring. */
function worstGroups(work) {
  return worstImages().map(([name, w, h, dpi, px], i) => {
    const file = `worst${i}.bin`;
    const [ref] = writeBin(join(work, file), [[name, w, h, dpi, px]]);
    const images = Array.from({ length: WORST_COPIES }, () => ref);
    const pairs = images.map((_, k) => [k, (k + 1) % WORST_COPIES]);
    return { name, kind: "worst", bin: join(work, file), file, images, pairs, reps: WORST_REPS };
  });
}

/**
 * Two rounds of one group merged: each sample's minimum (the same images and
 * pairs in the same order in both); memory figures stay the first round's.
 */
function fastest(a, b) {
  const min = (x, y) => (x.length === y.length ? x.map((v, i) => Math.min(v, y[i])) : x);
  return { ...a, extractMs: min(a.extractMs, b.extractMs), verifyUs: min(a.verifyUs, b.verifyUs), rounds: (a.rounds ?? 1) + 1 };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "sealmatch-wasm-bench-"));
  try {
    const { dbs, source } = databases(o.dbs, work, "wasm bench");
    process.stderr.write("wasm bench: decoding images and writing the plan...\n");
    const groups = [...dbs.map((d) => dbGroup(d, work, { reps: DB_REPS, passes: DB_PASSES })), ...worstGroups(work)];

    // Memory: a 640x480 synthetic finger, and the first database's first image for the churn.
    const bigRef = bigImage(work);
    const churnRef = groups[0].images[0];
    const plan = {
      warmup: 5,
      groups,
      memory: {
        big: bigRef,
        small: { ...churnRef, bin: groups[0].bin, file: groups[0].file },
        churn: { calls: o.calls, captureEvery: o.captureEvery },
      },
    };
    const planPath = join(work, "plan.json");
    writeFileSync(planPath, JSON.stringify(plan));

    const project = join(work, "project");
    execFileSync("mkdir", ["-p", project]);
    installPackage(project);
    const wasmFile = join(project, "node_modules", "sealmatch", "sealmatch_core_bg.wasm");
    const wasmBytes = readFileSync(wasmFile);

    // Build the native example first, so its compilation is not timed.
    execFileSync("cargo", ["build", "--quiet", "--release", "--example", "wasm_bench_native"], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
    const load0 = loadavg()[0];
    const runtimes = [
      new Runtime("native", join(ROOT, "target", "release", "examples", "wasm_bench_native"), [planPath, "--serve"], ROOT),
      new Runtime("Node", process.execPath, ["--expose-gc", join(HERE, "node-runner.mjs"), planPath, project], ROOT),
    ];
    if (o.browser) runtimes.push(new Runtime("Chromium", process.execPath, [join(HERE, "browser-runner.mjs"), planPath, project], ROOT));
    // One at a time: load and init, then each group in every runtime in turn.
    const results = [];
    for (const rt of runtimes) results.push({ ...(await rt.ask("hello")), groups: [] });
    // ROUNDS rounds of every group in every runtime in turn; each sample (an
    // image's extraction, a pair's verify) keeps its fastest round, so a load
    // spike during one runtime's turn does not decide its figures.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, g] of plan.groups.entries()) {
        for (const [k, rt] of runtimes.entries()) {
          const t = Date.now();
          const r = await rt.ask(`group ${i}`);
          results[k].groups[i] = round === 0 ? r : fastest(results[k].groups[i], r);
          process.stderr.write(`wasm bench: round ${round + 1}, ${g.name} in ${rt.name}: ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
        }
      }
    }
    for (const [k, rt] of runtimes.entries()) {
      if (k > 0 && plan.memory) {
        const t = Date.now();
        const churn = await rt.ask("churn");
        results[k].memory = { ...results[k].image, ...churn };
        process.stderr.write(`wasm bench: memory churn in ${rt.name}: ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
      }
      Object.assign(results[k], await rt.end());
    }
    const load1 = loadavg()[0];

    printReport({
      source,
      plan,
      wasm: { raw: wasmBytes.length, gzip: gzipSync(wasmBytes, { level: 9 }).length },
      load: [load0, load1],
      rounds: ROUNDS,
      runtimes: results.map(summarise),
    });
  } finally {
    if (!o.keep) rmSync(work, { recursive: true, force: true });
    else console.log(`wasm bench: kept ${work}`);
  }
}

await main();
