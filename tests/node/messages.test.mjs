// sealmatch/messages on the packed tarball: an English text for every code
// the library and the scanner adapters can give (read from the Rust source
// and from the running package, so a new code without a text fails here),
// translations override, anything unknown gets the generic text, nothing
// throws and no error message is ever echoed; importing it needs no
// WebAssembly (in Node with the .wasm removed, and through Vite into a
// browser); the demo's www/i18n/en.json `lib` section is the same table.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "vite";
import { libraryCodes } from "../rust-codes.mjs";
import { pageRequests, serve } from "./browser.mjs";
import { launchEngine } from "../engines/index.mjs";
import { ROOT, freshProject } from "./support.mjs";

let project;
let m; // sealmatch/messages
let sm; // sealmatch
let scanners; // sealmatch/scanners

before(async () => {
  project = freshProject("sealmatch-messages");
  const entry = join(project.dir, "messages-entry.mjs");
  writeFileSync(
    entry,
    'export * as messages from "sealmatch/messages";\nexport * as scanners from "sealmatch/scanners";\n',
  );
  ({ messages: m, scanners } = await import(pathToFileURL(entry).href));
  sm = await import(project.url);
});

after(() => project?.cleanup());

test("every code in the Rust source and every scanner code has an English text, and no other key exists", () => {
  const groups = { ...libraryCodes(), scanner: [...scanners.SCANNER_CODES] };
  assert.equal(groups.error.length, 11);
  assert.ok(groups.feedback.length >= 8 && groups.face.length >= 8 && groups.scanner.length >= 9);
  const expected = [
    ...Object.entries(groups).flatMap(([group, codes]) => codes.map((c) => `${group}.${c}`)),
    "face.good",
    "generic",
  ].sort();
  assert.deepEqual([...m.MESSAGE_KEYS].sort(), expected);
  assert.deepEqual(Object.keys(m.ENGLISH), [...m.MESSAGE_KEYS]);
  for (const key of m.MESSAGE_KEYS) {
    assert.equal(typeof m.ENGLISH[key], "string", key);
    assert.ok(m.ENGLISH[key].trim().length > 5, `${key} has a text`);
    if (key !== "generic") assert.notEqual(m.message(key), m.ENGLISH.generic, `${key} is not the generic text`);
  }
  assert.ok(Object.isFrozen(m.ENGLISH) && Object.isFrozen(m.MESSAGE_KEYS));
});

test("the codes the running library gives have texts (errors and fingerprint feedback)", async () => {
  await sm.default();
  const caught = [];
  const attempt = (fn) => {
    try {
      fn();
    } catch (e) {
      caught.push(e);
    }
  };
  attempt(() => sm.inspectToken("not a token"));
  attempt(() => sm.Capture.fromGray(0, 0, new Uint8Array(0), 500));
  attempt(() => sm.verify(null, "a.b.c.d.e", "smk1_x", { bagTag: "1" }));
  attempt(() => sm.FaceCapture.fromRgba(1, 1, new Uint8Array(3)));
  assert.equal(caught.length, 4);
  for (const e of caught) {
    assert.equal(typeof e.code, "string");
    assert.equal(m.errorKey(e), `error.${e.code}`);
    assert.equal(m.errorMessage(e), m.ENGLISH[`error.${e.code}`]);
  }
  const feedback = new Set();
  const size = 300;
  for (const fill of [0, 40, 128, 250]) {
    const cap = sm.Capture.fromGray(size, size, new Uint8Array(size * size).fill(fill), 500);
    for (const code of cap.feedback) feedback.add(code);
    cap.free();
  }
  assert.ok(feedback.size > 0, "blank images give feedback");
  for (const code of feedback) assert.ok(m.MESSAGE_KEYS.includes(`feedback.${code}`), `feedback.${code}`);
  assert.equal(m.feedbackMessages([...feedback]).length, feedback.size);
});

