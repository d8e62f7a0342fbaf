// Statistics and the printed tables of the WASM benchmark.

/**
 * The q-quantile (0..1) of `xs`, nearest rank on the sorted samples.
 * @param {number[]} xs
 * @param {number} q
 */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/**
 * One runtime's raw result reduced to medians and p95s.
 * @param {any} r what a runner printed
 */
export function summarise(r) {
  const groups = new Map();
  for (const g of r.groups) {
    groups.set(g.name, {
      extMed: quantile(g.extractMs, 0.5),
      extP95: quantile(g.extractMs, 0.95),
      verMed: quantile(g.verifyUs, 0.5),
      verP95: quantile(g.verifyUs, 0.95),
      verified: g.verifyUs.length,
      images: g.extractMs.length,
      templateBytes: g.templateBytes,
      tokenBytes: g.tokenBytes,
      unusable: g.unusable,
      matches: g.matches,
      minutiae: g.minutiae,
      memBefore: g.memBefore,
      memAfter: g.memAfter,
    });
  }
  return {
    runtime: r.runtime,
    loadMs: r.loadMs,
    memAfterInit: r.memAfterInit,
    memEnd: r.memEnd,
    crossOriginIsolated: r.crossOriginIsolated,
    memory: r.memory,
    groups,
  };
}

