// The e2e privacy check must itself catch what it looks for: a blob column, a
// long unexplained text, a foreign token, image pixels or a key in a file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDatabase, scanFiles, distinctiveWindows } from "./lib/privacy.mjs";

const b64 = (/** @type {object} */ o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const HEADER = b64({ alg: "dir", enc: "A256GCM", typ: "sealmatch+jwe", v: 1, bag: "0117000001", flt: "SK1415", iat: 1, exp: 2 });
const TOKEN = `${HEADER}..${"A".repeat(16)}.${"B".repeat(40)}.${"C".repeat(22)}`;
const EXTRA = b64({ alg: "dir", enc: "A256GCM", typ: "sealmatch+jwe", v: 1, bag: "0117000001", flt: "SK1415", iat: 1, exp: 2, minutiae: [1, 2] });
const LEAKY_TOKEN = `${EXTRA}..${"A".repeat(16)}.${"B".repeat(40)}.${"C".repeat(22)}`;

/** Makes a SQLite file with the given rows (python3's sqlite3, WAL mode, left un-checkpointed). */
function makeDb(/** @type {string} */ dir, /** @type {string} */ rowsSql) {
  const db = join(dir, "t.db");
  const script = `
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA wal_autocheckpoint=0")
con.execute("CREATE TABLE bags (bag_tag TEXT, flight TEXT, token TEXT, at INTEGER, extra)")
${rowsSql}
con.commit()
import os; os._exit(0)  # leave the WAL as it is
`;
  execFileSync("python3", ["-c", script, db]);
  return db;
}

const expected = { bagTags: ["0117000001"], flights: ["SK1415"], tokens: [TOKEN] };

test("a clean database passes, rows still in the WAL included", () => {
  const dir = mkdtempSync(join(tmpdir(), "privacy-"));
  try {
    const db = makeDb(dir, `con.execute("INSERT INTO bags VALUES ('0117000001', 'SK1415', ?, 1700000000, 'boarded')", ("${TOKEN}",))`);
    const { problems, summary } = checkDatabase(db, expected);
    assert.deepEqual(problems, []);
    assert.equal(summary.bags.rows, 1, "the row in the WAL is read");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("blobs, long texts, reals, foreign tokens and extra header fields are caught", () => {
  const dir = mkdtempSync(join(tmpdir(), "privacy-"));
  try {
    const db = makeDb(
      dir,
      `con.execute("INSERT INTO bags VALUES ('0117000001', 'SK1415', NULL, 1, ?)", (bytes(range(64)),))
con.execute("INSERT INTO bags VALUES ('0117000001', 'SK1415', NULL, 1, ?)", ("x" * 100,))
con.execute("INSERT INTO bags VALUES ('0117000001', 'SK1415', NULL, 1, 0.5)")
con.execute("INSERT INTO bags VALUES ('0117000001', 'SK1415', ?, 1, NULL)", ("${LEAKY_TOKEN}",))`,
    );
    const { problems } = checkDatabase(db, { ...expected, tokens: [TOKEN, LEAKY_TOKEN] });
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.match(problems[0], /blob/);
    assert.match(problems[1], /unexpected text/);
    assert.match(problems[2], /real/);
    assert.match(problems[3], /header with fields/);
    const unknownToken = checkDatabase(db, expected).problems.filter((p) => /never made/.test(p));
    assert.equal(unknownToken.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("gate key ids, public keys and challenges pass only where expected", () => {
  const dir = mkdtempSync(join(tmpdir(), "privacy-"));
  const gate = { kid: "gate-Ab3_x9Qw-Zk1", publicKey: `B${"Qx7".repeat(28)}` };
  const challenge = "q1w2e3r4t5y6u7i8o9p0AA";
  try {
    const db = makeDb(
      dir,
      `con.execute("CREATE TABLE gates (kid TEXT, public_key TEXT, registered_at INTEGER)")
con.execute("CREATE TABLE c (challenge TEXT)")
con.execute("INSERT INTO gates VALUES (?, ?, 1)", ("${gate.kid}", "${gate.publicKey}"))
con.execute("INSERT INTO c VALUES (?)", ("${challenge}",))
con.execute("INSERT INTO bags VALUES ('0117000001', 'SK1415', NULL, 1, ?)", ("${challenge}",))`,
    );
    const withGate = checkDatabase(db, { ...expected, gates: [gate] }).problems;
    assert.deepEqual(withGate, ["bags.extra row 0: unexpected text (22 chars)"], "a challenge-shaped text outside the challenge column is caught");
    const without = checkDatabase(db, expected).problems;
    assert.equal(without.length, 3, `an unknown gate is caught: ${without.join("; ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("image windows and keys are found in raw files", () => {
  const dir = mkdtempSync(join(tmpdir(), "privacy-"));
  try {
    const pixels = Uint8Array.from({ length: 200 * 200 }, (_, i) => (i * 37 + (i >> 7) * 11) & 255);
    const windows = distinctiveWindows(pixels, 200);
    assert.ok(windows.length > 10);
    const file = join(dir, "f.bin");
    writeFileSync(file, Buffer.concat([Buffer.from("header"), windows[5], Buffer.from("smk1_secret")]));
    const found = scanFiles([file, join(dir, "missing")], [
      ...windows.map((bytes, i) => ({ what: `window ${i}`, bytes })),
      { what: "a key", bytes: Buffer.from("smk1_secret") },
      { what: "absent", bytes: Buffer.from("nothing like this") },
    ]);
    assert.ok(found.some((p) => p.endsWith("window 5")));
    assert.ok(found.some((p) => p.endsWith("a key")));
    assert.ok(!found.some((p) => p.endsWith("absent")));
    // a file that must be scanned and is not there is a failure, not a pass
    assert.ok(found.includes(`${join(dir, "missing")} is missing: it must be scanned`));
    // an optional file may be absent
    assert.deepEqual(scanFiles([], [{ what: "x", bytes: Buffer.from("x") }], { optional: [join(dir, "missing")] }), []);
    assert.deepEqual(scanFiles([file], [{ what: "absent", bytes: Buffer.from("nothing like this") }]), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
