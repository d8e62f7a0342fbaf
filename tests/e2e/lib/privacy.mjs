// The check that the server kept no biometric data: after an e2e run, every
// table of its SQLite database (WAL included) holds only the expected kinds of
// values (bag tags, flights, tokens, small words, integers for times and
// counts, the registered gates' key ids and public keys, a bag's one-time
// boarding challenge), and neither the database files nor the server's log
// contain a passenger key, the kiosk or admin key, image pixels or image file bytes.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DUMP = fileURLToPath(new URL("./dbdump.py", import.meta.url));
const JWE = /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;
const WORD = /^[a-z][a-z_]{0,31}$/;
/** a boarding challenge: 16 random bytes, base64url */
const CHALLENGE = /^[A-Za-z0-9_-]{22}$/;

/**
 * Every table's columns and rows, values tagged with their SQLite storage class.
 * @param {string} db
 * @returns {Record<string, { columns: string[], rows: Array<Array<[string, any]>> }>}
 */
export function dumpDatabase(db) {
  return JSON.parse(execFileSync("python3", [DUMP, db], { encoding: "utf8" }));
}

/**
 * The protected header of a compact JWE, parsed.
 * @param {string} token
 */
export function jweHeader(token) {
  return JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8"));
}

/**
 * Checks one stored value; returns a problem description or null.
 * @param {[string, any]} cell
 * @param {{ bagTags: Set<string>, flights: Set<string>, tokens: Set<string>, gates: Set<string> }} known
 * @param {string} column
 */
function checkCell([kind, value], known, column) {
  switch (kind) {
    case "null":
      return null;
    case "integer":
      return Number.isSafeInteger(value) ? null : `integer out of range: ${value}`;
    case "text": {
      if (known.bagTags.has(value) || known.flights.has(value) || WORD.test(value)) return null;
      if (known.gates.has(value)) return null; // a gate's key id or public key
      if (column === "challenge" && CHALLENGE.test(value)) return null;
      if (JWE.test(value)) {
        if (!known.tokens.has(value)) return "a token the test never made";
        const h = jweHeader(value);
        const fields = Object.keys(h).sort().join(",");
        return fields === "alg,bag,enc,exp,flt,iat,typ,v" ? null : `token header with fields ${fields}`;
      }
      return `unexpected text (${value.length} chars)`;
    }
    default:
      return `a ${kind} value (${String(value).length} chars)`;
  }
}

/**
 * Structured check of the database. Returns problems (empty when clean) and
 * a summary of what was found.
 * @param {string} db
 * @param {{ bagTags: string[], flights: string[], tokens: string[], gates?: Array<{ kid: string, publicKey: string }> }} expected
 */
export function checkDatabase(db, expected) {
  const known = {
    bagTags: new Set(expected.bagTags),
    flights: new Set(expected.flights),
    tokens: new Set(expected.tokens),
    gates: new Set((expected.gates ?? []).flatMap((g) => [g.kid, g.publicKey])),
  };
  const tables = dumpDatabase(db);
  const problems = [];
  /** @type {Record<string, { columns: string[], rows: number }>} */
  const summary = {};
  for (const [name, { columns, rows }] of Object.entries(tables)) {
    summary[name] = { columns, rows: rows.length };
    if (name.startsWith("sqlite_")) continue; // SQLite's own bookkeeping (table names, counters)
    rows.forEach((row, r) => {
      row.forEach((cell, c) => {
        const problem = checkCell(cell, known, columns[c]);
        if (problem) problems.push(`${name}.${columns[c]} row ${r}: ${problem}`);
      });
    });
  }
  return { problems, summary, tables };
}

/**
 * Looks for forbidden byte strings in files. Every file listed must be there:
 * a file that cannot be found or read is itself a problem (a scan that skips a
 * missing log would pass silently). Files that may legitimately be absent
 * (for example SQLite's `-wal` after a clean shutdown) go in `optional`.
 * @param {string[]} files
 * @param {Array<{ what: string, bytes: Buffer }>} needles
 * @param {{ optional?: string[] }} [o]
 * @returns {string[]} problems
 */
export function scanFiles(files, needles, { optional = [] } = {}) {
  const problems = [];
  for (const file of [...files, ...optional]) {
    if (!existsSync(file)) {
      if (!optional.includes(file)) problems.push(`${file} is missing: it must be scanned`);
      continue;
    }
    let hay;
    try {
      hay = readFileSync(file);
    } catch (e) {
      problems.push(`${file} cannot be read (${e.code ?? e.message})`);
      continue;
    }
    for (const { what, bytes } of needles) {
      if (bytes.length && hay.includes(bytes)) problems.push(`${file} contains ${what}`);
    }
  }
  return problems;
}

/**
 * Windows of an image's pixels that are distinctive (many different grey
 * values), so finding one in a file means the image was stored.
 * @param {Uint8Array} pixels grey, row-major
 * @param {number} width
 * @param {{ length?: number, count?: number }} [o]
 * @returns {Buffer[]}
 */
export function distinctiveWindows(pixels, width, { length = 24, count = 40 } = {}) {
  const out = [];
  const height = Math.floor(pixels.length / width);
  for (let y = Math.floor(height / 4); y < height && out.length < count; y += 7) {
    for (let x = 0; x + length <= width && out.length < count; x += length) {
      const w = pixels.subarray(y * width + x, y * width + x + length);
      if (new Set(w).size >= 12) out.push(Buffer.from(w));
    }
  }
  return out;
}
