// The score file both face peers write: facts about the run, then one line a pair.
//
//   #peer<TAB>face-api.js 1.7.15 (tfjs-wasm 4.22.0)   <- facts: `#key<TAB>value`
//   #ftd<TAB>13
//   dev/A/A_0001.jpg<TAB>dev/A/A_0002.jpg<TAB>0.612345<TAB>1
//   dev/A/A_0001.jpg<TAB>dev/B/B_0003.jpg<TAB>-inf<TAB>0   <- a photo without a face
//
// Pair lines are `a<TAB>b<TAB>score<TAB>genuine` (1 or 0), higher score = more
// alike; `-inf` when a photo had no detected face (a non-match at every
// threshold). Score files hold no photos or embeddings, but they are made
// from people's photos: write them under /tmp or target/, never commit them.
//
// Example:
//   writeScores("/tmp/x.tsv", { peer: "demo" }, [{ a: "p", b: "q", score: 0.5, genuine: true }]);
//   readScores("/tmp/x.tsv").facts.peer;   // "demo"

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A score as written: six decimals, or `-inf` / `inf` / `nan`. */
export function formatScore(s) {
  if (Number.isNaN(s)) return "nan";
  if (s === -Infinity) return "-inf";
  if (s === Infinity) return "inf";
  return s.toFixed(6);
}

/** A score as read (`-inf`, `inf`, `nan` as Python and Rust write them). */
export function parseScore(text) {
  const t = text.trim().toLowerCase();
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t === "inf" || t === "+inf" || t === "infinity") return Infinity;
  if (t === "nan") return NaN;
  const v = Number(t);
  if (t === "" || Number.isNaN(v)) throw new Error(`not a score: ${JSON.stringify(text)}`);
  return v;
}

/** Writes `facts` (an object of key → value) and `pairs` (`{ a, b, score, genuine }`) to `path`. */
export function writeScores(path, facts, pairs) {
  mkdirSync(dirname(path), { recursive: true });
  const lines = Object.entries(facts).map(([k, v]) => `#${k}\t${v}`);
  for (const p of pairs) lines.push(`${p.a}\t${p.b}\t${formatScore(p.score)}\t${p.genuine ? 1 : 0}`);
  writeFileSync(path, lines.join("\n") + "\n");
}

/** Reads a score file: `{ facts, genuine: [scores], impostor: [scores], pairs: n }`. */
export function readScores(path) {
  const facts = {};
  const genuine = [];
  const impostor = [];
  const lines = readFileSync(path, "utf8").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line === "") return;
    if (line.startsWith("#")) {
      const tab = line.indexOf("\t");
      if (tab > 1) facts[line.slice(1, tab)] = line.slice(tab + 1);
      return;
    }
    const f = line.split("\t");
    if (f.length !== 4 || (f[3] !== "0" && f[3] !== "1")) {
      throw new Error(`${path}:${i + 1}: expected a<TAB>b<TAB>score<TAB>0|1`);
    }
    (f[3] === "1" ? genuine : impostor).push(parseScore(f[2]));
  });
  return { facts, genuine, impostor, pairs: genuine.length + impostor.length };
}
