// The demo pages' language files (www/i18n/*.json) are complete: every
// language has exactly English's keys, none empty, with the same {placeholders}
// and inline tags; every key the pages use exists; every code the library
// can give (error codes, fingerprint and face feedback) has a text. Runs in
// Node alone, no browser.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { LANGUAGES } from "../../www/js/i18n.js";
import { libraryCodes } from "../rust-codes.mjs";

const WWW = new URL("../../www/", import.meta.url);
const read = (url) => readFileSync(url, "utf8");
const load = (code) => JSON.parse(read(new URL(`i18n/${code}.json`, WWW)));
const english = load("en");

/** Every `section.key` of a language file (without `_meta`). */
function keysOf(file) {
  return Object.entries(file)
    .filter(([section]) => section !== "_meta")
    .flatMap(([section, texts]) => Object.keys(texts).map((k) => `${section}.${k}`));
}

/** @param {object} file @param {string} key */
function textOf(file, key) {
  const dot = key.indexOf(".");
  return file[key.slice(0, dot)]?.[key.slice(dot + 1)];
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const tags = (text) => [...text.matchAll(/<\/?([a-z]+)[^>]*>/gi)].map((m) => m[0].toLowerCase()).sort();

test("one file per language, and no file for a language the chooser does not offer", () => {
  const files = readdirSync(new URL("i18n/", WWW)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(files, LANGUAGES.map((l) => l.code).sort());
  assert.equal(LANGUAGES.length, 10);
});

for (const language of LANGUAGES) {
  test(`${language.code}: the same keys as English, none empty, same placeholders and tags`, () => {
    const file = load(language.code);
    assert.equal(file._meta?.dir, language.dir, "_meta.dir matches the chooser's direction");
    assert.equal(file._meta?.language, language.name, "_meta.language is the language's own name");
    assert.deepEqual(Object.keys(file), Object.keys(english), "the same sections in the same order");
    const missing = keysOf(english).filter((k) => typeof textOf(file, k) !== "string");
    const extra = keysOf(file).filter((k) => typeof textOf(english, k) !== "string");
    assert.deepEqual(missing, [], `keys missing in ${language.code}.json`);
    assert.deepEqual(extra, [], `keys in ${language.code}.json that English does not have`);
    for (const key of keysOf(english)) {
      const text = textOf(file, key);
      assert.ok(text.trim().length > 0, `${language.code}: ${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders(textOf(english, key)), `${language.code}: ${key} placeholders`);
      assert.deepEqual(tags(text), tags(textOf(english, key)), `${language.code}: ${key} inline tags`);
    }
  });
}

/** Keys used by the pages: data-i18n* attributes and literal t()/setText() keys. */
function usedKeys() {
  const used = new Set();
  for (const name of readdirSync(WWW).filter((f) => f.endsWith(".html"))) {
    const html = read(new URL(name, WWW));
    for (const m of html.matchAll(/data-i18n(?:-html)?="([^"]+)"/g)) used.add(m[1]);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of m[1].split(";")) used.add(pair.slice(pair.indexOf(":") + 1).trim());
    }
  }
  const js = new URL("js/", WWW);
  for (const name of readdirSync(js).filter((f) => f.endsWith(".js"))) {
    const source = read(new URL(name, js));
    for (const m of source.matchAll(/\b(?:t|setText\([^,]+,)\s*\(?\s*"([a-z][\w-]*\.[\w.-]+)"/g)) used.add(m[1]);
    // any other literal that names a key of a section (bindSlots, sayKey, fieldError, ...), not a file
    const code = source.split("\n").filter((line) => !/^\s*(\/\/|\/?\*)/.test(line)).join("\n"); // not in comments
    for (const m of code.matchAll(/["'`]((?:common|lib|index|bagdrop|boarding|checkin|reconciliation)\.[\w.-]+)["'`]/g)) {
      if (!/\.(html|js|json|css)$/.test(m[1])) used.add(m[1]);
    }
    for (const m of source.matchAll(/"data-i18n(?:-html)?":\s*"([a-z][\w-]*\.[\w.-]+)"/g)) used.add(m[1]);
    for (const m of source.matchAll(/data-i18n-attr"?[:,]\s*"([^"]+)"/g)) {
      for (const pair of m[1].split(";")) used.add(pair.slice(pair.indexOf(":") + 1).trim());
    }
  }
  return [...used].filter((k) => k.includes("."));
}

test("every key the pages use exists in English", () => {
  const used = usedKeys();
  assert.ok(used.length > 10, "the pages use the language files");
  const missing = used.filter((k) => typeof textOf(english, k) !== "string");
  assert.deepEqual(missing, [], "keys used in www/ but missing in en.json");
});

test("every library code has a text: error codes, fingerprint and face feedback", () => {
  const groups = libraryCodes();
  assert.equal(groups.error.length, 11);
  assert.ok(groups.feedback.length >= 8 && groups.face.length >= 8);
  for (const [group, codes] of Object.entries(groups)) {
    for (const code of codes) {
      assert.equal(typeof english.lib[`${group}.${code}`], "string", `lib.${group}.${code} missing in en.json`);
    }
  }
});

test("every progress stage the worker sends has a text (common.busy_<stage>), and no stage text is stale", () => {
  const worker = read(new URL("js/worker.js", WWW));
  const stages = [...new Set([...worker.matchAll(/progress\("([a-z_]+)"\)/g)].map((m) => m[1]))].sort();
  assert.ok(stages.length >= 7, `worker.js sends its stages as codes (found ${stages.join(", ")})`);
  assert.doesNotMatch(worker, /progress\("[^"]*[A-Z ][^"]*"\)/, "a stage in worker.js is English text, not a code");
  const texts = Object.keys(english.common).filter((k) => k.startsWith("busy_")).map((k) => k.slice(5)).sort();
  assert.deepEqual(texts, stages);
});