test("a translation overrides; a missing, empty or non-string one falls back to English", () => {
  const de = {
    "error.WRONG_BAG": "Diese Daten gehören zu einem anderen Gepäckstück oder Flug.",
    "feedback.too_dark": "Zu dunkel.",
    "face.too_small": "Bitte näher an die Kamera.",
    "scanner.NO_DEVICE": "Kein Scanner angeschlossen.",
    "error.TOKEN_EXPIRED": "",
    "error.KEY_MALFORMED": 42,
  };
  assert.equal(m.message("error.WRONG_BAG", de), de["error.WRONG_BAG"]);
  assert.equal(m.errorMessage({ code: "WRONG_BAG" }, de), de["error.WRONG_BAG"]);
  assert.equal(m.errorMessage({ code: "NO_DEVICE" }, de), de["scanner.NO_DEVICE"]);
  assert.equal(m.errorMessage({ code: "TOKEN_EXPIRED" }, de), m.ENGLISH["error.TOKEN_EXPIRED"]);
  assert.equal(m.errorMessage({ code: "KEY_MALFORMED" }, de), m.ENGLISH["error.KEY_MALFORMED"]);
  assert.equal(m.errorMessage({ code: "TOKEN_REJECTED" }, de), m.ENGLISH["error.TOKEN_REJECTED"]);
  assert.deepEqual(m.feedbackMessages(["too_dark", "too_small"], de), [de["feedback.too_dark"], m.ENGLISH["feedback.too_small"]]);
  assert.deepEqual(m.feedbackMessages(["too_dark", "too_small"], de, { modality: "face" }), [
    m.ENGLISH["face.too_dark"],
    de["face.too_small"],
  ]);
  assert.deepEqual(m.feedbackMessages([], de, { modality: "face" }), []);
  // a translation may add a key for a code of the integrator's own
  assert.equal(m.errorMessage({ code: "SERVER_DOWN" }, { "error.SERVER_DOWN": "Server down." }), "Server down.");
});

test("LOW_QUALITY, a code of both, is the library's; adapter codes are the adapters'", () => {
  assert.equal(m.errorKey({ code: "LOW_QUALITY" }), "error.LOW_QUALITY");
  assert.equal(m.errorKey(scanners.scannerError("TIMEOUT", "no finger")), "scanner.TIMEOUT");
  for (const code of scanners.SCANNER_CODES) {
    const key = m.errorKey({ code });
    assert.ok(key === `scanner.${code}` || key === `error.${code}`, code);
  }
});

test("unknown keys, codes and inputs give the generic text (translated when the table has it); nothing throws", () => {
  const generic = m.ENGLISH.generic;
  const fr = { generic: "Un problème est survenu. Veuillez réessayer." };
  assert.equal(m.message("no.such.key"), generic);
  assert.equal(m.message("no.such.key", fr), fr.generic);
  assert.equal(m.message("toString"), generic, "no key from Object.prototype");
  assert.equal(m.message("__proto__"), generic);
  assert.equal(m.message(undefined), generic);
  assert.equal(m.errorMessage({ code: "NO_SUCH_CODE" }, fr), fr.generic);
  assert.equal(m.errorKey({ code: "NO_SUCH_CODE" }), null);
  assert.deepEqual(m.feedbackMessages(["no_such_feedback", 7]), [generic, generic]);
  const throwing = new Proxy({}, { get() { throw new Error("boom"); }, has() { throw new Error("boom"); }, getOwnPropertyDescriptor() { throw new Error("boom"); } });
  const badCode = { get code() { throw new Error("boom"); } };
  for (const err of [undefined, null, 42, "TOKEN_EXPIRED", {}, new Error("x"), throwing, badCode, Symbol("s")]) {
    assert.equal(m.errorMessage(err), generic, String(typeof err));
    assert.equal(m.errorMessage(err, throwing), generic);
  }
  assert.equal(m.errorMessage({ code: "WRONG_BAG" }, throwing), m.ENGLISH["error.WRONG_BAG"]);
  assert.equal(m.message("error.WRONG_BAG", "not a table"), m.ENGLISH["error.WRONG_BAG"]);
  assert.deepEqual(m.feedbackMessages("too_dark"), []);
  assert.deepEqual(m.feedbackMessages(null, null, null), []);
  assert.deepEqual(m.feedbackMessages(["blank"], throwing, throwing), [m.ENGLISH["feedback.blank"]]);
});

test("an error's message is never echoed", () => {
  const secret = "smk1_SECRETKEYMATERIAL minutiae 12,34";
  for (const code of ["WRONG_BAG", "NO_DEVICE", "NO_SUCH_CODE", undefined]) {
    const err = Object.assign(new Error(`${code}: ${secret}`), { code });
    const text = m.errorMessage(err, { "error.WRONG_BAG": "Falsche Tasche." });
    assert.ok(!text.includes("SECRET") && !text.includes("minutiae") && !text.includes(String(code)), text);
  }
});