const MiB = 1024 * 1024;
const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? "—" : x.toFixed(d));
const pad = (s, n) => String(s).padStart(n);
const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}x` : "—");

/**
 * A table row: label, the native value, then each WASM runtime's value and
 * its ratio to native.
 */
function row(label, values, digits, withRatio = true) {
  const [nat, ...wasm] = values;
  let line = label.padEnd(26) + pad(fmt(nat, digits), 11);
  for (const v of wasm) line += pad(fmt(v, digits), 11) + (withRatio ? pad(ratio(v, nat), 8) : pad("", 8));
  return line;
}

/**
 * Prints the WASM benchmark's tables.
 * @param {{ source: string, plan: any, wasm: { raw: number, gzip: number }, load: number[], rounds: number, runtimes: any[] }} r
 */
export function printReport({ source, plan, wasm, load, rounds, runtimes }) {
  const [native, ...js] = runtimes;
  const out = [];
  out.push("");
  out.push(`== WASM benchmark: the packed npm package in ${js.map((j) => j.runtime).join(" and ")}, beside native ==`);
  out.push(`data: ${source}; one run, one process per runtime (after warm-up), taking turns group by group;`);
  out.push(`${rounds} rounds, each image's extraction and each pair's verify keeping its fastest round; medians and p95 over images / pairs;`);
  out.push("linear memory: WebAssembly memory.buffer.byteLength (it never shrinks, so 'after' is the peak so far; per group, first round);");
  out.push(`load average ${load[0].toFixed(1)} at the start, ${load[1].toFixed(1)} at the end (2 cores, shared).`);
  out.push(`.wasm: ${wasm.raw} bytes raw, ${wasm.gzip} bytes gzip -9 (${(wasm.gzip / 1024).toFixed(1)} KiB)`);
  if (js.some((j) => j.crossOriginIsolated === false)) out.push("note: the page was not cross-origin isolated: its clock is coarse (100 µs)");
  out.push("");
  let head = "".padEnd(26) + pad("native", 11);
  for (const j of js) head += pad(j.runtime.split(" ")[0], 11) + pad("/native", 8);
  out.push(head);
  out.push(row("load + init ms", [NaN, ...js.map((j) => j.loadMs)], 1, false));
  out.push(row("linear memory MiB, init", [NaN, ...js.map((j) => j.memAfterInit / MiB)], 1, false));
  out.push(row("linear memory MiB, end", [NaN, ...js.map((j) => j.memEnd / MiB)], 1, false));
  for (const g of plan.groups) {
    const n = native.groups.get(g.name);
    const all = runtimes.map((rt) => rt.groups.get(g.name));
    out.push("");
    const what =
      g.kind === "db"
        ? `${n.images} images; ${n.verified} of ${g.pairs.length} pairs verified (all pairs of usable images), mean of ${g.reps} calls each`
        : `worst case: ${n.images} extractions, ${n.verified} verifies x ${g.reps} calls; ${n.minutiae ?? 0} minutiae`;
    out.push(`${g.name}  (${what}; unusable ${all.map((x) => x.unusable).join("/")})`);
    out.push(row("  extraction ms median", all.map((x) => x.extMed), 2));
    out.push(row("  extraction ms p95", all.map((x) => x.extP95), 2));
    out.push(row("  verify µs median", all.map((x) => x.verMed), 1));
    out.push(row("  verify µs p95", all.map((x) => x.verP95), 1));
    if (g.kind === "db") {
      out.push(row("  template bytes (content)", all.map((x) => x.templateBytes), 0, false));
      out.push(row("  token bytes", all.map((x) => x.tokenBytes), 0, false));
      out.push(row("  genuine+impostor matches", all.map((x) => x.matches), 0, false));
    }
    out.push(row("  linear memory MiB before", [NaN, ...all.slice(1).map((x) => x.memBefore / MiB)], 1, false));
    out.push(row("  linear memory MiB after", [NaN, ...all.slice(1).map((x) => x.memAfter / MiB)], 1, false));
  }
  // Memory.
  out.push("");
  const m = plan.memory;
  out.push(
    `memory: one ${m.big.width}x${m.big.height} capture; then ${m.churn.calls} enroll + verify calls with a new capture of ${m.small.name} (${m.small.width}x${m.small.height}) every ${m.churn.captureEvery} calls, freed / dropped to GC`,
  );
  for (const j of js) {
    const mm = j.memory;
    if (!mm) continue;
    const c = (x) =>
      `${(x.afterWarmup / MiB).toFixed(2)} MiB after warm-up, max ${(x.max / MiB).toFixed(2)}, end ${(x.end / MiB).toFixed(2)} (${x.end > x.afterWarmup ? "GREW" : "no growth"}; ${x.captures} captures, ${x.seconds.toFixed(1)} s)`;
    out.push(`  ${j.runtime}: 640x480 ${(mm.beforeBig / MiB).toFixed(2)} -> ${(mm.withBig / MiB).toFixed(2)} MiB`);
    out.push(`    freed:    ${c(mm.free)}`);
    out.push(`    GC'd:     ${c(mm.gc)}${mm.gcAvailable ? "" : " (no forced gc available)"}`);
  }
  // Targets of issue 4.
  out.push("");
  out.push("targets (issue 4):");
  const db1 = [...native.groups.keys()].find((k) => /2002_db1/i.test(k)) ?? [...native.groups.keys()][0];
  const dbNames = plan.groups.filter((g) => g.kind === "db").map((g) => g.name);
  const worstNames = plan.groups.filter((g) => g.kind === "worst").map((g) => g.name);
  const mark = (ok) => (ok ? "met" : "MISSED");
  for (const j of js) {
    const g = j.groups.get(db1);
    const name = j.runtime.split(" ")[0];
    out.push(`  ${name}: extraction median ${db1} ${fmt(g.extMed)} ms (<= 20): ${mark(g.extMed <= 20)}`);
    out.push(`  ${name}: verify median ${db1} ${fmt(g.verMed, 1)} µs (<= 50): ${mark(g.verMed <= 50)}`);
    const ext = dbNames.map((d) => j.groups.get(d).extMed / native.groups.get(d).extMed);
    const ver = dbNames.map((d) => j.groups.get(d).verMed / native.groups.get(d).verMed);
    const hi = (xs) => Math.max(...xs);
    out.push(
      `  ${name}: WASM/native extraction ${Math.min(...ext).toFixed(2)}..${hi(ext).toFixed(2)}x (median ${quantile(ext, 0.5).toFixed(2)}x), verify ${Math.min(...ver).toFixed(2)}..${hi(ver).toFixed(2)}x (median ${quantile(ver, 0.5).toFixed(2)}x) over the databases (<= 1.5 each): ${mark(hi(ext) <= 1.5 && hi(ver) <= 1.5)}`,
    );
    const worstExt = Math.max(...worstNames.map((w) => j.groups.get(w).extMed));
    const worstVer = Math.max(...worstNames.map((w) => j.groups.get(w).verMed || 0));
    out.push(
      `  ${name}: worst case extraction ${fmt(worstExt)} ms = ${(worstExt / g.extMed).toFixed(1)}x the ${db1} median; worst verify ${fmt(worstVer, 1)} µs = ${(worstVer / g.verMed).toFixed(1)}x`,
    );
    if (j.memory) {
      const mm = j.memory;
      const grew = mm.free.end > mm.free.afterWarmup || mm.gc.end > mm.gc.afterWarmup;
      out.push(
        `  ${name}: memory with a 640x480 capture ${(mm.withBig / MiB).toFixed(1)} MiB (< 32 MiB), no growth over ${m.churn.calls} calls: ${mark(mm.withBig < 32 * MiB && !grew)}`,
      );
    }
  }
  for (const j of js) {
    out.push(`  ${j.runtime.split(" ")[0]}: linear memory peak over the whole run, worst cases included: ${(j.memEnd / MiB).toFixed(1)} MiB`);
  }
  out.push(`  gzip'd .wasm ${(wasm.gzip / 1024).toFixed(1)} KiB (< 250 KB = 250,000 bytes): ${mark(wasm.gzip < 250_000)}`);
  console.log(out.join("\n"));
}
