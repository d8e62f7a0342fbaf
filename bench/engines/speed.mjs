// The per-engine speed table (part of `make bench`; alone: `make bench-engines`):
// fingerprint extraction of a 640×480 image, verify of a genuine pair and a
// whole face capture of a 640×480 frame, natively (Rust, release), in Node
// and in each browser engine (tests/engines: Chromium, Firefox, WebKit), in
// one run, with ratios to native.
//
//   node bench/engines/speed.mjs [DB_DIR ...] [--batches N] [--rounds N]   (needs `make pack`)
//
// The runtimes are the WASM benchmark's (bench/wasm: the native example
// wasm_bench_native, node-runner.mjs, browser-runner.mjs --engine NAME) and
// take turns over its line protocol; each answers `batches` with
// bench/wasm/batches.mjs's workload (natively the same in Rust): batches of
// calls timed whole, because Firefox and WebKit round performance.now().
// SEALMATCH_ENGINES=firefox,webkit limits the browsers; a missing one is a
// row that says why. See bench/README.md ("Per engine").

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { installPackage } from "../wasm/harness.mjs";
import { bigImage, databases, dbGroup } from "../wasm/plan.mjs";
import { Runtime } from "../wasm/protocol.mjs";
import { engineMissing, enginesToRun } from "../../tests/engines/index.mjs";
import { drawFaceRgba } from "../../tests/face_draw.mjs";
import { engineFigures, engineTable } from "./report.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const WASM = join(ROOT, "bench", "wasm");
/** How the table names each engine (the runner answers e.g. "firefox firefox/153.8.0"). */
const ENGINE_TITLES = Object.freeze({ chromium: "Chromium", firefox: "Firefox ESR", webkit: "WebKitGTK" });
/** Calls a batch: each batch lasts ≥ ~50 ms in every runtime, far above a 1 ms clock step. */
const PER_BATCH = Object.freeze({ extract: 5, verify: 1000, face: 3 });

/** Command-line options. */
function parseArgs(argv) {
  const o = { dbs: [], batches: 7, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--batches") o.batches = Number(argv[++i]);
    else if (a === "--rounds") o.rounds = Number(argv[++i]);
    else if (a === "-h" || a === "--help") {
      console.log("usage: node bench/engines/speed.mjs [DB_DIR ...] [--batches N] [--rounds N]");
      process.exit(0);
    } else o.dbs.push(a);
  }
  for (const k of ["batches", "rounds"]) if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`--${k} must be an integer >= 1`);
  return o;
}

/** The `batches` part of the plan: the 640×480 finger, the first pair of the first database, a drawn face. */
function batchPlan(work, dbs, batches) {
  const group = dbGroup(dbs[0], work);
  const inDb = (i) => ({ ...group.images[i], bin: group.bin, file: group.file });
  const face = drawFaceRgba(640, 480, [{ cx: 320, cy: 240, s: 200 }], 5);
  writeFileSync(join(work, "face.bin"), face);
  return {
    extract: bigImage(work),
    enrolled: inDb(0),
    probe: inDb(1),
    face: { name: "drawn face", width: 640, height: 480, channels: 4, offset: 0, bin: join(work, "face.bin"), file: "face.bin" },
    batches,
    perBatch: PER_BATCH,
  };
}

function step(text) {
  process.stderr.write(`engine speed: ${text}\n`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "sealmatch-engine-speed-"));
  const runtimes = [];
  try {
    const { dbs, source } = databases(o.dbs, work, "engine speed");
    const plan = { warmup: 5, groups: [], batches: batchPlan(work, dbs, o.batches) };
    const planPath = join(work, "plan.json");
    writeFileSync(planPath, JSON.stringify(plan));
    const project = join(work, "project");
    mkdirSync(project);
    installPackage(project);
    execFileSync("cargo", ["build", "--quiet", "--release", "--example", "wasm_bench_native"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });

    const rows = [
      { runtime: "native (Rust, release)", rt: new Runtime("native", join(ROOT, "target", "release", "examples", "wasm_bench_native"), [planPath, "--serve"], ROOT) },
      { runtime: `Node ${process.versions.node}`, rt: new Runtime("Node", process.execPath, [join(WASM, "node-runner.mjs"), planPath, project], ROOT) },
    ];
    for (const name of enginesToRun()) {
      const why = engineMissing(name);
      if (why) rows.push({ runtime: ENGINE_TITLES[name], skipped: `skipped: ${why}` });
      else rows.push({ runtime: ENGINE_TITLES[name], rt: new Runtime(name, process.execPath, [join(WASM, "browser-runner.mjs"), planPath, project, "--engine", name], ROOT) });
    }
    const live = rows.filter((r) => r.rt);
    runtimes.push(...live.map((r) => r.rt));
    // A browser that fails (it could not start, its page threw) becomes a row
    // that says so, and the others go on; native or Node failing is fatal.
    const ask = async (r, command) => {
      try {
        return await r.rt.ask(command);
      } catch (e) {
        if (!(r.rt.name in ENGINE_TITLES)) throw e;
        r.skipped = `failed: ${String(e.message ?? e).split("\n")[0]}`;
        r.rt.proc.kill();
        return null;
      }
    };
    const running = () => live.filter((r) => !r.skipped);
    for (const r of running()) {
      const hello = await ask(r, "hello");
      if (!hello) continue;
      if (r.rt.name in ENGINE_TITLES) r.runtime = `${ENGINE_TITLES[r.rt.name]} ${hello.runtime.replace(/^\D+/, "")}`;
      r.isolated = hello.crossOriginIsolated;
      r.rounds = [];
    }
    const load0 = loadavg()[0];
    for (let round = 0; round < o.rounds; round++) {
      for (const r of running()) {
        const t = Date.now();
        const answer = await ask(r, "batches");
        if (answer) r.rounds.push(answer);
        step(`round ${round + 1}, ${r.runtime}: ${answer ? `${((Date.now() - t) / 1000).toFixed(0)} s` : r.skipped}`);
      }
    }
    const load1 = loadavg()[0];
    for (const r of running()) {
      if ((await ask(r, "end")) === null) continue;
      r.rt.proc.stdin.end();
      r.figures = engineFigures(r.rounds);
    }
    runtimes.length = 0;
    const first = plan.batches.enrolled.name;
    const second = plan.batches.probe.name;
    console.log(`\nSpeed per engine (${source})`);
    for (const line of engineTable({
      rows,
      batches: o.batches,
      perBatch: PER_BATCH,
      rounds: o.rounds,
      load: [load0, load1, availableParallelism()],
      inputs:
        `extraction of the 640×480 synthetic finger of the WASM benchmark (sealmatch-synth seed 3; Capture.fromGray + free), ` +
        `verify of ${second} against a token of ${first} (the first pair of ${dbs[0].split("/").pop()}), ` +
        `whole face capture (FaceCapture.fromRgba + free; natively FaceSample::from_rgba) of a drawn 640×480 face (tests/face_draw.mjs).`,
    }))
      console.log(line);
  } finally {
    for (const rt of runtimes) rt.proc.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