test("importing sealmatch/messages needs no WebAssembly: the package without its .wasm and glue still serves it", async () => {
  const from = join(project.dir, "node_modules", "sealmatch");
  const copy = join(project.dir, "node_modules", "sealmatch-stripped");
  cpSync(from, copy, { recursive: true });
  for (const f of readdirSync(copy)) {
    if (f.endsWith(".wasm") || f.endsWith(".bin") || f.startsWith("sealmatch") || f === "api.js" || f === "engine-caps.js" || f === "scanners") {
      rmSync(join(copy, f), { recursive: true });
    }
  }
  assert.deepEqual(readdirSync(copy).sort(), ["README.md", "messages.d.ts", "messages.js", "package.json"]);
  const entry = join(project.dir, "stripped-entry.mjs");
  writeFileSync(entry, 'export * from "sealmatch-stripped/messages";\n');
  const stripped = await import(pathToFileURL(entry).href);
  assert.equal(stripped.errorMessage({ code: "TOKEN_EXPIRED" }), m.ENGLISH["error.TOKEN_EXPIRED"]);
  assert.equal(/\bimport\b/.test(readFileSync(join(copy, "messages.js"), "utf8").replace(/\/\/.*$/gm, "")), false, "no imports at all");
});

test("through Vite into a browser: no .wasm is emitted, and the texts work before any init()", async () => {
  writeFileSync(
    join(project.dir, "index.html"),
    '<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<title>messages</title>\n<script type="module" src="./main.js"></script>\n',
  );
  writeFileSync(
    join(project.dir, "main.js"),
    'import { errorMessage, feedbackMessages } from "sealmatch/messages";\n' +
      'window.result = [errorMessage({ code: "WRONG_BAG" }, { "error.WRONG_BAG": "Autre bagage." }), ...feedbackMessages(["blurred"], {}, { modality: "face" })];\n',
  );
  await build({ root: project.dir, logLevel: "warn", configFile: false, build: { outDir: "dist-messages" } });
  const assets = readdirSync(join(project.dir, "dist-messages", "assets"));
  assert.ok(!assets.some((f) => f.endsWith(".wasm") || f.endsWith(".bin")), `assets: ${assets.join(", ")}`);
  const js = assets.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(project.dir, "dist-messages", "assets", f), "utf8")).join("\n");
  assert.ok(!js.includes("sealmatch_core"), "the bundle holds none of the WebAssembly glue");
  const server = await serve(join(project.dir, "dist-messages"));
  const browser = await launchEngine("chromium");
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => Array.isArray(window.result), null, { timeout: 30_000 });
    assert.deepEqual(await page.evaluate(() => window.result), ["Autre bagage.", m.ENGLISH["face.blurred"]]);
    const requests = await pageRequests(page);
    assert.ok(!requests.some((p) => p.endsWith(".wasm")), requests.join(", "));
  } finally {
    await browser.close();
    await server.close();
  }
});

test("the demo's www/i18n/en.json `lib` section is the package's English table", () => {
  const en = JSON.parse(readFileSync(join(ROOT, "www", "i18n", "en.json"), "utf8"));
  assert.deepEqual(Object.entries(en.lib), Object.entries(m.ENGLISH));
});

test("the `MessageKey` type in messages.d.ts lists exactly the table's keys", () => {
  const dts = readFileSync(join(project.dir, "node_modules", "sealmatch", "messages.d.ts"), "utf8");
  const union = dts.slice(dts.indexOf("export type MessageKey ="), dts.indexOf(";", dts.indexOf("export type MessageKey =")));
  const keys = [];
  for (const line of union.split("\n")) {
    const m = line.match(/^\s*\| `(\w+)\.\$\{(.*)\}`$/);
    if (m) {
      for (const code of m[2].matchAll(/"(\w+)"/g)) keys.push(`${m[1]}.${code[1]}`);
      if (m[2].includes("FaceFeedback")) keys.push(...libraryCodes().face.map((c) => `face.${c}`));
      if (m[2].includes("ErrorCode")) keys.push(...libraryCodes().error.map((c) => `error.${c}`));
    } else if (/^\s*\| "(\w+)"$/.test(line)) keys.push(line.match(/"(\w+)"/)[1]);
  }
  assert.deepEqual(keys.sort(), [...m.MESSAGE_KEYS].sort());
});
